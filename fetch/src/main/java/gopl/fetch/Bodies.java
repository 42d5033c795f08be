package gopl.fetch;

import gopl.common.ContentCoding;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Reading a body fetch asked for: decoded as its {@code Content-Encoding} says (gzip, deflate),
 * cut off past the size cap (so a compression bomb ends there), and within a deadline: a watchdog
 * closes the stream when it passes, which aborts the exchange and wakes the blocked read.
 */
final class Bodies {
    /** The deadline passed while the body was read. */
    static final class TimedOut extends IOException {
        TimedOut() {
            super("timed out");
        }
    }

    /** What a compressed body may inflate to unless --max-filesize says otherwise: past it, a bomb. */
    static final long MAX_DECODED = 1L << 30;

    private Bodies() {}

    /**
     * The body's bytes as they are meant to be read: decoded (if we asked for compression: else
     * as they came, as curl writes them), and capped at {@code maxSize} (-1: none for a plain body,
     * {@link #MAX_DECODED} for a compressed one).
     */
    static InputStream decoded(HttpResponse<InputStream> response, long maxSize, boolean decode) throws IOException {
        var encoding = decode ? response.headers().firstValue("content-encoding").orElse(null) : null;
        var in = ContentCoding.decode(response.body(), encoding);
        if (maxSize >= 0) {
            return ContentCoding.capped(in, maxSize);
        }
        return ContentCoding.isEncoded(encoding) ? ContentCoding.capped(in, MAX_DECODED) : in;
    }

    /** Copies the decoded body to {@code out} before the deadline (System.nanoTime); returns the bytes copied. */
    static long copy(HttpResponse<InputStream> response, OutputStream out, long deadline, long maxSize, boolean decode)
            throws IOException {
        var timedOut = new java.util.concurrent.atomic.AtomicBoolean();
        var watchdog = Thread.ofVirtual().name("body-deadline").start(() -> {
            try {
                Thread.sleep(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
                timedOut.set(true);
                response.body().close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // read in time
            } catch (IOException e) {
                // Closing was all we wanted.
            }
        });
        try (var in = decoded(response, maxSize, decode)) {
            return in.transferTo(out);
        } catch (IOException e) {
            throw timedOut.get() ? new TimedOut() : e;
        } finally {
            watchdog.interrupt();
        }
    }
}
