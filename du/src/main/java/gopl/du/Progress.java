package gopl.du;

import gopl.common.SizeFormat;
import gopl.common.StatusLine;
import gopl.common.Ticker;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * {@code du -v}: each root's running totals on stderr every interval, as the book's du3 prints
 * them on each tick. On a terminal it is the status line, redrawn in place; otherwise (a log, a
 * pipe) one plain line per tick and a last one at the end. Warnings go through here too, so that
 * they never land in the middle of the redrawn line.
 */
final class Progress implements AutoCloseable {
    private final List<Roots.Root> roots;
    private static final int MAX_LENGTH = 4096;
    private final StatusLine status;
    private final long started = System.nanoTime();
    private final Thread ticker;

    /** Starts printing every interval on {@code status}: redrawn when it is live, else plain lines. */
    Progress(List<Roots.Root> roots, Duration interval, StatusLine status) {
        this.roots = roots;
        this.status = status;
        // A platform thread: the walk's native calls pin every carrier of the virtual threads.
        this.ticker = Thread.ofPlatform().daemon().name("du-progress").start(() -> tick(new Ticker(interval)));
    }

    private void tick(Ticker ticker) {
        try {
            while (true) {
                ticker.await();
                print();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closed: the walk is over
        }
    }

    private void print() {
        synchronized (roots) {
            if (roots.isEmpty()) {
                return; // a tick before the walk has begun: "du: 0.0s" alone says nothing
            }
        }
        if (status.isLive()) {
            status.show(line());
        } else {
            status.println(line());
        }
    }

    /** {@code du: 1.2s  src 3.1M in 1,024 files  docs 120K in 13 files}. */
    String line() {
        var seconds = (System.nanoTime() - started) / 1e9;
        var line = new StringBuilder(String.format(Locale.ROOT, "du: %.1fs", seconds));
        synchronized (roots) {
            for (var root : roots) {
                if (line.length() > MAX_LENGTH) {
                    break; // the roots still to come, if there are thousands, would not fit anyway
                }
                line.append(String.format(Locale.ROOT, "  %s %s in %,d files",
                        root.name.replaceAll("\\p{Cntrl}", "?"), SizeFormat.human(root.size()), root.files()));
            }
        }
        return line.toString();
    }

    /** Prints a warning on its own line, above the status line on a terminal. */
    void warn(String message) {
        status.println(message);
    }

    /** Stops the ticks; erases the status line, or prints the final totals as a last plain line. */
    @Override
    public void close() {
        ticker.interrupt();
        try {
            ticker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (status.isLive()) {
            status.close();
        } else {
            print();
        }
    }
}
