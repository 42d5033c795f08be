package gopl.du;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The Linux C library calls du makes, through the Foreign Function & Memory API: {@code statx}
 * for the allocated blocks java.nio does not report, {@code getdents64} to read a directory in
 * one call per buffer, {@code open} and {@code close}. Each entry is stat-ed relative to its
 * directory's descriptor, with its name passed straight from the getdents buffer: a file costs
 * one system call and no Java object beyond a pointer.
 */
final class NativeInodes implements Inodes {
    /** Why the C library cannot be used, or null when it can. */
    static final String UNAVAILABLE;

    private static final MethodHandle STATX, OPEN, GETDENTS, CLOSE;
    private static final VarHandle ERRNO;
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final int O_DIRECTORY, O_NOFOLLOW;
    private static final int O_CLOEXEC = 02000000, O_PATH = 010000000;
    private static final int AT_FDCWD = -100, AT_SYMLINK_NOFOLLOW = 0x100, AT_NO_AUTOMOUNT = 0x800;
    private static final int STATX_FLAGS = AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT;
    // STATX_TYPE | STATX_MODE | STATX_NLINK | STATX_INO | STATX_SIZE | STATX_BLOCKS: nothing more.
    private static final int STATX_MASK = 0x1 | 0x2 | 0x4 | 0x100 | 0x200 | 0x400;
    private static final int S_IFMT = 0170000, S_IFDIR = 0040000;
    // struct statx is the same on every Linux architecture, unlike struct stat.
    private static final long STX_NLINK = 16, STX_MODE = 28, STX_INO = 32, STX_SIZE = 40, STX_BLOCKS = 48;
    private static final long STX_DEV_MAJOR = 136, STX_DEV_MINOR = 140, STATX_SIZE = 256;
    // struct linux_dirent64: d_ino, d_off (8 bytes each), d_reclen (2), d_type (1), d_name.
    private static final long D_RECLEN = 16, D_NAME = 19;
    /** Paths at least this long are opened a piece at a time, below the kernel's PATH_MAX of 4096. */
    private static final int PATH_PIECE = 4000;
    private static final int TIOCGWINSZ = 0x5413;

