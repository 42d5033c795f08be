package gopl.fetch;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A body saved to a file, as curl's {@code -o FILE} and {@code -O} save it, but whole or not at
 * all: written to a temporary file beside it and renamed over it once complete, so a failed or
 * interrupted download leaves the file that was there as it was (curl leaves half a file).
 */
final class OutputFile implements AutoCloseable {
    private final Path target;
    private final Path temp;
    private final OutputStream out;
    private boolean committed;

    private OutputFile(Path target, Path temp) throws IOException {
        this.target = target;
        this.temp = temp;
        this.out = Files.newOutputStream(temp);
    }

    /** Starts writing {@code target}; nothing is there under its name until {@link #commit}. */
    static OutputFile create(Path target) throws IOException {
        var dir = target.toAbsolutePath().getParent();
        var temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".part");
        try {
            return new OutputFile(target, temp);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    OutputStream stream() {
        return out;
    }

    Path target() {
        return target;
    }

    /** Puts the complete file in place, replacing what was there. */
    void commit() throws IOException {
        out.close();
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        committed = true;
    }

    @Override
    public void close() throws IOException {
        if (!committed) {
            out.close();
            Files.deleteIfExists(temp);
        }
    }

    /**
     * The file name curl's {@code -O} takes from a URL: its path's last segment, as written (still
     * percent-encoded, as curl leaves it); null when there is none ({@code /}, {@code /dir/}), or
     * it is {@code .} or {@code ..}, which name no file.
     */
    static String remoteName(URI uri) {
        var path = uri.getRawPath() == null ? "" : uri.getRawPath();
        var name = path.substring(path.lastIndexOf('/') + 1);
        return name.isEmpty() || name.equals(".") || name.equals("..") ? null : name;
    }
}
