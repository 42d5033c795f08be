package gopl.common;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One line of progress redrawn in place at the bottom of a terminal ({@code du: 1.2s  src 3.1M in
 * 1,024 files}), and the only way the tools draw or erase one. Other messages go through
 * {@link #println} so that they never land in the middle of it.
 *
 * <p>Whether and how it is drawn is decided once, from facts a test can inject:
 * <ul>
 *   <li>{@link Mode#OFF} when the stream is not a terminal (a pipe, a file, a CI log): {@link #show}
 *       draws nothing and {@link #println} just prints, so output for scripts stays plain;
 *   <li>{@link Mode#PLAIN} on a terminal with {@code TERM=dumb} (or no {@code TERM}), or when
 *       {@code NO_COLOR} is set: no escape sequences at all; a carriage return goes back to the
 *       start and blanks erase what is left, as git does for a dumb terminal;
 *   <li>{@link Mode#ANSI} otherwise: a carriage return, the text, then {@code ESC [K} (erase to
 *       the end of the line).
 * </ul>
 * The text is cut to the terminal's width ({@code COLUMNS}, else 80) so that it never wraps,
 * which would leave a copy behind on every redraw, and control characters (a file name with a
 * newline) are shown as {@code ?}.
 *
 * <pre>{@code
 * try (var status = StatusLine.stderr(err).refreshEvery(Duration.ofMillis(250), this::progress)) {
 *     work(message -> status.println("mirror: " + message));
 * } // close() stops the refresh and erases the line
 * }</pre>
 *
 * <p>Thread-safe: the refresh thread and workers may call it at once.
 */
public final class StatusLine implements AutoCloseable {
    /** How the line is drawn; see the class comment. */
    public enum Mode { OFF, PLAIN, ANSI }

    private static final String ERASE_TO_END = "\033[K";

    private final PrintWriter out;
    private final Mode mode;
    private final int columns;
    private String shown = ""; // the text on screen now, "" when none
    private Thread refresher;

    /**
     * A status line on {@code out} drawn as {@code mode} says, cut to {@code columns}.
     *
     * @param columns the terminal's width (du asks the terminal itself); see {@link #columns(Map)}
     */
    public StatusLine(PrintWriter out, Mode mode, int columns) {
        this.out = out;
        this.mode = mode;
        this.columns = Math.max(columns, 10);
    }

    /** For a tool's stderr: drawn when stderr is a terminal, with this process's TERM and NO_COLOR. */
    public static StatusLine stderr(PrintWriter err) {
        return new StatusLine(err, mode(Terminal.stderrIsTerminal(), System.getenv()), columns(System.getenv()));
    }

    /** For a tool's stdout (clockwall's row): drawn when stdout is a terminal. */
    public static StatusLine stdout(PrintWriter out) {
        return new StatusLine(out, mode(Terminal.stdoutIsTerminal(), System.getenv()), columns(System.getenv()));
    }

    /** Never drawn: {@link #println} only. For when the terminal is busy with other output. */
    public static StatusLine off(PrintWriter out) {
        return new StatusLine(out, Mode.OFF, 80);
    }

    /** The mode for a stream that is or is not a terminal, under these environment variables. */
    public static Mode mode(boolean terminal, Map<String, String> env) {
        if (!terminal) {
            return Mode.OFF;
        }
        var term = env.getOrDefault("TERM", "");
        var noColor = env.getOrDefault("NO_COLOR", "");
        return term.isEmpty() || term.equals("dumb") || !noColor.isEmpty() ? Mode.PLAIN : Mode.ANSI;
    }

    /** The terminal's width as the shell exports it in {@code COLUMNS}, else 80. */
    public static int columns(Map<String, String> env) {
        try {
            int columns = Integer.parseInt(env.getOrDefault("COLUMNS", "80").strip());
            return columns >= 10 ? columns : 80;
        } catch (NumberFormatException e) {
            return 80;
        }
    }

    public Mode mode() {
        return mode;
    }

    /** Whether {@link #show} draws anything: false when the stream is not a terminal. */
    public boolean isLive() {
        return mode != Mode.OFF;
    }

    /** Draws {@code text} as the status line, over the one shown before; nothing when not live. */
    public synchronized void show(String text) {
        if (!isLive()) {
            return;
        }
        var fitted = fit(text);
        if (mode == Mode.ANSI) {
            out.print("\r" + fitted + ERASE_TO_END);
        } else {
            out.print("\r" + fitted + " ".repeat(Math.max(0, shown.length() - fitted.length())));
        }
        shown = fitted;
        out.flush();
    }

    /** Prints a line of its own (a warning, a result) above the status line, which is redrawn below it. */
    public synchronized void println(String line) {
        var kept = shown;
        erase();
        out.println(line);
        if (!kept.isEmpty()) {
            show(kept);
        }
        out.flush();
    }

    /** Erases the status line, leaving the cursor at the start of an empty line. */
    public synchronized void clear() {
        erase();
        out.flush();
    }

    /** Leaves the status line on screen as an ordinary line, and starts a new one (clockwall's last row). */
    public synchronized void keep() {
        if (!shown.isEmpty()) {
            out.println();
            shown = "";
        }
        out.flush();
    }

    /**
     * Redraws the line with {@code text.get()} on every tick of {@code interval} (aligned to the
     * clock, see {@link Ticker}) until {@link #close()}; does nothing when not live. The ticks run
     * on a platform daemon thread, so that a busy pool of virtual threads cannot starve them.
     */
    public synchronized StatusLine refreshEvery(Duration interval, Supplier<String> text) {
        if (isLive() && refresher == null) {
            var ticker = new Ticker(interval);
            refresher = Thread.ofPlatform().daemon().name("status-line").start(() -> {
                try {
                    while (true) {
                        ticker.await();
                        show(text.get());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // closed
                }
            });
        }
        return this;
    }

    /** Stops the refresh, if any, and erases the line. */
    @Override
    public void close() {
        Thread running;
        synchronized (this) {
            running = refresher;
            refresher = null;
        }
        if (running != null) {
            running.interrupt();
            try {
                running.join(); // outside the lock: it may be waiting for it to draw
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        clear();
    }

    private void erase() {
        if (shown.isEmpty()) {
            return;
        }
        out.print(mode == Mode.ANSI ? "\r" + ERASE_TO_END : "\r" + " ".repeat(shown.length()) + "\r");
        shown = "";
    }

    /** One line that fits the terminal: control characters shown as ?, cut with an ellipsis. */
    private String fit(String text) {
        var line = text.replaceAll("\\p{Cntrl}", "?");
        return line.length() < columns ? line : line.substring(0, columns - 2) + "…";
    }
}
