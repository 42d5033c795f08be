package gopl.du;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.OptionalInt;

/**
 * The Linux system calls du makes: {@code statx} for the allocated blocks java.nio does not
 * report, {@code getdents64} to read a directory in one call per buffer, {@code openat} and
 * {@code close}. Each entry is stat-ed relative to its directory's descriptor, with its name passed
 * straight from the getdents buffer: a file costs one system call and no Java object. Directories
 * too are opened relative to their parent, so no path is ever resolved twice and none is too long.
 *
 * <p>The buffers are direct byte buffers whose addresses the kernel gets; the calls themselves go
 * through {@link Syscalls}, du's JNI library or else FFM, chosen once, here. Nothing on this path
 * touches {@code java.lang.foreign}, a var handle or a method handle: with JNI, du starts without
 * them (issue 14).
 */
final class NativeInodes implements Inodes {
    /** Why no system call can be made, or null when they can. */
    static final String UNAVAILABLE;
    /** How the system calls are made (null when UNAVAILABLE). */
    static final Syscalls SYSCALLS;
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
     * Its buffer also takes fstatfs's struct statfs (120 bytes on 64-bit Linux, f_type first).
     */
    private static final int STATX_SIZE = 256;
    // struct linux_dirent64: d_ino, d_off (8 bytes each), d_reclen (2), d_type (1), d_name.
    private static final int D_RECLEN = 16, D_NAME = 19, DIRENTS_SIZE = 64 * 1024;
    private static final int PATH_MAX = 4096;
    private static final int TIOCGWINSZ = 0x5413;

    static {
        Syscalls syscalls = null;
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
            syscalls = Syscalls.choose();
        } catch (RuntimeException e) { // no library, no such symbol, or native access denied
            unavailable = e.getMessage();
        }
        SYSCALLS = syscalls; UNAVAILABLE = unavailable;
        O_DIRECTORY = directory; O_NOFOLLOW = noFollow;
        OPENAT = numbers[0]; CLOSE = numbers[1]; GETDENTS64 = numbers[2]; STATX = numbers[3]; IOCTL = numbers[4];
        FSTATFS = numbers[5];
    }

    /** Does nothing but make sure the class is initialised, and so the system calls' backend loaded. */
    static void link() {}

    /** Native buffers for one directory at a time, reused: at most one per concurrent listing. */
    private static final class Scratch {
        final ByteBuffer statx = direct(STATX_SIZE), path = direct(PATH_MAX + 1), dirents = direct(DIRENTS_SIZE);
        // Their addresses, as the system calls take them: the buffers live as long as this does.
        final long statxAddress = SYSCALLS.address(statx), pathAddress = SYSCALLS.address(path),
                direntsAddress = SYSCALLS.address(dirents);
        final byte[] names = new byte[DIRENTS_SIZE]; // the entries of one getdents call, copied to the heap
        final Status status = new Status();
    }

    /** A direct buffer in this machine's byte order; malloc'd, so 16-byte aligned (statx and getdents64 need 8). */
    private static ByteBuffer direct(int size) {
        return ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
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
            throw new IOException(strerror((int) -fd));
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
            s.dirents.get(0, s.names, 0, (int) n);
            int records = 0;
            for (int at = 0; at < n; at += recordLength(s, at)) {
                records++;
            }
            visitor.expect(records);
            for (int at = 0; at < n; at += recordLength(s, at)) {
                visit(s, fd, at, follow, visitor);
            }
        }
        if (n < 0) {
            throw new IOException(strerror((int) -n));
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
        long dirIno = s.dirents.getLong(at); // d_ino
        statx(s, fd, s.direntsAddress + name, follow, s.status);
        visitor.entry(names, name, length, dirIno, s.status);
    }

    /**
     * Stats {@code name} relative to {@code fd} into {@code status}. Under -L a dangling symlink
     * fails with no reason, as fts reports it to GNU du.
     */
    private void statx(Scratch s, int fd, long name, boolean follow, Status status) {
        int flags = (follow ? 0 : AT_SYMLINK_NOFOLLOW) | AT_NO_AUTOMOUNT;
        long rc = call(s, STATX, fd, name, flags, mask);
        if (rc != 0) {
            status.failed = true;
            status.errno = (int) -rc;
            status.reason = null;
            if (follow && status.errno == ENOENT
                    && call(s, STATX, fd, name, AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT, mask) == 0) {
                status.errno = 0; // a dangling symlink
            }
            return;
        }
        var b = s.statx;
        status.failed = false;
        status.nlink = b.getInt(16) & 0xffffffffL;
        status.mode = b.getShort(28) & 0xffff;
        status.ino = b.getLong(32);
        status.size = b.getLong(40);
        status.blocks = b.getLong(48);
        int timeAt = switch (time) { // struct statx_timestamp: a long of seconds, an int of nanoseconds
            case NONE -> -1;
            case ACCESS -> 64;
            case STATUS_CHANGE -> 96;
            case MODIFICATION -> 112;
        };
        if (timeAt > 0) {
            status.seconds = b.getLong(timeAt);
            status.nanos = b.getInt(timeAt + 8);
        }
        long major = b.getInt(136) & 0xffffffffL, minor = b.getInt(140) & 0xffffffffL;
        status.dev = (major & 0xfffff000L) << 32 | (major & 0xfffL) << 8 | (minor & 0xffffff00L) << 12 | minor & 0xffL;
    }

    @Override
    public long fileSystemType(Directory directory) {
        var s = take(); // struct statfs goes into the statx buffer; f_type comes first, a long on 64-bit Linux
        long rc = SYSCALLS.call(FSTATFS, ((Fd) directory).fd(), s.statxAddress, 0, 0, 0);
        return rc == 0 ? s.statx.getLong(0) : 0;
    }

    /** d_reclen of the getdents record at {@code at}. */
    private static int recordLength(Scratch s, int at) {
        return s.dirents.getShort(at + D_RECLEN) & 0xffff;
    }

    private Scratch take() {
        return scratches.get();
    }

    /** The name copied, NUL-terminated, into the scratch path buffer: its address. */
    private static long cString(Scratch s, byte[] bytes) throws IOException {
        if (bytes.length > PATH_MAX) {
            throw new IOException("File name too long");
        }
        s.path.put(0, bytes).put(bytes.length, (byte) 0);
        return s.pathAddress;
    }

    /** The C library's message for an error number: "Permission denied". */
    static String strerror(int errno) {
        return SYSCALLS.strerror(errno);
    }

    /** The width of the terminal on a file descriptor, if it is one. */
    static OptionalInt columns(int fd) {
        if (UNAVAILABLE != null) {
            return OptionalInt.empty();
        }
        var winsize = direct(8); // rows, columns, x and y pixels: unsigned shorts
        long rc = SYSCALLS.call(IOCTL, fd, TIOCGWINSZ, SYSCALLS.address(winsize), 0, 0);
        int columns = Short.toUnsignedInt(winsize.getShort(2));
        return rc == 0 && columns > 0 ? OptionalInt.of(columns) : OptionalInt.empty();
    }

    /**
     * A system call that takes a descriptor and three more arguments, the statx buffer last for
     * statx: its result, or -errno.
     */
    private static long call(Scratch s, long number, long fd, long a, long b, long c) {
        return SYSCALLS.call(number, fd, a, b, c, number == STATX ? s.statxAddress : 0);
    }

    private static void close(int fd) {
        SYSCALLS.call(CLOSE, fd, 0, 0, 0, 0);
    }
}
