package gopl.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether stdout or stderr is a terminal, to choose between redrawn progress lines for people and
 * plain lines for scripts. Java has no isatty for a single stream, so on Linux we read where the
 * file descriptor points; elsewhere we fall back to {@link java.io.Console#isTerminal()}.
 */
public final class Terminal {
    private Terminal() {}

    public static boolean stdoutIsTerminal() {
        return isTerminal(1);
    }

    public static boolean stderrIsTerminal() {
        return isTerminal(2);
    }

    /** Whether ANSI cursor movement may be written to a terminal ({@code TERM=dumb} says no). */
    public static boolean ansiAllowed() {
        var term = System.getenv("TERM");
        return term != null && !term.equals("dumb");
    }

    private static boolean isTerminal(int fd) {
        var link = Path.of("/proc/self/fd/" + fd);
        try {
            var target = Files.readSymbolicLink(link).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException e) {
            var console = System.console();
            return console != null && console.isTerminal();
        }
    }
}
