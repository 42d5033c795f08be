package gopl.common;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * The cause of a failed file operation in the words of the C library ({@code Permission denied}),
 * as GNU tools print it: NIO carries it only as the exception's type, or as
 * {@link FileSystemException#getReason()}, and its message is the bare path.
 */
public final class IoErrors {
    private IoErrors() {}

    /** {@code No such file or directory}, {@code Permission denied}, ...; never the file name. */
    public static String reason(IOException e) {
        return switch (e) {
            case NoSuchFileException x -> "No such file or directory";
            case AccessDeniedException x -> "Permission denied";
            case NotDirectoryException x -> "Not a directory";
            case FileAlreadyExistsException x -> "File exists";
            case DirectoryNotEmptyException x -> "Directory not empty";
            case FileSystemException x when x.getReason() != null -> x.getReason();
            case FileSystemException x -> x.getClass().getSimpleName(); // its message is only the path
            default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        };
    }
}
