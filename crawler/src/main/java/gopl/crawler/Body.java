package gopl.crawler;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

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
        private ByteArrayOutputStream memory = new ByteArrayOutputStream();
        private Path file;
        private FileChannel channel;
        private long size;

        Builder(long loadLimit) {
            this.loadLimit = loadLimit;
        }

        long size() {
            return size;
        }

        void write(ByteBuffer data) throws IOException {
            int n = data.remaining();
            if (channel == null && size + n > IN_MEMORY) {
                file = Files.createTempFile("gopl-crawl-", ".body");
                channel = FileChannel.open(file, StandardOpenOption.WRITE);
                channel.write(ByteBuffer.wrap(memory.toByteArray()));
                memory = null;
            }
            if (channel != null) {
                while (data.hasRemaining()) {
                    channel.write(data);
                }
            } else {
                var bytes = new byte[n];
                data.get(bytes);
                memory.write(bytes, 0, n);
            }
            size += n;
        }

        Body build() throws IOException {
            if (channel == null) {
                return new Body(memory.toByteArray(), null, size, loadLimit);
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

    /**
     * Collects a body up to a size cap, in memory or spooled (see {@link Body}), asking for one
     * buffer at a time so that a fast server cannot queue data faster than it is written. Past
     * the cap it cancels the subscription, which makes the client drop the connection rather than
     * download the rest: with {@code truncate} the first bytes are the body, else it fails.
     */
    static final class Subscriber implements BodySubscriber<Body> {
        private final CompletableFuture<Body> result = new CompletableFuture<>();
        private final Builder body;
        private final long maxSize;
        private final boolean truncate;
        private final long declared;
        private Flow.Subscription subscription;
        private boolean over;

        Subscriber(long maxSize, boolean truncate, long loadLimit, HttpResponse.ResponseInfo info) {
            this.body = new Builder(loadLimit);
            this.maxSize = maxSize;
            this.truncate = truncate;
            this.declared = info.headers().firstValueAsLong("content-length").orElse(-1);
        }

        @Override
        public synchronized void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            if (maxSize == 0) {
                end(null);
            } else if (declared > maxSize && !truncate) {
                end(new Fetcher.FetchException("larger than the size cap of " + maxSize + " bytes", 0, null));
            } else {
                subscription.request(1);
            }
        }

        @Override
        public synchronized void onNext(List<ByteBuffer> items) {
            try {
                for (var item : items) {
                    if (over) {
                        return;
                    }
                    if (body.size() + item.remaining() > maxSize) {
                        if (!truncate) {
                            end(new Fetcher.FetchException("larger than the size cap of " + maxSize + " bytes", 0, null));
                            return;
                        }
                        item.limit(item.position() + (int) (maxSize - body.size()));
                        body.write(item);
                        end(null);
                        return;
                    }
                    body.write(item);
                }
                subscription.request(1);
            } catch (IOException e) {
                end(new Fetcher.FetchException("cannot spool the body: " + e.getMessage(), 0, e));
            }
        }

        /** Stops reading: completes with what came so far, or fails with the error. */
        private void end(Fetcher.FetchException error) {
            subscription.cancel();
            if (error == null) {
                onComplete();
            } else {
                onError(error);
            }
        }

        @Override
        public synchronized void onError(Throwable error) {
            if (!over) { // signals may still come after a cancel
                over = true;
                body.discard();
                result.completeExceptionally(error);
            }
        }

        @Override
        public synchronized void onComplete() {
            if (!over) {
                over = true;
                try {
                    result.complete(body.build());
                } catch (IOException e) {
                    body.discard();
                    result.completeExceptionally(e);
                }
            }
        }

        /** The exchange was abandoned (timeout, interrupt): delete what was spooled. */
        synchronized void discard() {
            if (!over) {
                over = true;
                body.discard();
            }
            result.thenAccept(Body::discard);
        }

        @Override
        public CompletionStage<Body> getBody() {
            return result;
        }
    }
}
