package gopl.du;

import java.nio.ByteBuffer;

/**
 * How {@link NativeInodes} makes a Linux system call: through du's own JNI library where it is
 * found beside the jar, else through the Foreign Function & Memory API. Both pass numbers and the
 * addresses of direct buffers to the kernel; they differ only in the crossing. JNI's costs nothing
 * at start-up, where FFM's linker spins method handle classes that no AOT cache keeps (issue 14).
 */
sealed interface Syscalls permits JniSyscalls, FfmSyscalls {
    /** Forces a backend: {@code -Dgopl.du.native=jni}, {@code ffm} or {@code nio} (for tests). */
    String PROPERTY = "gopl.du.native";

    /** The system call's result, or {@code -errno} if it failed. */
    long call(long number, long a, long b, long c, long d, long e);

    /** Where a direct buffer's memory starts, to pass to the kernel. */
    long address(ByteBuffer direct);

    /** The C library's message for an error number: "Permission denied". */
    String strerror(int errno);

    /**
     * The backend to use, chosen once: JNI, else FFM (the portable path), or the one the property
     * names. Throws, with the reason, if none can be used (du then falls back to java.nio).
     */
    static Syscalls choose() {
        var wanted = System.getProperty(PROPERTY, "");
        switch (wanted) {
            case "" -> {
                try {
                    return JniSyscalls.load();
                } catch (UnsatisfiedLinkError | RuntimeException notHere) { // absent, another architecture, denied
                    return new FfmSyscalls();
                }
            }
            case "jni" -> {
                try {
                    return JniSyscalls.load();
                } catch (UnsatisfiedLinkError e) {
                    throw new UnsupportedOperationException(e.getMessage(), e);
                }
            }
            case "ffm" -> {
                return new FfmSyscalls();
            }
            default -> throw new UnsupportedOperationException(PROPERTY + "=" + wanted);
        }
    }
}
