package gopl.mandelbrot;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
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
 * that the descriptor is that file, then moves it to 2 with {@code dup2}.
 *
 * <p>Linking {@code dup2} through FFM costs about 40 ms of CPU, a sixth of a small render, so it
 * happens only where the filter is not as good: on a terminal at once (the tool must see a
 * terminal to draw its progress line), on a regular file at the first write (so that no line
 * reaches the file after the process has ended: the filter writes it a moment later). A pipe,
 * or {@code /dev/null}, keeps the filter: a pipe's reader gets every byte before end of file.
 */
final class StartupStderr {
    static final String FD = "mandelbrot.stderr.fd";
    static final String ID = "mandelbrot.stderr.id";
    /** Move at once, whatever the file: the build's class-data archive run, which has no terminal. */
    static final String NOW = "mandelbrot.stderr.now";

    private StartupStderr() {}

    /**
     * Does nothing unless the launcher set both properties and the descriptor is the file they
     * name: taking over a descriptor the JVM opened for itself would crash it. Never fails the
     * run: at worst stderr keeps going through the filter.
     */
    static void restore() {
        var fd = System.getProperty(FD);
        var id = System.getProperty(ID);
        try {
            int saved = fd == null ? -1 : Integer.parseInt(fd);
            if (id == null || !id.equals(fileId(saved))) {
                return;
            }
            var target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + saved)).toString();
            boolean terminal = target.startsWith("/dev/pts/") || target.startsWith("/dev/tty")
                    || target.equals("/dev/console");
            if (terminal || Boolean.getBoolean(NOW)) {
                move(saved);
            } else if (target.startsWith("/") && !target.startsWith("/dev/")) { // a file, perhaps deleted
                System.setErr(new PrintStream(new MoveOnFirstWrite(saved), true, System.err.charset()));
            }
        } catch (IOException | RuntimeException e) { // no /proc: the filter still passes everything on
            debug(e);
        }
    }

    /** Makes descriptor 2 a copy of {@code saved}; the launcher's copy stays open, and harmless. */
    @SuppressWarnings("restricted") // native access: bin/mandelbrot enables it
    private static void move(int saved) {
        try {
            var linker = Linker.nativeLinker();
            var dup2 = linker.downcallHandle(linker.defaultLookup().find("dup2").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
            System.err.flush();
            int ignored = (int) dup2.invokeExact(saved, 2);
        } catch (Throwable e) { // no FFM (native access denied): the filter still passes everything on
            debug(e);
        }
    }

    private static void debug(Throwable e) {
        if (System.getenv("GOPL_DEBUG") != null) {
            e.printStackTrace();
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

    /** Descriptor 2, moved back to the real stderr before the first byte is written to it. */
    private static final class MoveOnFirstWrite extends OutputStream {
        private final int saved;
        private final OutputStream stderr = new FileOutputStream(FileDescriptor.err);
        private boolean moved;

        MoveOnFirstWrite(int saved) {
            this.saved = saved;
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
            if (!moved) {
                move(saved);
                moved = true;
            }
            stderr.write(bytes, offset, length);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }
    }
}
