package gopl.fetch;

import gopl.common.ToolException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * Streams the winner's body to stdout. A body that stalls for longer than the timeout is
 * abandoned: a watchdog closes the response stream, which cancels the exchange (dropping the
 * connection) and wakes the blocked read with an IOException. On a terminal, stderr shows the bytes received as they come.
 */
final class BodyCopy {
    private static final long PROGRESS_EVERY = 250_000_000L; // ns

    private final Duration stall;
    private final PrintWriter progress;
    private volatile long lastRead = System.nanoTime();
    private volatile boolean stalled;
    private long copied;

    /** progress: where to redraw a progress line, or null when stderr is not a terminal. */
    BodyCopy(Duration stall, PrintWriter progress) {
        this.stall = stall;
        this.progress = progress;
    }

    void copy(FirstResponse.Winner winner, OutputStream out) {
        try (InputStream in = winner.response().body()) {
            var watchdog = Thread.ofVirtual().name("stall-watchdog").start(() -> watch(in));
            try {
                pump(in, out);
            } finally {
                watchdog.interrupt();
            }
        } catch (WriteFailed e) {
            throw new ToolException("cannot write output: " + FetchCommand.describe(e.getCause(), stall));
        } catch (IOException e) {
            var why = stalled ? "no data for " + gopl.common.GoDuration.format(stall) : FetchCommand.describe(e, stall);
            throw new ToolException(winner.uri() + ": body failed after " + copied + " bytes: " + why);
        } finally {
            if (progress != null) {
                progress.print("\r\033[K");
                progress.flush();
            }
        }
    }

    private void pump(InputStream in, OutputStream out) throws IOException {
        var buffer = new byte[64 * 1024];
        long shown = System.nanoTime();
        for (int n; (n = in.read(buffer)) >= 0; ) {
            lastRead = System.nanoTime();
            try {
                out.write(buffer, 0, n);
            } catch (IOException e) {
                throw new WriteFailed(e);
            }
            copied += n;
            if (progress != null && lastRead - shown > PROGRESS_EVERY) {
                progress.printf(Locale.ROOT, "\rfetch: %,d bytes received", copied);
                progress.flush();
                shown = lastRead;
            }
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
