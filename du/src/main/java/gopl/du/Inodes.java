package gopl.du;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * What du asks of the file system: the status of a path, and a directory's entries each with its
 * status. Paths and names are raw bytes, because a file name on Linux need not be valid in any
 * charset. {@link NativeInodes} asks the kernel (through du's JNI library, else FFM); {@link NioInodes} is
 * the fallback.
 */
interface Inodes {
    /** Which time each status carries, for --time. */
    enum Time { NONE, MODIFICATION, ACCESS, STATUS_CHANGE }

    /** The status of one inode, as stat reports it; reused from entry to entry by a listing. */
    final class Status {
        static final int S_IFMT = 0170000, S_IFDIR = 0040000, S_IFREG = 0100000;
        long dev, ino, nlink, size, blocks, seconds; // blocks: 512-byte units, as st_blocks
        int nanos, mode;
        /** Set when the entry could not be stat-ed; then errno or reason says why (neither: a dangling symlink under -L). */
        boolean failed;
        int errno;
        String reason;

        /** Why the entry could not be stat-ed, as strerror words it; null for a dangling symlink under -L. */
        String reason() {
            return reason != null ? reason : errno != 0 ? NativeInodes.strerror(errno) : null;
        }

        boolean isDirectory() {
            return (mode & S_IFMT) == S_IFDIR;
        }

        boolean isRegular() {
            return (mode & S_IFMT) == S_IFREG;
        }

        Status copy() {
            var copy = new Status();
            copy.dev = dev;
            copy.ino = ino;
            copy.nlink = nlink;
            copy.size = size;
            copy.blocks = blocks;
            copy.seconds = seconds;
            copy.nanos = nanos;
            copy.mode = mode;
            copy.failed = failed;
            copy.errno = errno;
            copy.reason = reason;
            return copy;
        }
    }

    /** Receives a directory's entries (never {@code .} or {@code ..}) as they are read. */
    interface Visitor {
        /** About this many more entries come (a hint, to size what holds them). */
        default void expect(int entries) {}

        /** Whether the entry named {@code names[at, at + length)} is stat-ed at all (false: excluded). */
        boolean wants(byte[] names, int at, int length);

        /** An entry with its status, and the inode number the directory gives it (d_ino). */
        void entry(byte[] names, int at, int length, long dirIno, Status status);
    }

    /** An open directory: a file descriptor natively, only a path under NIO. */
    interface Directory extends AutoCloseable {
        /** The path as the user would write it, for messages. */
        byte[] path();

        @Override
        void close();
    }

    /**
     * The status of a path; follows a final symlink only if asked (-L, -H), as stat vs lstat do.
     * A path that cannot be stat-ed gives a status that says so ({@link Status#failed}).
     */
    Status stat(byte[] path, boolean follow);

    /** Opens a directory given by its path, such as a root. */
    Directory open(byte[] path, boolean follow) throws IOException;

    /** Opens a subdirectory of an open directory, relative to it. */
    Directory open(Directory parent, byte[] name, boolean follow) throws IOException;

    /**
     * Reads a directory and stats each wanted entry (following symlinks if asked). Returns early,
     * with the interrupt flag still set, if the calling thread is interrupted.
     *
     * @throws IOException if the directory cannot be read; the message is the reason
     */
    void list(Directory directory, boolean follow, Visitor visitor) throws IOException;

    /** The file system's magic number (statfs f_type), or 0 if unknown. */
    long fileSystemType(Directory directory);

    /** {@code dir/name}, as fts builds paths: no second slash after a directory ending in one. */
    static byte[] child(byte[] dir, byte[] name) {
        boolean slash = dir.length > 0 && dir[dir.length - 1] == '/';
        var path = new byte[dir.length + (slash ? 0 : 1) + name.length];
        System.arraycopy(dir, 0, path, 0, dir.length);
        path[dir.length] = '/';
        System.arraycopy(name, 0, path, path.length - name.length, name.length);
        return path;
    }

    /**
     * A path for a message, quoted as GNU du quotes it: {@code 'a b'}, with shell escapes for what
     * a terminal should not see raw: {@code 'new'$'\012''line'}, {@code 'bad'$'\377''byte'}.
     */
    static String quote(byte[] path) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(path)).toString();
        } catch (CharacterCodingException e) {
            text = null; // not UTF-8: every byte beyond ASCII is escaped
        }
        var units = text != null ? text.codePoints().toArray()
                : IntStream.range(0, path.length).map(i -> path[i] & 0xff).toArray();
        var out = new StringBuilder();
        Boolean escaping = null; // inside neither quote yet
        for (int c : units) {
            boolean escape = c == '\'' || Character.isISOControl(c) || (text == null && c >= 0x80);
            if (escaping == null || escaping != escape) {
                out.append(escaping == null ? "" : "'").append(escape ? "$'" : "'");
                escaping = escape;
            }
            if (!escape) {
                out.appendCodePoint(c);
            } else {
                var bytes = text == null ? new byte[] {(byte) c}
                        : Character.toString(c).getBytes(StandardCharsets.UTF_8);
                for (byte b : bytes) {
                    out.append('\\').append(Integer.toOctalString(01000 | b & 0xff).substring(1));
                }
            }
        }
        return escaping == null ? "''" : out.append("'").toString();
    }

    /**
     * A name for a message quoted only if it needs it, as GNU's quotef does ({@code dir},
     * {@code 'a b'}), for the few messages where GNU du uses that style.
     */
    static String quoteIfNeeded(byte[] path) {
        var quoted = quote(path);
        var plain = new String(path, StandardCharsets.UTF_8);
        boolean needs = path.length == 0 || quoted.contains("$'")
                || plain.chars().anyMatch(c -> " \t\n'\"\\|&;<>()$`*?[]#~=%!{}".indexOf(c) >= 0);
        return needs ? quoted : plain;
    }

    /** The kernel's system calls where they can be made (JNI, else FFM), else NIO after a one-line notice. */
    static Inodes best(Time time, Consumer<String> notice) {
        if (NativeInodes.UNAVAILABLE == null) {
            return new NativeInodes(time);
        }
        notice.accept("cannot call the C library (" + NativeInodes.UNAVAILABLE
                + "); disk usage is estimated from apparent sizes");
        return new NioInodes(time);
    }

    /** The charset the JVM uses for file names, to turn command-line roots back into bytes. */
    static Charset fileNameCharset() {
        var name = System.getProperty("sun.jnu.encoding");
        return name != null && Charset.isSupported(name) ? Charset.forName(name) : Charset.defaultCharset();
    }
}
