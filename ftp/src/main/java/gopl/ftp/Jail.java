package gopl.ftp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;

/**
 * The directory tree a server shares, and the only way a session turns a client's path into a
 * file: clients see {@code /} as the root, {@code ..} stops there, and a symbolic link that leads
 * out of the root is treated as if it did not exist. Paths are taken literally: FTP has no
 * percent-encoding, so {@code %2e%2e} is a file name, never {@code ..}.
 */
final class Jail {
    private final Path root;

    /** @throws IOException if {@code root} is missing or not a directory */
    Jail(Path root) throws IOException {
        this.root = root.toRealPath();
        if (!Files.isDirectory(this.root)) {
            throw new NoSuchFileException(root.toString(), null, "not a directory");
        }
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

    /** Whether a directory entry is a link leading out of the root, or nowhere: listings leave those out. */
    boolean leadsOut(Path entry) {
        if (!Files.isSymbolicLink(entry)) {
            return false;
        }
        try {
            return !contains(entry.toRealPath());
        } catch (IOException e) {
            return true;
        }
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
