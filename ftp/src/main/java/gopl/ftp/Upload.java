package gopl.ftp;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where an upload's bytes go, so that a failed upload never leaves an existing file half-written.
 * STOR (and REST+STOR into the middle of a file) writes a hidden temporary file beside the target
 * and renames it over the target only once the whole upload arrived. APPE (and REST+STOR at the
 * end of a file) appends in place, and on failure cuts the file back to its old length: the old
 * bytes are never touched, and a big file is not copied just to add to it.
 *
 * <p>Every file is opened and renamed through the target's directory handle ({@link DirEntry}),
 * following no link: a link swapped in for the target or for a directory above it is refused, and
 * nothing is ever written outside the root.
 */
final class Upload implements AutoCloseable {
    private static final int TEMP_NAME_TRIES = 10;

    private final DirEntry target;
    private final DirEntry temp; // null when appending in place
    private final long originalSize;
    private final FileChannel channel;
    private boolean committed;

    private Upload(DirEntry target, DirEntry temp, long originalSize, FileChannel channel) {
        this.target = target;
        this.temp = temp;
        this.originalSize = originalSize;
        this.channel = channel;
    }

    /** STOR: replaces the target, or creates it. Takes over {@code target}: closing the upload closes it. */
    static Upload replace(DirEntry target) throws IOException {
        return viaTemp(target, 0);
    }

    /** APPE: adds to the end of the target, or creates it. */
    static Upload append(DirEntry target) throws IOException {
        FileChannel channel;
        try {
            regularIfThere(target);
            channel = target.open(Set.of(StandardOpenOption.WRITE));
        } catch (NoSuchFileException e) {
            return replace(target);
        } catch (IOException | RuntimeException e) {
            target.close();
            throw e;
        }
        long size = channel.size();
        channel.position(size);
        return new Upload(target, null, size, channel);
    }

    /**
     * REST {@code offset} then STOR: keeps the first {@code offset} bytes and writes the upload after them.
     *
     * @throws IllegalArgumentException if the offset lies past the end of the file
     */
    static Upload resume(DirEntry target, long offset) throws IOException {
        long size;
        try {
            size = target.exists() ? regularIfThere(target) : 0;
        } catch (IOException | RuntimeException e) {
            target.close();
            throw e;
        }
        if (offset > size) {
            target.close();
            throw new IllegalArgumentException("Restart offset " + offset + " is past the end of the file (" + size + " bytes).");
        }
        return offset == size ? append(target) : viaTemp(target, offset);
    }

    /** The size of the target if it is a regular file; 0 if missing; a failure for a directory or device. */
    private static long regularIfThere(DirEntry target) throws IOException {
        if (!target.exists()) {
            throw new NoSuchFileException(target.name());
        }
        var attrs = target.attributes();
        if (!attrs.isRegularFile()) {
            throw new FileSystemException(target.name(), null, attrs.isDirectory() ? "Is a directory" : "Not a regular file");
        }
        return attrs.size();
    }

    private static Upload viaTemp(DirEntry target, long keep) throws IOException {
        DirEntry temp = null;
        FileChannel channel = null;
        try {
            if (target.exists()) {
                regularIfThere(target);
            }
            for (int i = 0; channel == null; i++) {
                temp = target.sibling(".ftp-upload-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()) + ".part");
                try {
                    channel = temp.open(Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
                } catch (FileAlreadyExistsException e) {
                    if (i == TEMP_NAME_TRIES) {
                        throw e;
                    }
                }
            }
            if (keep > 0) {
                try (var old = target.open(Set.of(StandardOpenOption.READ))) {
                    for (long pos = 0; pos < keep; ) {
                        pos += old.transferTo(pos, keep - pos, channel); // a kernel copy, no buffer here
                    }
                }
            }
            return new Upload(target, temp, 0, channel);
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
                temp.deleteFile();
            }
            target.close();
            throw e;
        }
    }

    FileChannel channel() {
        return channel;
    }

    /** Makes the upload the target's content: durable first, then visible in one atomic step. */
    void commit() throws IOException {
        channel.force(false);
        channel.close();
        if (temp != null) {
            if (target.exists() && target.attributes() instanceof PosixFileAttributes old) {
                temp.setPermissions(old.permissions()); // a replaced file keeps its mode
            }
            temp.moveTo(target);
        }
        committed = true;
    }

    /** Undoes an upload that was not committed: the temporary file goes, an append is cut back. */
    @Override
    public void close() throws IOException {
        try (target) {
            if (committed) {
                return;
            }
            if (temp != null) {
                channel.close();
                temp.deleteFile();
                return;
            }
            try (channel) {
                if (channel.isOpen()) {
                    channel.truncate(originalSize);
                }
            }
        }
    }
}
