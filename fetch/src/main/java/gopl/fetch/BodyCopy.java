package gopl.fetch;

import gopl.common.SizeFormat;
import gopl.common.StatusLine;
import gopl.common.ToolException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;

/**
 * Streams the winner's body to stdout. A body that stalls for longer than the timeout is
 * abandoned: a watchdog closes the response stream, which cancels the exchange (dropping the
 * connection) and wakes the blocked read with an IOException. On a terminal, the status line
 * shows the bytes received as they come.
 */
final class BodyCopy {
    private final Duration stall;
    private final StatusLine status;
    private final long maxSize;
    private final boolean decode;
    private volatile long lastRead = System.nanoTime();
    private volatile boolean stalled;
    private volatile long copied;

    /** @param maxSize see {@link Bodies#decoded} */
    BodyCopy(Duration stall, StatusLine status, long maxSize, boolean decode) {
        this.stall = stall;
        this.status = status;
        this.maxSize = maxSize;
        this.decode = decode;
    }

    void copy(FirstResponse.Winner winner, OutputStream out) {
        try (InputStream in = winner.response().body();
                var _ = status.refreshEvery(Duration.ofMillis(250), () -> "fetch: " + SizeFormat.iec(copied) + " received")) {
            var watchdog = Thread.ofVirtual().name("stall-watchdog").start(() -> watch(in));
            try {
                pump(Bodies.decoded(winner.response(), maxSize, decode), out);
            } finally {
                watchdog.interrupt();
            }
        } catch (WriteFailed e) {
            throw new ToolException("cannot write output: " + FetchCommand.describe(e.getCause(), stall));
        } catch (IOException e) {
            var why = stalled ? "no data for " + gopl.common.GoDuration.format(stall) : FetchCommand.describe(e, stall);
            throw new ToolException(winner.uri() + ": body failed after " + copied + " bytes: " + why);
        }
    }

    private void pump(InputStream in, OutputStream out) throws IOException {
        var buffer = new byte[64 * 1024];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            lastRead = System.nanoTime();
            try {
                out.write(buffer, 0, n);
            } catch (IOException e) {
                throw new WriteFailed(e);
            }
            copied += n; // only this thread writes it
        }
        try {
            out.flush();
        } catch (IOException e) {
            throw new WriteFailed(e);
        }
    }

    private void watch(InputStream in) {
        try {
            while (true) {
                long idle = System.nanoTime() - lastRead;
                if (idle >= stall.toNanos()) {
                    stalled = true;
                    in.close();
                    return;
                }
                Thread.sleep(Duration.ofNanos(Math.min(stall.toNanos() - idle, 100_000_000L)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the copy finished
        } catch (IOException e) {
            // Closing was all we wanted.
        }
    }

    /** Writing stdout failed (a closed pipe): not the server's fault. */
    private static final class WriteFailed extends IOException {
        WriteFailed(IOException cause) {
            super(cause);
        }
    }
}
