package gopl.ftp;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Where an upload's bytes go, so that a failed upload never leaves an existing file half-written.
 * STOR (and REST+STOR into the middle of a file) writes a hidden temporary file beside the target
 * and renames it over the target only once the whole upload arrived. APPE (and REST+STOR at the
 * end of a file) appends in place, and on failure cuts the file back to its old length: the old
 * bytes are never touched, and a big file is not copied just to add to it.
 */
final class Upload implements AutoCloseable {
    private final Path target;
    private final Path temp; // null when appending in place
    private final long originalSize;
    private final FileChannel channel;
    private boolean committed;

    private Upload(Path target, Path temp, long originalSize, FileChannel channel) {
        this.target = target;
        this.temp = temp;
        this.originalSize = originalSize;
        this.channel = channel;
    }

    /** STOR: replaces the target, or creates it. */
    static Upload replace(Path target) throws IOException {
        return viaTemp(target, 0);
    }

    /** APPE: adds to the end of the target, or creates it. */
    static Upload append(Path target) throws IOException {
        if (!Files.exists(target)) {
            return replace(target);
        }
        var channel = FileChannel.open(target, StandardOpenOption.WRITE);
        long size = channel.size();
        channel.position(size);
        return new Upload(target, null, size, channel);
    }

    /**
     * REST {@code offset} then STOR: keeps the first {@code offset} bytes and writes the upload after them.
     *
     * @throws IllegalArgumentException if the offset lies past the end of the file
     */
    static Upload resume(Path target, long offset) throws IOException {
        long size = Files.exists(target) ? Files.size(target) : 0;
        if (offset > size) {
            throw new IllegalArgumentException("Restart offset " + offset + " is past the end of the file (" + size + " bytes).");
        }
        return offset == size ? append(target) : viaTemp(target, offset);
    }

    private static Upload viaTemp(Path target, long keep) throws IOException {
        var temp = Files.createTempFile(target.getParent(), ".ftp-upload-", ".part",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
        try {
            var channel = FileChannel.open(temp, StandardOpenOption.WRITE);
            if (keep > 0) {
                try (var old = FileChannel.open(target, StandardOpenOption.READ)) {
                    for (long pos = 0; pos < keep; ) {
                        pos += old.transferTo(pos, keep - pos, channel); // a kernel copy, no buffer here
                    }
                }
            }
            return new Upload(target, temp, 0, channel);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
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
            if (Files.exists(target)) {
                Files.setPosixFilePermissions(temp, Files.getPosixFilePermissions(target));
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        committed = true;
    }

    /** Undoes an upload that was not committed: the temporary file goes, an append is cut back. */
    @Override
    public void close() throws IOException {
        if (committed) {
            return;
        }
        if (temp != null) {
            channel.close();
            Files.deleteIfExists(temp);
            return;
        }
        try (var ch = channel.isOpen() ? channel : FileChannel.open(target, StandardOpenOption.WRITE)) {
            ch.truncate(originalSize);
        } finally {
            channel.close();
        }
    }
}
