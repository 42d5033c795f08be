package gopl.ftp;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The directory tree a server shares, and the only way a session turns a client's path into a
 * file: clients see {@code /} as the root, {@code ..} stops there, and a symbolic link that leads
 * out of the root is treated as if it did not exist. Paths are taken literally: FTP has no
 * percent-encoding, so {@code %2e%2e} is a file name, never {@code ..}.
 *
 * <p>Checking a path and then using it leaves a gap in which someone with a shell on the machine
 * could swap a file or directory for a link leading out. So the checks give a real, link-free path,
 * and every use that reads, writes or changes a file walks that path down from the root one
 * directory handle at a time, following no link ({@link #locate}): a link swapped in is refused.
 */
final class Jail {
    private final Path root;

    /**
     * @throws IOException if {@code root} is missing or not a directory
     * @throws UnsupportedOperationException if this platform cannot open a file relative to a directory
     */
    Jail(Path root) throws IOException {
        this.root = root.toRealPath();
        if (!Files.isDirectory(this.root)) {
            throw new NoSuchFileException(root.toString(), null, "not a directory");
        }
        openRoot().close();
    }

    Path root() {
        return root;
    }

    /** The client's view of {@code arg} typed in directory {@code cwd}: absolute, clean, never above {@code /}. */
    static String normalize(String cwd, String arg) {
        var parts = new ArrayDeque<String>();
        var joined = arg.startsWith("/") ? arg : cwd + "/" + arg;
        for (var part : joined.split("/")) {
            switch (part) {
                case "", "." -> {}
                case ".." -> parts.pollLast();
                default -> parts.addLast(part);
            }
        }
        return "/" + String.join("/", parts);
    }

    /**
     * The real file a client path names, following symbolic links, for reading or writing its
     * content. A path that does not exist yet (an upload) must have its parent inside the root.
     *
     * @throws NoSuchFileException if the path, or what a link in it points to, is outside the root
     */
    Path resolve(String virtual) throws NoSuchFileException {
        var path = hostPath(virtual);
        if (Files.exists(path)) {
            return inside(real(path, virtual), virtual);
        }
        if (Files.isSymbolicLink(path)) {
            throw new NoSuchFileException(virtual); // dangling: where it would write is not ours to know
        }
        return entry(virtual);
    }

    /**
     * The directory entry a client path names, without following a link in its last part: what
     * DELE, RMD, RNFR and RNTO act on, so that deleting a link never deletes its target.
     */
    Path entry(String virtual) throws NoSuchFileException {
        if (virtual.equals("/")) {
            return root;
        }
        var path = hostPath(virtual);
        var parent = inside(real(path.getParent(), virtual), virtual);
        if (!Files.isDirectory(parent)) {
            throw new NoSuchFileException(virtual);
        }
        return parent.resolve(path.getFileName());
    }

    /** Whether a real (link-free) path lies inside the root. */
    boolean contains(Path real) {
        return real.startsWith(root);
    }

    /** The real path a link leads to, or null if it leads out of the root or nowhere: listings leave those out. */
    Path linkTarget(Path link) {
        try {
            var target = link.toRealPath();
            return contains(target) ? target : null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The directory entry of a real path that {@link #resolve} or {@link #entry} gave: its
     * directory opened from the root one name at a time without following a link.
     *
     * @throws NoSuchFileException if a directory on the way is now a link, or gone
     * @throws AccessDeniedException for the root itself, which has no entry inside the root
     */
    DirEntry locate(Path real) throws IOException {
        if (real.equals(root)) {
            throw new AccessDeniedException("/");
        }
        return new DirEntry(openDirectory(real.getParent()), real.getFileName());
    }

    /**
     * MKD: creates directory {@code real}, a path {@link #entry} gave. Java has no {@code mkdirat},
     * so a new directory is made by path where no client can swap anything, the root, and renamed
     * into place through its parent's handle, as {@link #locate} opens it. When the root is not
     * writable (or is on another file system), it is made beside the target instead and found
     * again through the parent's handle; a race can then at worst leave an empty directory with a
     * random name wherever a swapped-in link led, never the client's name or content.
     */
    void createDirectory(Path real) throws IOException {
        try (var target = locate(real)) {
            if (target.exists()) {
                throw new FileAlreadyExistsException(real.getFileName().toString());
            }
            try {
                makeAndMove(root, openRoot(), target);
            } catch (AccessDeniedException | AtomicMoveNotSupportedException e) {
                makeAndMove(real.getParent(), openDirectory(real.getParent()), target);
            }
        }
    }

    /** Makes an empty directory in {@code dir} (by path) and renames it to {@code target} through {@code handle}, dir's handle. */
    private static void makeAndMove(Path dir, SecureDirectoryStream<Path> handle, DirEntry target) throws IOException {
        var name = ".ftp-mkdir-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        try (var made = new DirEntry(handle, Path.of(name))) {
            Files.createDirectory(dir.resolve(name));
            try {
                made.moveTo(target);
            } catch (IOException e) {
                try {
                    made.deleteDirectory();
                } catch (IOException gone) {
                    e.addSuppressed(gone); // not where the handle is: a link was swapped in (see above)
                }
                throw e;
            }
        }
    }

    /** Directory {@code real} opened for listing, reached as {@link #locate} reaches a directory. */
    SecureDirectoryStream<Path> openDirectory(Path real) throws IOException {
        if (!contains(real)) {
            throw new NoSuchFileException(real.toString());
        }
        var dir = openRoot();
        try {
            for (var name : root.relativize(real)) {
                if (name.toString().isEmpty()) {
                    continue; // the root itself relativizes to the empty path
                }
                var next = dir.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS);
                dir.close();
                dir = next;
            }
            return dir;
        } catch (IOException e) {
            dir.close();
            throw asMissing(e, real.toString());
        } catch (RuntimeException e) {
            dir.close();
            throw e;
        }
    }

    /** The attributes of a real path, read without following a link on the way (a stale check's link is missing). */
    BasicFileAttributes attributes(Path real) throws IOException {
        if (real.equals(root)) {
            return Listing.attributes(root);
        }
        try (var entry = locate(real)) {
            return entry.attributes();
        }
    }

    private SecureDirectoryStream<Path> openRoot() throws IOException {
        var stream = Files.newDirectoryStream(root);
        if (stream instanceof SecureDirectoryStream<Path> secure) {
            return secure;
        }
        stream.close();
        throw new UnsupportedOperationException("this platform cannot open files relative to a directory");
    }

    /**
     * A link found where a directory or file was expected (ELOOP under no-follow, ENOTDIR): to a
     * client, as if missing, like every link leading out. Other failures are what they are.
     */
    static IOException asMissing(IOException e, String name) {
        var message = String.valueOf(e instanceof FileSystemException fs ? fs.getReason() : e.getMessage());
        boolean link = message.contains("symbolic link") || message.startsWith("Not a directory");
        return link ? new NoSuchFileException(name) : e;
    }

    private Path hostPath(String virtual) {
        // normalize() leaves no "..", so this path is lexically under the root; links are checked later.
        return root.resolve(virtual.substring(1));
    }

    private static Path real(Path path, String virtual) throws NoSuchFileException {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            throw new NoSuchFileException(virtual);
        }
    }

    private Path inside(Path real, String virtual) throws NoSuchFileException {
        if (!contains(real)) {
            throw new NoSuchFileException(virtual);
        }
        return real;
    }
}
