package gopl.crawler;

import gopl.common.ObservedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;

/**
 * wget's {@code --limit-rate}: the bytes all downloads of a crawl read, together, kept under a rate
 * by sleeping after each read until the bytes so far are due. The socket's buffers fill, and TCP
 * slows the server down in turn.
 */
final class RateLimit {
    private final long bytesPerSecond;
    private long due = System.nanoTime(); // when the bytes read so far are paid for

    RateLimit(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
    }

    /** Waits until {@code bytes} more are allowed. */
    void pay(long bytes) throws InterruptedException {
        long wait;
        synchronized (this) {
            long now = System.nanoTime();
            due = Math.max(due, now) + bytes * 1_000_000_000L / bytesPerSecond;
            wait = due - now;
        }
        if (wait > 0) {
            Thread.sleep(Duration.ofNanos(wait));
        }
    }

    /** The stream, each read paid for. */
    InputStream wrap(InputStream in) {
        return new ObservedInputStream(in, n -> {
            try {
                pay(n);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted");
            }
        });
    }
}
