package gopl.ftp;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HashSet;
import java.util.Set;

/**
 * A name in a directory that is held open ({@code openat(2)} and friends): what it names is
 * reached from that directory, and a symbolic link in its place is never followed. The directory
 * itself was reached from the root the same way (see {@link Jail#locate}), so nothing swapped in
 * after the jail's checks, a link for a file or for a directory on the way, can lead out.
 */
final class DirEntry implements Closeable {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private final SecureDirectoryStream<Path> dir;
    private final Path name;

    DirEntry(SecureDirectoryStream<Path> dir, Path name) {
        this.dir = dir;
        this.name = name;
    }

    /** Another name in the same directory, sharing its handle: close only one of the two. */
    DirEntry sibling(String other) {
        return new DirEntry(dir, Path.of(other));
    }

    String name() {
        return name.toString();
    }

    /** Its own attributes, a link's rather than its target's; POSIX ones where the file system has them. */
    BasicFileAttributes attributes() throws IOException {
        return attributes(dir, name);
    }

    /** The attributes of {@code name} in an open directory, as {@link #attributes()}. */
    static BasicFileAttributes attributes(SecureDirectoryStream<Path> dir, Path name) throws IOException {
        var posix = dir.getFileAttributeView(name, PosixFileAttributeView.class, NOFOLLOW);
        if (posix != null) {
            try {
                return posix.readAttributes();
            } catch (UnsupportedOperationException e) {
                // a file system without POSIX attributes: basic ones below
            }
        }
        return dir.getFileAttributeView(name, BasicFileAttributeView.class, NOFOLLOW).readAttributes();
    }

    boolean exists() throws IOException {
        try {
            attributes();
            return true;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /** Opens the file; a link in its place fails ({@code O_NOFOLLOW}). */
    FileChannel open(Set<? extends OpenOption> options, FileAttribute<?>... attributes) throws IOException {
        var all = new HashSet<OpenOption>(options);
        all.add(NOFOLLOW);
        var channel = linkIsMissing(() -> dir.newByteChannel(name, all, attributes));
        if (channel instanceof FileChannel file) {
            return file;
        }
        channel.close();
        throw new IOException("no file channel for " + name);
    }

    void setTimes(FileTime modified) throws IOException {
        linkIsMissing(() -> {
            dir.getFileAttributeView(name, BasicFileAttributeView.class, NOFOLLOW).setTimes(modified, null, null);
            return null;
        });
    }

    void setPermissions(Set<PosixFilePermission> permissions) throws IOException {
        var posix = dir.getFileAttributeView(name, PosixFileAttributeView.class, NOFOLLOW);
        if (posix == null) {
            throw new UnsupportedOperationException("no POSIX permissions here");
        }
        linkIsMissing(() -> {
            posix.setPermissions(permissions);
            return null;
        });
    }

    /** Deletes a file or a link (never what a link points to). */
    void deleteFile() throws IOException {
        dir.deleteFile(name);
    }

    void deleteDirectory() throws IOException {
        linkIsMissing(() -> {
            dir.deleteDirectory(name);
            return null;
        });
    }

    /** Renames this to {@code target} ({@code renameat(2)}): atomic, replaces a file, follows no link. */
    void moveTo(DirEntry target) throws IOException {
        dir.move(name, target.dir, target.name);
    }

    private interface Operation<T> {
        T run() throws IOException;
    }

    /** Runs an operation that opens the file without following a link: a link there (ELOOP) is as if missing. */
    private <T> T linkIsMissing(Operation<T> operation) throws IOException {
        try {
            return operation.run();
        } catch (IOException e) {
            throw Jail.asMissing(e, name.toString());
        }
    }

    @Override
    public void close() throws IOException {
        dir.close();
    }
}
