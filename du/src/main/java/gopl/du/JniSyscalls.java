package gopl.du;

import gopl.common.StartJar;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * System calls through du's JNI library, {@code libgopl-du.so} (built from {@code src/main/c} by
 * gcc in du's build). It lives in the directory that holds du's code: beside {@code du.jar}
 * ({@code du/target/}, the release archive's {@code lib/}), or above {@code target/classes} for
 * the tests.
 */
final class JniSyscalls implements Syscalls {
    static final String LIBRARY = "libgopl-du.so";

    private JniSyscalls() {}

    /** Loads the library beside du's code. */
    static JniSyscalls load() {
        System.load(codeLocation().resolveSibling(LIBRARY).toString());
        var syscalls = new JniSyscalls();
        // Each function once, so that a library without them (another build's) fails here, where
        // FFM can take over, not in the walk: system call -1 is no call, ENOSYS (38 on Linux).
        if (syscalls.call(-1, 0, 0, 0, 0, 0) != -38 || syscalls.address(ByteBuffer.allocateDirect(1)) == 0
                || syscalls.strerror(38).isEmpty()) {
            throw new UnsatisfiedLinkError(LIBRARY + " does not answer as du's library should");
        }
        return syscalls;
    }

    /**
     * du's jar, or its classes directory: under {@code java -jar} the jar this run started
     * ({@link StartJar#path()}, never the code source, which an AOT-cached class keeps from the
     * cache's training run), else the code source (the tests' classes directory).
     */
    private static Path codeLocation() {
        var started = StartJar.path();
        try {
            if (started != null) {
                return started.toRealPath();
            }
            return Path.of(JniSyscalls.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (IOException | URISyntaxException | RuntimeException e) { // no such file, no code source
            throw new UnsatisfiedLinkError("cannot tell where du's code is: " + e);
        }
    }

    @Override
    public native long call(long number, long a, long b, long c, long d, long e);

    @Override
    public native long address(ByteBuffer direct);

    @Override
    public native String strerror(int errno);
}
