package gopl.mirror;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The mirror's directory, written and read without following symbolic links below it: someone
 * who can write there (a shared directory, an old mirror) could plant {@code host/img -> ~/.ssh}
 * to make us write, or read back and copy, files elsewhere. Each path component is opened
 * relative to its parent's open handle with {@code O_NOFOLLOW} ({@link SecureDirectoryStream},
 * which Linux and macOS have), so a link met on the way, planted before the run or swapped in
 * during it, is an error and nothing goes through it. DIR itself may be a link: the user chose it.
 *
 * <p>A missing directory is created by its path and then opened relative to its parent's handle,
 * so a swap in between can at worst create an empty directory elsewhere, never write into it.
 *
 * <p>The first {@link #MAX_OPEN} directories opened stay open until {@link #close}: opening every
 * component of a path for every file took five {@code openat}, ten {@code close} and eight
 * {@code fcntl} calls a file (strace, a 2,202-file mirror), more system calls than wget makes in
 * all. A directory swapped for a link after it was opened is not followed either: the handle
 * still names the directory that was opened.
 */
final class OutputDir implements Closeable {
    /** What to write into a file. */
    @FunctionalInterface
    interface Content {
        void writeTo(WritableByteChannel out) throws IOException;
    }

    private static final Set<OpenOption> CREATE = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS);
    private static final Set<OpenOption> READ = Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);

    /** Directories kept open at most (two descriptors each); beyond them, each is opened and closed for every file. */
    static final int MAX_OPEN = 128;

    private final Path root;
    private final Map<Path, SecureDirectoryStream<Path>> opened = new ConcurrentHashMap<>();
    /**
     * The directories this run created: nothing was in them to plant a link, and no one else may
     * write there (the umask), so a file written into one is not first checked for being a link,
     * a failed lookup that cost two exceptions a file (4,400 in a 2,202-file mirror). Were a link
     * put there all the same, renaming over it replaces the link, never what it points to.
     */
    private final Set<Path> created = ConcurrentHashMap.newKeySet();

    OutputDir(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** A directory handle for one operation: closed after it unless it is one of those kept open. */
    private record Handle(SecureDirectoryStream<Path> dir, boolean kept) implements Closeable {
        @Override
        public void close() throws IOException {
            if (!kept) {
                dir.close();
            }
        }
    }

    /** Closes the directories kept open; the next operation opens them again. */
    @Override
    public void close() throws IOException {
        for (var path : opened.keySet()) {
            var dir = opened.remove(path);
            if (dir != null) {
                dir.close();
            }
        }
    }

    /**
     * Writes a file atomically: the content goes to a temporary file in the same directory,
     * renamed over the target once complete, so an interrupted run never leaves half a page
     * under the final name and a re-run replaces the old copy in one step.
     */
    void write(Path file, Content content) throws IOException {
        write(file, content, null);
    }

    /** {@link #write(Path, Content)}, and the file's modification time set to {@code modified} unless it is null. */
    void write(Path file, Content content, FileTime modified) throws IOException {
        try (var handle = open(file.getParent(), true)) {
            var dir = handle.dir();
            var name = file.getFileName();
            if (!created.contains(file.getParent())) {
                refuseLink(dir, name, file);
            }
            var temp = Path.of(".mirror-" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".part");
            try {
                try (var out = dir.newByteChannel(temp, CREATE)) {
                    content.writeTo(out);
                }
                if (modified != null) { // access time now, as wget sets it; one null would cost a stat to keep it
                    dir.getFileAttributeView(temp, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                            .setTimes(modified, FileTime.from(Instant.now()), null);
                }
                dir.move(temp, dir, name); // renameat: replaces the target, never follows it
            } catch (IOException | RuntimeException | Error e) {
                try {
                    dir.deleteFile(temp);
                } catch (NoSuchFileException notWritten) {
                    // Not created, or renamed already.
                }
                throw e;
            }
        }
    }

    void write(Path file, byte[] bytes) throws IOException {
        write(file, bytes, null);
    }

    void write(Path file, byte[] bytes, FileTime modified) throws IOException {
        write(file, out -> out.write(java.nio.ByteBuffer.wrap(bytes)), modified);
    }

    /** Opens a file of the mirror for reading; a link is an error. */
    InputStream read(Path file) throws IOException {
        try (var handle = open(file.getParent(), false)) {
            refuseLink(handle.dir(), file.getFileName(), file);
            SeekableByteChannel channel = handle.dir().newByteChannel(file.getFileName(), READ);
            return Channels.newInputStream(channel);
        }
    }

    /**
     * The directory, opened component by component from DIR without following links, from the
     * deepest of its ancestors kept open.
     */
    private Handle open(Path dir, boolean create) throws IOException {
        if (!dir.startsWith(root)) {
            throw new IllegalArgumentException(dir + " is outside " + root);
        }
        var start = dir;
        while (!start.equals(root) && !opened.containsKey(start)) {
            start = start.getParent();
        }
        var kept = opened.get(start);
        if (kept == null) {
            start = root; // closed meanwhile: from the top
        }
        var current = kept != null ? new Handle(kept, true) : keep(root, secure(Files.newDirectoryStream(root)));
        try {
            var path = start;
            for (var name : start.equals(dir) ? List.<Path>of() : start.relativize(dir)) {
                path = path.resolve(name);
                var next = keep(path, child(current.dir(), name, path, create));
                current.close();
                current = next;
            }
            return current;
        } catch (IOException | RuntimeException e) {
            current.close();
            throw e;
        }
    }

    /** The directory as a handle, kept open if there is room and no other thread kept it first. */
    private Handle keep(Path path, SecureDirectoryStream<Path> dir) {
        if (opened.size() < MAX_OPEN && opened.putIfAbsent(path, dir) == null) {
            return new Handle(dir, true);
        }
        return new Handle(dir, false);
    }

    private SecureDirectoryStream<Path> child(SecureDirectoryStream<Path> parent, Path name, Path path, boolean create)
            throws IOException {
        var attributes = attributes(parent, name);
        if (attributes == null && create) {
            try {
                Files.createDirectory(path);
                created.add(path);
            } catch (FileAlreadyExistsException raced) {
                // Another worker made it first: open it below, as any existing directory.
            }
            attributes = attributes(parent, name);
        }
        if (attributes == null) {
            throw new NoSuchFileException(path.toString());
        }
        if (attributes.isSymbolicLink()) {
            throw linkError(path);
        }
        if (!attributes.isDirectory()) {
            throw new FileAlreadyExistsException(path.toString()); // "is a file, where a directory must go"
        }
        try {
            return secure(parent.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS));
        } catch (FileSystemException e) {
            var now = attributes(parent, name);
            throw now != null && now.isSymbolicLink() ? linkError(path) : e; // swapped for a link since
        }
    }

    private static void refuseLink(SecureDirectoryStream<Path> dir, Path name, Path path) throws IOException {
        var attributes = attributes(dir, name);
        if (attributes != null && attributes.isSymbolicLink()) {
            throw linkError(path);
        }
    }

    /** The entry's attributes, not following a link; null if there is no such entry. */
    private static BasicFileAttributes attributes(SecureDirectoryStream<Path> dir, Path name) throws IOException {
        try {
            return dir.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).readAttributes();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static FileSystemException linkError(Path path) {
        return new FileSystemException(path.toString(), null, "is a symbolic link; mirror writes nothing through links");
    }

    private static SecureDirectoryStream<Path> secure(DirectoryStream<Path> stream) throws IOException {
        if (stream instanceof SecureDirectoryStream<Path> secure) {
            return secure;
        }
        stream.close();
        throw new FileSystemException(null, null, "this platform cannot open files without following links");
    }
}
