package gopl.du;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.OptionalInt;

/**
 * The Linux system calls du makes, through the Foreign Function & Memory API: {@code statx} for
 * the allocated blocks java.nio does not report, {@code getdents64} to read a directory in one
 * call per buffer, {@code openat} and {@code close}. Each entry is stat-ed relative to its
 * directory's descriptor, with its name passed straight from the getdents buffer: a file costs
 * one system call and no Java object. Directories too are opened relative to their parent, so no
 * path is ever resolved twice and none is too long.
 *
 * <p>Every call goes through the C library's {@code syscall} function, one downcall handle: each
 * handle the linker makes spins its own stub and a dozen method handle classes that no AOT cache
 * keeps, about 9 ms of CPU apiece at start-up (issue 14), and a run on a small tree does little else.
 */
final class NativeInodes implements Inodes {
    /** Why the C library cannot be used, or null when it can. */
    static final String UNAVAILABLE;

    /** long syscall(long number, ...), with every argument (pointers too) a long: six are passed, the kernel reads those it needs. */
    private static final FunctionDescriptor SYSCALL_FUNCTION = FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG,
            JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle SYSCALL;
    private static final VarHandle LONG_AT = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    /** The system calls' numbers on this architecture. */
    private static final long OPENAT, CLOSE, GETDENTS64, STATX, IOCTL, FSTATFS;
    private static final int O_DIRECTORY, O_NOFOLLOW;
    private static final int O_CLOEXEC = 02000000, ENOENT = 2;
    private static final int AT_FDCWD = -100, AT_SYMLINK_NOFOLLOW = 0x100, AT_NO_AUTOMOUNT = 0x800;
    // STATX_TYPE | STATX_MODE | STATX_NLINK | STATX_INO | STATX_SIZE | STATX_BLOCKS, and a time if asked.
    private static final int STATX_BASIC = 0x1 | 0x2 | 0x4 | 0x100 | 0x200 | 0x400;
    private static final int STATX_ATIME = 0x20, STATX_MTIME = 0x40, STATX_CTIME = 0x80;
    /*
     * struct statx is the same on every Linux architecture, unlike struct stat: stx_nlink at byte
     * 16, stx_mode 28, stx_ino 32, stx_size 40, stx_blocks 48, the timestamps (a long of seconds,
     * an int of nanoseconds) atime 64, ctime 96, mtime 112, stx_dev_major and _minor 136 and 140.
     */
    private static final int STATX_SIZE = 256;
    // struct linux_dirent64: d_ino, d_off (8 bytes each), d_reclen (2), d_type (1), d_name.
    private static final int D_RECLEN = 16, D_NAME = 19, DIRENTS_SIZE = 64 * 1024;
    private static final int PATH_MAX = 4096;
    private static final int TIOCGWINSZ = 0x5413;

    static {
        MethodHandle syscall = null;
        String unavailable = null;
        int directory = 0, noFollow = 0;
        long[] numbers = new long[6];
        try {
            switch (System.getProperty("os.name") + " " + System.getProperty("os.arch")) {
                case "Linux amd64", "Linux x86_64" -> {
                    directory = 0200000; noFollow = 0400000;
                    numbers = new long[] {257, 3, 217, 332, 16, 138};
                }
                // The generic Linux numbering; arm64 also numbers the two open flags its own way.
                case "Linux aarch64" -> {
                    directory = 040000; noFollow = 0100000;
                    numbers = new long[] {56, 57, 61, 291, 29, 44};
                }
                case "Linux riscv64" -> {
                    directory = 0200000; noFollow = 0400000;
                    numbers = new long[] {56, 57, 61, 291, 29, 44};
                }
                default -> throw new UnsupportedOperationException("not written for " + System.getProperty("os.name")
                        + " on " + System.getProperty("os.arch"));
            }
            // Saving errno costs time on every call, so this handle does not: the rare call that
            // fails is made again through Rare.SYSCALL_ERRNO, which does, to learn why.
            syscall = link("syscall", SYSCALL_FUNCTION, Linker.Option.firstVariadicArg(1));
        } catch (RuntimeException e) { // no such symbol, or native access denied
            unavailable = e.getMessage();
        }
        SYSCALL = syscall; UNAVAILABLE = unavailable;
        O_DIRECTORY = directory; O_NOFOLLOW = noFollow;
        OPENAT = numbers[0]; CLOSE = numbers[1]; GETDENTS64 = numbers[2]; STATX = numbers[3]; IOCTL = numbers[4];
        FSTATFS = numbers[5];
    }

