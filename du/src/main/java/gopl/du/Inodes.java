package gopl.du;

import static gopl.common.IoErrors.reason;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.Charset;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * What du asks of the file system: the status of one path, and a directory's entries each with
 * its status. Paths are raw bytes, because a file name on Linux need not be valid in any charset.
 */
interface Inodes {
    /** An inode's status as du counts it; blocks are 512-byte units, as in {@code st_blocks}. */
    record Stat(boolean directory, long dev, long ino, long nlink, long blocks, long size) {}

    /** Receives a directory's entries (never {@code .} or {@code ..}) as they are read. */
    interface Visitor {
        void file(long dev, long ino, long nlink, long blocks, long size);

        void directory(byte[] name, long dev, long ino, long blocks, long size);

        /** An entry that could not be stat-ed, typically because it vanished meanwhile. */
        void failed(byte[] name, String reason);
    }

    /**
     * Stats a path without following a final symlink, like {@code lstat}.
     *
     * @throws IOException whose message is the reason alone, as {@code strerror} words it
     */
    Stat stat(byte[] path) throws IOException;

    /** An open directory: a file descriptor natively, only a path under NIO. */
    interface Directory extends AutoCloseable {
        /** The path as the user would write it, for messages. */
        byte[] path();

        @Override
        void close();
    }

    /** Opens a directory given by its path, such as a root, without following a final symlink. */
    Directory open(byte[] path) throws IOException;

    /** Opens a subdirectory of an open directory, relative to it. */
    Directory open(Directory parent, byte[] name) throws IOException;

    /**
     * Reads a directory and stats each entry. Returns early, with the interrupt flag still set, if
     * the calling thread is interrupted.
     *
     * @throws IOException if the directory cannot be read; the message is the reason
     */
    void list(Directory directory, Visitor visitor) throws IOException;

    /** {@code dir/name}, for messages and paths. */
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

    /** The C library through FFM where it can be linked, else NIO after a one-line notice. */
    static Inodes best(Consumer<String> notice) {
        if (NativeInodes.UNAVAILABLE == null) {
            return new NativeInodes();
        }
        notice.accept("cannot call the C library (" + NativeInodes.UNAVAILABLE
                + "); disk usage is estimated from apparent sizes");
        return new Nio();
    }

    /** The charset the JVM uses for file names, to turn command-line roots back into bytes. */
    static Charset fileNameCharset() {
        var name = System.getProperty("sun.jnu.encoding");
        return name != null && Charset.isSupported(name) ? Charset.forName(name) : Charset.defaultCharset();
    }

    /**
     * The fallback: java.nio's "unix" attributes give the inode, device, link count and size but
     * not the allocated blocks, so disk usage counts whole 4 KiB blocks of the apparent size.
     * Names that are not valid in the file-name charset cannot be represented here.
     */
    final class Nio implements Inodes {
        private static final Charset NAMES = fileNameCharset();
        private static final String ATTRIBUTES = "unix:mode,ino,dev,nlink,size";
        private static final int S_IFMT = 0170000;
        private static final int S_IFDIR = 0040000;

        @Override
        public Stat stat(byte[] path) throws IOException {
            try {
                return stat(Path.of(new String(path, NAMES)));
            } catch (IOException e) {
                throw new IOException(reason(e), e);
            }
        }

        private record PathDirectory(Path nio, byte[] path) implements Directory {
            @Override
            public void close() {}
        }

        @Override
        public Directory open(byte[] path) {
            return new PathDirectory(Path.of(new String(path, NAMES)), path);
        }

        @Override
        public Directory open(Directory parent, byte[] name) {
            return new PathDirectory(((PathDirectory) parent).nio().resolve(new String(name, NAMES)),
                    child(parent.path(), name));
        }

        @Override
        public void list(Directory directory, Visitor visitor) throws IOException {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(((PathDirectory) directory).nio())) {
                for (var entry : entries) {
                    if (Thread.currentThread().isInterrupted()) {
                        return;
                    }
                    var name = entry.getFileName().toString().getBytes(NAMES);
                    try {
                        var st = stat(entry);
                        if (st.directory()) {
                            visitor.directory(name, st.dev(), st.ino(), st.blocks(), st.size());
                        } else {
                            visitor.file(st.dev(), st.ino(), st.nlink(), st.blocks(), st.size());
                        }
                    } catch (IOException e) {
                        visitor.failed(name, reason(e));
                    }
                }
            } catch (IOException e) {
                throw new IOException(reason(e), e);
            } catch (DirectoryIteratorException e) {
                throw new IOException(reason(e.getCause()), e.getCause());
            }
        }

        private static Stat stat(Path path) throws IOException {
            Map<String, Object> a = Files.readAttributes(path, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
            long size = (Long) a.get("size");
            boolean directory = ((Integer) a.get("mode") & S_IFMT) == S_IFDIR;
            long blocks = Math.ceilDiv(size, 4096) * 8;
            return new Stat(directory, (Long) a.get("dev"), (Long) a.get("ino"), (Integer) a.get("nlink"),
                    blocks, size);
        }
    }
}