    static {
        MethodHandle statx = null, open = null, getdents = null, close = null;
        VarHandle errno = null;
        String unavailable = null;
        int directory = 0, noFollow = 0;
        try {
            switch (System.getProperty("os.name") + " " + System.getProperty("os.arch")) {
                // The generic Linux values; arm64 and a few others number these two differently.
                case "Linux amd64", "Linux x86_64", "Linux riscv64" -> { directory = 0200000; noFollow = 0400000; }
                case "Linux aarch64" -> { directory = 040000; noFollow = 0100000; }
                default -> throw new UnsupportedOperationException("not written for " + System.getProperty("os.name")
                        + " on " + System.getProperty("os.arch"));
            }
            errno = Linker.Option.captureStateLayout().varHandle(MemoryLayout.PathElement.groupElement("errno"));
            statx = link("statx", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS),
                    CAPTURE_ERRNO);
            open = link("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), CAPTURE_ERRNO,
                    Linker.Option.firstVariadicArg(2));
            getdents = link("getdents64", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), CAPTURE_ERRNO);
            close = link("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        } catch (RuntimeException e) { // no such symbol, or native access denied
            unavailable = e.getMessage();
        }
        STATX = statx; OPEN = open; GETDENTS = getdents; CLOSE = close; ERRNO = errno; O_DIRECTORY = directory; O_NOFOLLOW = noFollow; UNAVAILABLE = unavailable;
    }

    private static MethodHandle link(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        var linker = Linker.nativeLinker();
        var symbol = linker.defaultLookup().find(name)
                .orElseThrow(() -> new UnsupportedOperationException("no " + name + " in the C library"));
        return linker.downcallHandle(symbol, descriptor, options);
    }

    /** Functions seldom needed, linked on first use: each link costs milliseconds at startup. */
    private static final class Rare {
        static final MethodHandle OPENAT = link("openat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT),
                CAPTURE_ERRNO, Linker.Option.firstVariadicArg(3));
        static final MethodHandle STRERROR = link("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        static final MethodHandle IOCTL = link("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS),
                Linker.Option.firstVariadicArg(2));
    }

    /** Native buffers for one directory at a time, reused: at most one per concurrent listing. */
    private static final class Scratch {
        final Arena arena = Arena.ofAuto();
        final MemorySegment errno = arena.allocate(Linker.Option.captureStateLayout());
        final MemorySegment statx = arena.allocate(STATX_SIZE, 8);
        final MemorySegment path = arena.allocate(PATH_PIECE + 1);
        final MemorySegment dirents = arena.allocate(64 * 1024, 8);
    }

    private final ConcurrentLinkedQueue<Scratch> scratches = new ConcurrentLinkedQueue<>();

    @Override
    public Stat stat(byte[] path) throws IOException {
        var s = take();
        try {
            var fd = path.length < PATH_PIECE ? AT_FDCWD : openParent(path, s);
            try {
                var name = path.length < PATH_PIECE ? path : lastPiece(path);
                if (statx(s, fd, cString(s, name)) != 0) {
                    throw new IOException(strerror(errno(s)));
                }
                long mode = s.statx.get(JAVA_SHORT, STX_MODE) & S_IFMT;
                return new Stat(mode == S_IFDIR, dev(s), s.statx.get(JAVA_LONG, STX_INO),
                        Integer.toUnsignedLong(s.statx.get(JAVA_INT, STX_NLINK)),
                        s.statx.get(JAVA_LONG, STX_BLOCKS), s.statx.get(JAVA_LONG, STX_SIZE));
            } finally {
                if (fd != AT_FDCWD) {
                    close(fd);
                }
            }
        } finally {
            scratches.offer(s);
        }
    }

    @Override
    public void list(byte[] directory, Visitor visitor) throws IOException {
        var s = take();
        try {
            int fd = openDirectory(directory, s);
            try {
                long n;
                while ((n = getdents(s, fd)) > 0 && !Thread.currentThread().isInterrupted()) {
                    for (long at = 0; at < n; at += s.dirents.get(JAVA_SHORT_UNALIGNED, at + D_RECLEN) & 0xffff) {
                        visit(s, fd, at + D_NAME, visitor);
                    }
                }
                if (n < 0) {
                    throw new IOException(strerror(errno(s)));
                }
            } finally {
                close(fd);
            }
        } finally {
            scratches.offer(s);
        }
    }

    /** Stats one entry of the getdents buffer, whose name starts at {@code name}. */
    private static void visit(Scratch s, int fd, long name, Visitor visitor) {
        var d = s.dirents;
        byte first = d.get(JAVA_BYTE, name);
        if (first == '.' && (d.get(JAVA_BYTE, name + 1) == 0
                || d.get(JAVA_BYTE, name + 1) == '.' && d.get(JAVA_BYTE, name + 2) == 0)) {
            return;
        }
        if (statx(s, fd, d.asSlice(name)) != 0) {
            visitor.failed(name(d, name), strerror(errno(s)));
            return;
        }
        var st = s.statx;
        long blocks = st.get(JAVA_LONG, STX_BLOCKS), size = st.get(JAVA_LONG, STX_SIZE);
        if ((st.get(JAVA_SHORT, STX_MODE) & S_IFMT) == S_IFDIR) {
            visitor.directory(name(d, name), dev(s), st.get(JAVA_LONG, STX_INO), blocks, size);
        } else {
            long nlink = Integer.toUnsignedLong(st.get(JAVA_INT, STX_NLINK));
            visitor.file(dev(s), st.get(JAVA_LONG, STX_INO), nlink, blocks, size);
        }
    }

    private static byte[] name(MemorySegment dirents, long at) {
        long end = at;
        while (dirents.get(JAVA_BYTE, end) != 0) {
            end++;
        }
        return dirents.asSlice(at, end - at).toArray(JAVA_BYTE);
    }

    private static long dev(Scratch s) {
        return (long) s.statx.get(JAVA_INT, STX_DEV_MAJOR) << 32 | Integer.toUnsignedLong(s.statx.get(JAVA_INT, STX_DEV_MINOR));
    }

    private Scratch take() {
        var s = scratches.poll();
        return s != null ? s : new Scratch();
    }

    private static int openDirectory(byte[] path, Scratch s) throws IOException {
        int flags = O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
        if (path.length < PATH_PIECE) {
            return check(s, open(s, cString(s, path), flags));
        }
        int parent = openParent(path, s);
        try {
            return check(s, openat(s, parent, cString(s, lastPiece(path)), flags));
        } finally {
            close(parent);
        }
    }

    /**
     * Opens (as {@code O_PATH}, which needs no read permission) the directory holding the last
     * piece of a path too long for one system call, walking down it a piece at a time. Deep trees
     * are walked by full paths, and GNU du reaches any depth, so we must too.
     */
    private static int openParent(byte[] path, Scratch s) throws IOException {
        int fd = AT_FDCWD, start = 0, last = lastPieceStart(path);
        while (start < last) {
            int end = Math.min(last, start + PATH_PIECE - 1);
            while (end > start + 1 && path[end - 1] != '/') {
                end--;
            }
            var piece = java.util.Arrays.copyOfRange(path, start, end);
            int next = openat(s, fd, cString(s, piece), O_PATH | O_DIRECTORY | O_CLOEXEC);
            if (fd != AT_FDCWD) {
                close(fd);
            }
            fd = check(s, next);
            start = end;
        }
        return fd;
    }

    private static int lastPieceStart(byte[] path) {
        int end = path.length;
        while (end > 1 && path[end - 1] == '/') {
            end--;
        }
        int start = end;
        while (start > 0 && path[start - 1] != '/') {
            start--;
        }
        return start;
    }

    private static byte[] lastPiece(byte[] path) {
        return java.util.Arrays.copyOfRange(path, lastPieceStart(path), path.length);
    }

    private static MemorySegment cString(Scratch s, byte[] bytes) {
        MemorySegment.copy(bytes, 0, s.path, JAVA_BYTE, 0, bytes.length);
        s.path.set(JAVA_BYTE, bytes.length, (byte) 0);
        return s.path;
    }

    private static int check(Scratch s, int fd) throws IOException {
        if (fd < 0) {
            throw new IOException(strerror(errno(s)));
        }
        return fd;
    }

    private static int errno(Scratch s) {
        return (int) ERRNO.get(s.errno, 0L);
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
            int rc = (int) Rare.IOCTL.invokeExact(fd, (long) TIOCGWINSZ, winsize);
            int columns = Short.toUnsignedInt(winsize.get(JAVA_SHORT, 2));
            return rc == 0 && columns > 0 ? OptionalInt.of(columns) : OptionalInt.empty();
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    private static int statx(Scratch s, int fd, MemorySegment name) {
        try {
            return (int) STATX.invokeExact(s.errno, fd, name, STATX_FLAGS, STATX_MASK, s.statx);
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    private static long getdents(Scratch s, int fd) {
        try {
            return (long) GETDENTS.invokeExact(s.errno, fd, s.dirents, s.dirents.byteSize());
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    private static int open(Scratch s, MemorySegment path, int flags) {
        try {
            return (int) OPEN.invokeExact(s.errno, path, flags);
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    private static int openat(Scratch s, int dirfd, MemorySegment path, int flags) {
        try {
            return (int) Rare.OPENAT.invokeExact(s.errno, dirfd, path, flags);
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    private static void close(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }
}