    /** Does nothing but make sure the class, and so the function above, is linked. */
    static void link() {}

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
        static final MethodHandle SYSCALL_ERRNO = link("syscall", SYSCALL_FUNCTION, CAPTURE_ERRNO,
                Linker.Option.firstVariadicArg(1));
        static final MethodHandle STRERROR = link("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    }

    /** Native buffers for one directory at a time, reused: at most one per concurrent listing. */
    private static final class Scratch {
        final Arena arena = Arena.ofAuto();
        final MemorySegment errno = arena.allocate(Linker.Option.captureStateLayout());
        final MemorySegment statx = arena.allocate(STATX_SIZE, 8);
        final MemorySegment path = arena.allocate(PATH_MAX + 1);
        final MemorySegment dirents = arena.allocate(DIRENTS_SIZE, 8);
        // Their addresses, as the system calls take them: the segments live as long as this does.
        final long statxAddress = statx.address(), pathAddress = path.address(), direntsAddress = dirents.address();
        final byte[] names = new byte[DIRENTS_SIZE]; // the entries of one getdents call, copied to the heap
        final Status status = new Status();
    }

    /** One set of buffers per thread: the walkers are a few platform threads. */
    private final ThreadLocal<Scratch> scratches = ThreadLocal.withInitial(Scratch::new);
    private final Time time;
    private final int mask;

    NativeInodes(Time time) {
        this.time = time;
        this.mask = STATX_BASIC | switch (time) {
            case NONE -> 0;
            case MODIFICATION -> STATX_MTIME;
            case ACCESS -> STATX_ATIME;
            case STATUS_CHANGE -> STATX_CTIME;
        };
    }

    /** An open directory's file descriptor. */
    private record Fd(int fd, byte[] path) implements Directory {
        @Override
        public void close() {
            NativeInodes.close(fd);
        }
    }

    @Override
    public Status stat(byte[] path, boolean follow) {
        var s = take();
        var status = new Status();
        try {
            statx(s, AT_FDCWD, cString(s, path), follow, status);
        } catch (IOException tooLong) {
            status.failed = true;
            status.reason = tooLong.getMessage();
        }
        return status;
    }

    @Override
    public Directory open(byte[] path, boolean follow) throws IOException {
        return open(AT_FDCWD, path, path, follow);
    }

    @Override
    public Directory open(Directory parent, byte[] name, boolean follow) throws IOException {
        return open(((Fd) parent).fd(), name, Inodes.child(parent.path(), name), follow);
    }

    private Directory open(int at, byte[] name, byte[] path, boolean follow) throws IOException {
        var s = take();
        long fd = call(s, OPENAT, at, cString(s, name), O_DIRECTORY | (follow ? 0 : O_NOFOLLOW) | O_CLOEXEC, 0);
        if (fd < 0) {
            throw new IOException(strerror(errno(s)));
        }
        return new Fd((int) fd, path);
    }

    @Override
    public void list(Directory directory, boolean follow, Visitor visitor) throws IOException {
        int fd = ((Fd) directory).fd();
        var s = take();
        long n;
        while ((n = call(s, GETDENTS64, fd, s.direntsAddress, DIRENTS_SIZE, 0)) > 0
                && !Thread.currentThread().isInterrupted()) {
            MemorySegment.copy(s.dirents, JAVA_BYTE, 0, s.names, 0, (int) n);
            int records = 0;
            for (int at = 0; at < n; at += recordLength(s.names, at)) {
                records++;
            }
            visitor.expect(records);
            for (int at = 0; at < n; at += recordLength(s.names, at)) {
                visit(s, fd, at, follow, visitor);
            }
        }
        if (n < 0) {
            throw new IOException(strerror(errno(s)));
        }
    }

    /** Stats one entry of the getdents buffer, whose record starts at {@code at}. */
    private void visit(Scratch s, int fd, int at, boolean follow, Visitor visitor) {
        var names = s.names;
        int name = at + D_NAME;
        if (names[name] == '.' && (names[name + 1] == 0 || names[name + 1] == '.' && names[name + 2] == 0)) {
            return;
        }
        int length = 0;
        while (names[name + length] != 0) {
            length++;
        }
        if (!visitor.wants(names, name, length)) {
            return;
        }
        statx(s, fd, s.direntsAddress + name, follow, s.status);
        visitor.entry(names, name, length, (long) LONG_AT.get(names, at), s.status);
    }

    /**
     * Stats {@code name} relative to {@code fd} into {@code status}. Under -L a dangling symlink
     * fails with no reason, as fts reports it to GNU du.
     */
    private void statx(Scratch s, int fd, long name, boolean follow, Status status) {
        int flags = (follow ? 0 : AT_SYMLINK_NOFOLLOW) | AT_NO_AUTOMOUNT;
        if (call(s, STATX, fd, name, flags, mask) != 0) {
            status.failed = true;
            status.errno = errno(s);
            status.reason = null;
            if (follow && status.errno == ENOENT
                    && call(s, STATX, fd, name, AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT, mask) == 0) {
                status.errno = 0; // a dangling symlink
            }
            return;
        }
        var b = s.statx; // one access per field: a bulk copy would allocate a slice per entry until C2 runs
        status.failed = false;
        status.nlink = b.get(JAVA_INT, 16) & 0xffffffffL;
        status.mode = b.get(JAVA_SHORT, 28) & 0xffff;
        status.ino = b.get(JAVA_LONG, 32);
        status.size = b.get(JAVA_LONG, 40);
        status.blocks = b.get(JAVA_LONG, 48);
        int timeAt = switch (time) { // struct statx_timestamp: a long of seconds, an int of nanoseconds
            case NONE -> -1;
            case ACCESS -> 64;
            case STATUS_CHANGE -> 96;
            case MODIFICATION -> 112;
        };
        if (timeAt > 0) {
            status.seconds = b.get(JAVA_LONG, timeAt);
            status.nanos = b.get(JAVA_INT, timeAt + 8);
        }
        long major = b.get(JAVA_INT, 136) & 0xffffffffL, minor = b.get(JAVA_INT, 140) & 0xffffffffL;
        status.dev = (major & 0xfffff000L) << 32 | (major & 0xfffL) << 8 | (minor & 0xffffff00L) << 12 | minor & 0xffL;
    }

    @Override
    public long fileSystemType(Directory directory) {
        try (var arena = Arena.ofConfined()) {
            var statfs = arena.allocate(120, 8); // struct statfs; f_type comes first, a long on 64-bit Linux
            long rc = syscall(FSTATFS, ((Fd) directory).fd(), statfs.address(), 0, 0, 0);
            return rc == 0 ? statfs.get(JAVA_LONG, 0) : 0;
        }
    }

    private static int recordLength(byte[] names, int at) {
        return (names[at + D_RECLEN] & 0xff) | (names[at + D_RECLEN + 1] & 0xff) << 8; // little-endian d_reclen
    }

    private Scratch take() {
        return scratches.get();
    }

    /** The name copied, NUL-terminated, into the scratch path buffer: its address. */
    private static long cString(Scratch s, byte[] bytes) throws IOException {
        if (bytes.length > PATH_MAX) {
            throw new IOException("File name too long");
        }
        MemorySegment.copy(bytes, 0, s.path, JAVA_BYTE, 0, bytes.length);
        s.path.set(JAVA_BYTE, bytes.length, (byte) 0);
        return s.pathAddress;
    }

    private static int errno(Scratch s) {
        return (int) Rare.ERRNO.get(s.errno, 0L);
    }

    /** The C library's message for an error number: "Permission denied". */
    static String strerror(int errno) {
        try {
            var message = (MemorySegment) Rare.STRERROR.invokeExact(errno);
            return message.reinterpret(Long.MAX_VALUE).getString(0);
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    /** The width of the terminal on a file descriptor, if it is one. */
    static OptionalInt columns(int fd) {
        if (UNAVAILABLE != null) {
            return OptionalInt.empty();
        }
        try (var arena = Arena.ofConfined()) {
            var winsize = arena.allocate(8, 2); // rows, columns, x and y pixels: unsigned shorts
            long rc = syscall(IOCTL, fd, TIOCGWINSZ, winsize.address(), 0, 0);
            int columns = Short.toUnsignedInt(winsize.get(JAVA_SHORT, 2));
            return rc == 0 && columns > 0 ? OptionalInt.of(columns) : OptionalInt.empty();
        }
    }

    /**
     * A system call that takes a descriptor and three more arguments, the statx buffer last for
     * statx; if it fails (-1), it is made again with errno saved in the scratch, to learn why.
     */
    private static long call(Scratch s, long number, long fd, long a, long b, long c) {
        long d = number == STATX ? s.statxAddress : 0;
        long result = syscall(number, fd, a, b, c, d);
        if (result != -1) {
            return result;
        }
        try {
            return (long) Rare.SYSCALL_ERRNO.invokeExact(s.errno, number, fd, a, b, c, d);
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    private static long syscall(long number, long a, long b, long c, long d, long e) {
        try {
            return (long) SYSCALL.invokeExact(number, a, b, c, d, e);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    private static void close(int fd) {
        syscall(CLOSE, fd, 0, 0, 0, 0);
    }
}
