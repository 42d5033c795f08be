package gopl.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether stdin, stdout or stderr is a terminal, to choose between a redrawn status line for
 * people and plain lines for scripts (see {@link StatusLine}), or to refuse to write binary to a
 * screen. Java has no isatty for a single stream, so on Linux we read where the file descriptor
 * points; elsewhere we fall back to {@link java.io.Console#isTerminal()}.
 */
public final class Terminal {
    private Terminal() {}

    public static boolean stdinIsTerminal() {
        return isTerminal(0);
    }

    public static boolean stdoutIsTerminal() {
        return isTerminal(1);
    }

    public static boolean stderrIsTerminal() {
        return isTerminal(2);
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
