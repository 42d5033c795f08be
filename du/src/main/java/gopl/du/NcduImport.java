package gopl.du;

import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * {@code --import FILE}: the tree of an ncdu export (ncdu -o, gdu -o, our --export) as a
 * {@link Walk}, read as it streams, so that every option counts it as it would count the
 * directory itself: {@code du --import x.json -h -d1}. Sizes are ncdu's asize and dsize, hard
 * links its hlnkc and ino, --exclude applies to the exported paths, and what the export marks
 * unreadable is reported as du reports it. The file is untrusted input: strings, numbers,
 * nesting and paths are bounded, and a broken file is one line naming the byte.
 */
final class NcduImport implements Walk {
    /** The longest path built from nested names (the kernel's limit is 4096 per call, but trees go deeper). */
    static final int MAX_PATH = 1 << 20;

    /** An open directory: its status (for its second visit), path length, and why it was unreadable. */
    private record Frame(Inodes.Status status, int pathLength, String failure) {}

    /** One info object. */
    private static final class Info {
        byte[] name;
        long asize, dsize, dev = -1, ino, nlink, mtime;
        boolean hardLinked, readError, notRegular;
        String excluded;
    }

    private final Json json;
    private final Exclusions exclusions;
    private final Entry entry = new Entry();
    private final ArrayDeque<Frame> stack = new ArrayDeque<>();
    private Frame entering;
    private boolean started, ended;
    private byte[] top;

    NcduImport(InputStream in, String file, Exclusions exclusions) {
        this.json = new Json(in, file);
        this.exclusions = exclusions;
    }

    @Override
    public Entry next() {
        if (!started) {
            started = true;
            header();
            json.expect('[');
            var info = info();
            top = info.name;
            return directory(info, 0);
        }
        if (entering != null) {
            stack.push(entering);
            entering = null;
        }
        if (stack.isEmpty()) {
            if (!ended) {
                ended = true;
                json.expect(']');
            }
            return null;
        }
        if (json.accept(',')) {
            if (json.accept('[')) {
                return directory(info(), stack.size());
            }
            return item(info());
        }
        json.expect(']');
        var frame = stack.pop();
        entry.type = Type.POST_DIRECTORY;
        entry.level = stack.size();
        entry.pathLength = frame.pathLength();
        copy(frame.status());
        entry.failure = frame.failure();
        entry.readError = null;
        return entry;
    }

    /** The top directory's name as exported, once read; null before. */
    byte[] top() {
        return top;
    }

    @Override
    public void skip() {
        if (entering != null) {
            entering = null;
            skipContents();
        }
    }

    /** {@code [1, minor, {metadata},}: major version 1, as ncdu requires. */
    private void header() {
        json.expect('[');
        if (json.number() != 1) {
            throw json.error("major version must be 1");
        }
        json.expect(',');
        json.number();
        json.expect(',');
        json.skipValue();
        json.expect(',');
    }

    private Entry directory(Info info, int level) {
        setPath(info.name, level);
        if (info.excluded != null || excluded()) {
            skipContents();
            entry.type = info.excluded != null && info.excluded.startsWith("oth") ? Type.OTHER_FS : Type.EXCLUDED;
            return entry;
        }
        entry.type = Type.DIRECTORY;
        entry.level = level;
        status(info, Inodes.Status.S_IFDIR);
        entry.failure = info.readError ? "unreadable when exported" : null;
        entering = new Frame(entry.status.copy(), entry.pathLength, entry.failure);
        return entry;
    }

    private Entry item(Info info) {
        setPath(info.name, stack.size());
        entry.level = stack.size();
        entry.failure = null;
        if (info.excluded != null || excluded()) {
            entry.type = info.excluded != null && info.excluded.startsWith("oth") ? Type.OTHER_FS : Type.EXCLUDED;
        } else if (info.readError) {
            entry.type = Type.FAILED;
            entry.failure = "unreadable when exported";
        } else {
            entry.type = Type.FILE;
            status(info, info.notRegular ? 0120000 : Inodes.Status.S_IFREG);
        }
        return entry;
    }

    private boolean excluded() {
        return !exclusions.isEmpty() && exclusions.excludes(entry.path, entry.pathLength);
    }

    private void status(Info info, int type) {
        var st = entry.status;
        st.failed = false;
        st.size = info.asize;
        st.blocks = Math.ceilDiv(Math.max(0, info.dsize), 512);
        st.dev = info.dev >= 0 ? info.dev : stack.isEmpty() ? 0 : stack.peek().status().dev; // the parent's
        st.ino = info.ino;
        st.nlink = info.hardLinked ? Math.max(2, info.nlink) : 1;
        st.mode = type;
        st.seconds = info.mtime;
        st.nanos = 0;
    }

    /** The rest of a directory whose info block was read: its entries and the closing bracket. */
    private void skipContents() {
        while (json.accept(',')) {
            json.skipValue();
        }
        json.expect(']');
    }

    private Info info() {
        var info = new Info();
        json.expect('{');
        if (!json.accept('}')) {
            do {
                field(info, new String(json.string(), java.nio.charset.StandardCharsets.UTF_8));
            } while (json.accept(','));
            json.expect('}');
        }
        if (info.name == null) {
            throw json.error("an entry without a name");
        }
        return info;
    }

    private void field(Info info, String key) {
        json.expect(':');
        switch (key) {
            case "name" -> info.name = json.string();
            case "asize" -> info.asize = json.number();
            case "dsize" -> info.dsize = json.number();
            case "dev" -> info.dev = json.number();
            case "ino" -> info.ino = json.number();
            case "nlink" -> info.nlink = json.number();
            case "mtime" -> info.mtime = json.number();
            case "hlnkc" -> info.hardLinked = json.literal();
            case "read_error" -> info.readError = json.literal();
            case "notreg" -> info.notRegular = json.literal();
            case "excluded" -> info.excluded = json.peek() == '"' ? new String(json.string(),
                    java.nio.charset.StandardCharsets.UTF_8) : json.literal() ? "pattern" : null;
            default -> json.skipValue();
        }
    }

    /** The entry's path: the top directory's name as exported, then names joined by slashes. */
    private void setPath(byte[] name, int level) {
        int base = level == 0 ? 0 : stack.peek().pathLength();
        boolean slash = level > 0 && base > 0 && entry.path[base - 1] != '/';
        int length = base + (slash ? 1 : 0) + name.length;
        if (length > MAX_PATH) {
            throw json.error("a path longer than " + MAX_PATH + " bytes");
        }
        if (length > entry.path.length) {
            entry.path = Arrays.copyOf(entry.path, Math.max(length, entry.path.length * 2));
        }
        if (slash) {
            entry.path[base] = '/';
        }
        System.arraycopy(name, 0, entry.path, length - name.length, name.length);
        entry.pathLength = length;
        entry.nameStart = length - name.length;
        entry.level = level;
    }

    private void copy(Inodes.Status st) {
        var to = entry.status;
        to.failed = false;
        to.size = st.size;
        to.blocks = st.blocks;
        to.dev = st.dev;
        to.ino = st.ino;
        to.nlink = st.nlink;
        to.mode = st.mode;
        to.seconds = st.seconds;
        to.nanos = st.nanos;
    }
}
