package gopl.mandelbrot;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Puts the real stderr back on descriptor 2 after start-up. A JVM that loads an incubator module
 * prints "WARNING: Using incubator modules: jdk.incubator.vector" on stderr before {@code main},
 * and no option turns that off. So {@code bin/mandelbrot} starts the JVM with stderr through a
 * filter that drops that one line, and the real stderr on another descriptor: the system
 * property {@value #FD} names it, and {@value #ID} says which file it is ({@code dev:inode}, as
 * {@code stat -L -c %d:%i} prints it). {@link #restore()}, first thing in {@code main}, checks
 * that the descriptor is that file, then moves it to 2 with {@code dup2}. From then on
 * everything, the JVM's own messages included, goes straight to the real stderr, and a terminal
 * there is a terminal to the tool (its progress line).
 */
final class StartupStderr {
    static final String FD = "mandelbrot.stderr.fd";
    static final String ID = "mandelbrot.stderr.id";

    private StartupStderr() {}

    /**
     * Does nothing unless the launcher set both properties and the descriptor is the file they
     * name: closing a descriptor the JVM opened for itself would crash it. Never fails the run:
     * at worst stderr keeps going through the filter.
     */
    static void restore() {
        var fd = System.getProperty(FD);
        var id = System.getProperty(ID);
        try {
            if (fd == null || id == null || !id.equals(fileId(Integer.parseInt(fd)))) {
                return;
            }
            var linker = Linker.nativeLinker();
            var libc = linker.defaultLookup();
            var dup2 = linker.downcallHandle(libc.find("dup2").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
            var close = linker.downcallHandle(libc.find("close").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT));
            System.err.flush();
            if ((int) dup2.invokeExact(Integer.parseInt(fd), 2) == 2) {
                int ignored = (int) close.invokeExact(Integer.parseInt(fd)); // 2 is the copy we keep
            }
        } catch (Throwable e) { // no /proc, no FFM: the filter still passes everything on
            if (System.getenv("GOPL_DEBUG") != null) {
                e.printStackTrace();
            }
        }
    }

    /** {@code dev:inode} of the file open on descriptor {@code fd}, or null if none is. */
    static String fileId(int fd) {
        try {
            var file = Path.of("/proc/self/fd/" + fd);
            return Files.getAttribute(file, "unix:dev") + ":" + Files.getAttribute(file, "unix:ino");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
