package gopl.du;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

/**
 * System calls through the Foreign Function & Memory API: the portable path, where du's JNI
 * library is missing (a jar copied alone) or is not for this machine. Every call goes through the
 * C library's {@code syscall} function, one downcall handle: each handle the linker makes spins its
 * own stub and a dozen method handle classes that no AOT cache keeps, about 9 ms of CPU apiece at
 * start-up (issue 14).
 */
final class FfmSyscalls implements Syscalls {
    /** long syscall(long number, ...), with every argument (pointers too) a long: six are passed, the kernel reads those it needs. */
    private static final FunctionDescriptor SYSCALL_FUNCTION = FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG,
            JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);
    /** Static, so that the JIT sees a constant handle. */
    private static final MethodHandle SYSCALL;
    /** Why syscall cannot be linked, or null when it can. */
    private static final String UNAVAILABLE;

    static {
        MethodHandle syscall = null;
        String unavailable = null;
        try {
            // Saving errno costs time on every call, so this handle does not: the rare call that
            // fails is made again through Rare.SYSCALL_ERRNO, which does, to learn why.
            syscall = link("syscall", SYSCALL_FUNCTION, Linker.Option.firstVariadicArg(1));
        } catch (RuntimeException e) { // no such symbol, or native access denied
            unavailable = e.getMessage();
        }
        SYSCALL = syscall;
        UNAVAILABLE = unavailable;
    }

    /** Throws, with the reason, if the C library has no syscall or native access is denied. */
    FfmSyscalls() {
        if (UNAVAILABLE != null) {
            throw new UnsupportedOperationException(UNAVAILABLE);
        }
    }

    private static MethodHandle link(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        var linker = Linker.nativeLinker();
        var symbol = linker.defaultLookup().find(name)
                .orElseThrow(() -> new UnsupportedOperationException("no " + name + " in the C library"));
        return linker.downcallHandle(symbol, descriptor, options);
    }

    /**
     * Functions needed only when something fails, linked on first use, and errno's handle: a
     * layout's var handle spins classes that no AOT cache keeps, a few ms on a run that fails nowhere.
     */
    private static final class Rare {
        static final VarHandle ERRNO = Linker.Option.captureStateLayout()
                .varHandle(MemoryLayout.PathElement.groupElement("errno"));
        static final MethodHandle SYSCALL_ERRNO = link("syscall", SYSCALL_FUNCTION,
                Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(1));
        static final MethodHandle STRERROR = link("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    }

    @Override
    public long call(long number, long a, long b, long c, long d, long e) {
        try {
            long result = (long) SYSCALL.invokeExact(number, a, b, c, d, e);
            return result != -1 ? result : again(number, a, b, c, d, e);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** A call that failed, made again with errno saved, to learn why: its result, or -errno. */
    private static long again(long number, long a, long b, long c, long d, long e) throws Throwable {
        try (var arena = Arena.ofConfined()) {
            var state = arena.allocate(Linker.Option.captureStateLayout());
            long result = (long) Rare.SYSCALL_ERRNO.invokeExact(state, number, a, b, c, d, e);
            return result != -1 ? result : -(int) Rare.ERRNO.get(state, 0L);
        }
    }

    @Override
    public long address(ByteBuffer direct) {
        return MemorySegment.ofBuffer(direct).address();
    }

    @Override
    public String strerror(int errno) {
        try {
            var message = (MemorySegment) Rare.STRERROR.invokeExact(errno);
            return message.reinterpret(Long.MAX_VALUE).getString(0);
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }
}
