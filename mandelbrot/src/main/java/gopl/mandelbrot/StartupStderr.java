package gopl.mandelbrot;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;

/**
 * Puts the real stderr back on descriptor 2 after start-up. A JVM that loads an incubator module
 * prints "WARNING: Using incubator modules: jdk.incubator.vector" on stderr before {@code main},
 * and no option turns that off. So {@code bin/mandelbrot} starts the JVM with stderr through a
 * filter that drops that one line, and the real stderr on another descriptor, named by the
 * system property {@value #PROPERTY}; {@link #restore()}, first thing in {@code main}, moves it
 * back to 2 with {@code dup2}. From then on everything, the JVM's own messages included, goes
 * straight to the real stderr, and a terminal there is a terminal to the tool (its progress line).
 */
final class StartupStderr {
    static final String PROPERTY = "mandelbrot.stderr.fd";

    private StartupStderr() {}

    /** Does nothing unless the launcher set {@value #PROPERTY}; never fails the run. */
    static void restore() {
        var saved = System.getProperty(PROPERTY);
        if (saved == null) {
            return;
        }
        try {
            int fd = Integer.parseInt(saved);
            var linker = Linker.nativeLinker();
            var libc = linker.defaultLookup();
            var dup2 = linker.downcallHandle(libc.find("dup2").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
            var close = linker.downcallHandle(libc.find("close").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT));
            System.err.flush();
            if ((int) dup2.invokeExact(fd, 2) == 2) {
                int ignored = (int) close.invokeExact(fd); // the copy on 2 is the one we keep
            }
        } catch (Throwable e) { // no FFM, no such descriptor: stderr keeps going through the filter
            System.err.println("mandelbrot: warning: stderr stays filtered: " + e);
        }
    }
}
