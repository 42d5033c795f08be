package gopl.crawler;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * A response body: in memory when it is small, else in a temporary file (the spool), so that
 * twenty downloads near the size cap do not sit in the heap together. The crawl deletes the
 * spool file once the page's callbacks have returned: read the body within them.
 */
public final class Body {
    /** Bodies up to this size stay in memory; larger ones go to a temporary file. */
    static final int IN_MEMORY = 1 << 20;

    private final byte[] bytes; // null when spooled
    private final Path file; // null when in memory
    private final long size;
    private final long loadLimit;

    private Body(byte[] bytes, Path file, long size, long loadLimit) {
        this.bytes = bytes;
        this.file = file;
        this.size = size;
        this.loadLimit = loadLimit;
    }

    static Body of(byte[] bytes) {
        return new Body(bytes, null, bytes.length, Long.MAX_VALUE);
    }

    public long size() {
        return size;
    }

    public boolean inMemory() {
        return file == null;
    }

    /** The spool file, or null when the body is in memory. */
    public Path file() {
        return file;
    }

    /**
     * Whether {@link #bytes()} may load it: the crawl budgets the memory of the pages it hands
     * out up to this size (see {@link Crawler}); larger bodies are to be streamed.
     */
    public boolean loadable() {
        return size <= loadLimit;
    }

    /** The whole body; for a {@link #loadable()} body only. */
    public byte[] bytes() {
        if (!loadable()) {
            throw new IllegalStateException("a body of " + size + " bytes is too large to load; stream it");
        }
        if (bytes != null) {
            return bytes;
        }
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public InputStream stream() throws IOException {
        return bytes != null ? new ByteArrayInputStream(bytes) : Files.newInputStream(file);
    }

    /** Copies the body to the channel without loading it. */
    public void writeTo(WritableByteChannel out) throws IOException {
        if (bytes != null) {
            var buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            return;
        }
        try (var in = FileChannel.open(file, StandardOpenOption.READ)) {
            for (long at = 0; at < size; ) {
                at += in.transferTo(at, size - at, out);
            }
        }
    }

    void discard() {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // A temporary file we cannot delete: the OS cleans its temp directory.
            }
        }
    }

    /** Collects a body as it arrives: in memory, then in the spool file once it outgrows {@link #IN_MEMORY}. */
    static final class Builder {
        private final long loadLimit;
        private byte[] memory;
        private Path file;
        private FileChannel channel;
        private long size;

        /** @param expected the size announced, or -1: a body that says it fits in memory gets one array of that size */
        Builder(long loadLimit, long expected) {
            this.loadLimit = loadLimit;
            this.memory = new byte[expected >= 0 && expected <= IN_MEMORY ? (int) expected : 8192];
        }

        long size() {
            return size;
        }

        void write(byte[] data, int offset, int length) throws IOException {
            if (channel == null && size + length > IN_MEMORY) {
                file = Files.createTempFile("gopl-crawl-", ".body");
                channel = FileChannel.open(file, StandardOpenOption.WRITE);
                channel.write(ByteBuffer.wrap(memory, 0, (int) size));
                memory = null;
            }
            if (channel != null) {
                var buffer = ByteBuffer.wrap(data, offset, length);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            } else {
                if (size + length > memory.length) {
                    memory = Arrays.copyOf(memory, (int) Math.min(IN_MEMORY, Math.max(size + length, 2L * memory.length)));
                }
                System.arraycopy(data, offset, memory, (int) size, length);
            }
            size += length;
        }

        Body build() throws IOException {
            if (channel == null) {
                return new Body(size == memory.length ? memory : Arrays.copyOf(memory, (int) size), null, size, loadLimit);
            }
            channel.close();
            return new Body(null, file, size, loadLimit);
        }

        /** Drops what was collected, spool file included. */
        void discard() {
            try {
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException e) {
                // Closing a file we only wrote to: nothing to save.
            }
            if (file != null) {
                new Body(null, file, size, loadLimit).discard();
            }
        }
    }
}
