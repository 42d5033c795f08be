package gopl.du;

import gopl.common.Terminal;
import gopl.common.Ticker;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * {@code du -v}: each root's running totals on stderr every interval, as the book's du3 prints
 * them on each tick. On a terminal it is one line redrawn in place; otherwise (a log, a pipe)
 * one plain line per tick and a last one at the end. Warnings go through here too, so that
 * they never land in the middle of the redrawn line.
 */
final class Progress implements AutoCloseable {
    private final List<Roots.Root> roots;
    private final boolean apparent;
    private final PrintWriter err;
    private final boolean terminal;
    private final int columns;
    private final String clear; // returns to the start of the line and blanks it
    private final long started = System.nanoTime();
    private final Thread ticker;
    private boolean drawn; // a line is on screen to clear; guarded by err

    /** Starts printing every interval; {@code columns} is the width to fit a terminal line to. */
    Progress(List<Roots.Root> roots, boolean apparent, Duration interval, PrintWriter err, boolean terminal,
            int columns) {
        this.roots = roots;
        this.apparent = apparent;
        this.err = err;
        this.terminal = terminal;
        this.columns = columns;
        this.clear = Terminal.ansiAllowed() ? "\r\033[K" : "\r" + " ".repeat(columns - 1) + "\r";
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
        var line = line();
        synchronized (err) {
            if (terminal) {
                var fitted = line.length() < columns ? line : line.substring(0, Math.max(0, columns - 2)) + "…";
                err.print(clear + fitted);
                drawn = true;
            } else {
                err.println(line);
            }
            err.flush();
        }
    }

    /** {@code du: 1.2s  src 3.1M in 1,024 files  docs 120K in 13 files}. */
    String line() {
        var seconds = (System.nanoTime() - started) / 1e9;
        var line = new StringBuilder(String.format(Locale.ROOT, "du: %.1fs", seconds));
        for (var root : roots) {
            if (root.stat != null) {
                long bytes = apparent ? root.bytes.sum() : root.blocks.sum() * 512;
                line.append(String.format(Locale.ROOT, "  %s %s in %,d files",
                        root.name.replaceAll("\\p{Cntrl}", "?"), DuCommand.human(bytes), root.files.sum()));
            }
        }
        return line.toString();
    }

    /** Prints a warning on its own line, clearing the progress line first on a terminal. */
    void warn(String message) {
        synchronized (err) {
            clearLine();
            err.println(message);
            err.flush();
        }
    }

    private void clearLine() {
        if (drawn) {
            err.print(clear);
            drawn = false;
        }
    }

    /** Stops the ticks; clears the terminal line, or prints the final totals as a last plain line. */
    @Override
    public void close() {
        ticker.interrupt();
        try {
            ticker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (terminal) {
            synchronized (err) {
                clearLine();
                err.flush();
            }
        } else {
            print();
        }
    }
}
