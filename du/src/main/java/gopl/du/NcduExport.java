package gopl.du;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * {@code --export FILE}: the walk in ncdu's JSON export format (version 1.2, as ncdu 1.16 and
 * later write it), for {@code ncdu -f FILE} and {@code gdu -f FILE}. Written as the walk goes:
 * {@code [1,2,{metadata},[{root},{file},[{dir},...],...]]}, one entry a line, names as raw bytes
 * with JSON's escapes for quotes, backslashes and control characters (as ncdu writes them).
 * Every entry is written, hard links too (ncdu counts each inode once itself), and what
 * --exclude or -x left out is marked so. Cut short, the file is still closed to valid JSON.
 */
final class NcduExport implements AutoCloseable {
    private static final NcduExport NONE = new NcduExport(null);

    private final OutputStream out;
    private final ArrayDeque<Long> devices = new ArrayDeque<>(); // of the open directories
    private boolean started;

    private NcduExport(OutputStream out) {
        this.out = out;
    }

    /** An export to FILE (to {@code stdout} if given), or one that does nothing when FILE is null. */
    static NcduExport open(String file, OutputStream stdout) throws IOException {
        if (file == null) {
            return NONE;
        }
        var target = stdout != null ? new FilterOutputStream(stdout) {
            @Override
            public void close() throws IOException {
                flush(); // stdout stays open
            }
        } : new FileOutputStream(file);
        return new NcduExport(new BufferedOutputStream(target, 1 << 16));
    }

    /** The walk, with every entry it gives written out on the way. */
    Walk wrap(Walk walk) {
        if (out == null) {
            return walk;
        }
        return new Walk() {
            @Override
            public Entry next() throws InterruptedException {
                var e = walk.next();
                if (e != null) {
                    write(e);
                }
                return e;
            }

            @Override
            public void skip() {
                walk.skip();
                closeDirectory();
            }
        };
    }

    private void write(Walk.Entry e) {
        try {
            switch (e.type) {
                case DIRECTORY -> {
                    start();
                    out.write(",\n[".getBytes(StandardCharsets.US_ASCII));
                    info(e, e.failure != null ? ",\"read_error\":true" : "");
                    devices.push(e.status.dev);
                }
                case POST_DIRECTORY -> closeDirectory();
                case FILE -> item(e, "");
                case FAILED -> item(e, ",\"read_error\":true");
                case EXCLUDED -> item(e, ",\"excluded\":\"pattern\"");
                case OTHER_FS -> item(e, ",\"excluded\":\"otherfs\"");
                default -> { } // a cycle is not walked; PLAIN never comes when exporting
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private void start() throws IOException {
        if (!started) {
            started = true;
            out.write(("[1,2,{\"progname\":\"du\",\"progver\":\"" + version() + "\",\"timestamp\":"
                    + System.currentTimeMillis() / 1000 + "}").getBytes(StandardCharsets.US_ASCII));
        }
    }

    private void item(Walk.Entry e, String extra) throws IOException {
        if (devices.isEmpty()) {
            throw new UncheckedIOException(new IOException("cannot export " + Inodes.quote(Arrays.copyOf(e.path,
                    e.pathLength)) + ": ncdu's format needs a directory at the top"));
        }
        out.write(",\n".getBytes(StandardCharsets.US_ASCII));
        info(e, extra);
    }

    /** {"name":...,"asize":...,"dsize":...,...} as ncdu writes it: zero sizes and the parent's device left out. */
    private void info(Walk.Entry e, String extra) throws IOException {
        var st = e.status;
        var json = new StringBuilder("{\"name\":\"");
        out.write(json.toString().getBytes(StandardCharsets.US_ASCII));
        if (devices.isEmpty()) {
            string(rootName(e));
        } else {
            string(Arrays.copyOfRange(e.path, e.nameStart, e.pathLength));
        }
        json.setLength(0);
        json.append('"');
        boolean listed = e.type == Walk.Type.FILE || e.type == Walk.Type.DIRECTORY;
        if (listed && st.size > 0) {
            json.append(",\"asize\":").append(st.size);
        }
        if (listed && st.blocks > 0) {
            json.append(",\"dsize\":").append(st.blocks * 512);
        }
        if (listed && (devices.isEmpty() || devices.peek() != st.dev)) {
            json.append(",\"dev\":").append(st.dev);
        }
        if (e.type == Walk.Type.FILE && st.nlink > 1) {
            json.append(",\"ino\":").append(st.ino).append(",\"hlnkc\":true");
        }
        if (e.type == Walk.Type.FILE && !st.isRegular()) {
            json.append(",\"notreg\":true");
        }
        if (e.type == Walk.Type.FILE && st.nlink > 1) {
            json.append(",\"nlink\":").append(st.nlink);
        }
        json.append(extra).append('}');
        out.write(json.toString().getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] rootName(Walk.Entry e) {
        var given = new String(e.path, 0, e.pathLength, Inodes.fileNameCharset());
        Path path;
        try {
            path = Path.of(given).toRealPath();
        } catch (IOException | RuntimeException ex) {
            path = Path.of(given).toAbsolutePath().normalize();
        }
        return path.toString().getBytes(Inodes.fileNameCharset());
    }

    /** A JSON string's contents, as ncdu escapes them: other bytes go through as they are. */
    private void string(byte[] bytes) throws IOException {
        var escaped = new java.io.ByteArrayOutputStream(bytes.length + 8);
        for (byte b : bytes) {
            switch (b) {
                case '\n' -> escaped.writeBytes("\\n".getBytes(StandardCharsets.US_ASCII));
                case '\r' -> escaped.writeBytes("\\r".getBytes(StandardCharsets.US_ASCII));
                case '\b' -> escaped.writeBytes("\\b".getBytes(StandardCharsets.US_ASCII));
                case '\t' -> escaped.writeBytes("\\t".getBytes(StandardCharsets.US_ASCII));
                case '\f' -> escaped.writeBytes("\\f".getBytes(StandardCharsets.US_ASCII));
                case '\\' -> escaped.writeBytes("\\\\".getBytes(StandardCharsets.US_ASCII));
                case '"' -> escaped.writeBytes("\\\"".getBytes(StandardCharsets.US_ASCII));
                default -> {
                    if ((b & 0xff) < 0x20 || b == 0x7f) {
                        escaped.writeBytes(String.format("\\u%04x", b & 0xff).getBytes(StandardCharsets.US_ASCII));
                    } else {
                        escaped.write(b);
                    }
                }
            }
        }
        escaped.writeTo(out);
    }

    private void closeDirectory() {
        try {
            out.write(']');
            devices.pop();
            if (devices.isEmpty()) {
                out.write(']');
                out.write('\n');
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static String version() {
        var version = NcduExport.class.getPackage().getImplementationVersion();
        return version != null ? version : "dev";
    }

    /** Ends the file, closing whatever directories a cut-short walk left open. */
    @Override
    public void close() throws IOException {
        if (out == null) {
            return;
        }
        while (!devices.isEmpty()) {
            closeDirectory();
        }
        out.close();
    }
}
