package gopl.du;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * GNU du's process_file, on the entries of a {@link Walk} in fts's order: the per-level sums
 * (a directory's line after its contents), the set of inodes already counted, --max-depth,
 * --all, --separate-dirs, --threshold, --inodes, and the grand total. This runs on one thread,
 * in GNU's order, so every rule that depends on order (which of two hard links counts, which of
 * two overlapping roots) comes out as GNU du's does.
 */
final class Tally {
    /** The counting rules of the command line. {@code maxDepth} is unsigned ({@code -1}: no limit). */
    record Rules(boolean all, boolean separateDirs, boolean countAll, boolean hashAll, long maxDepth,
            long threshold, boolean inodes, boolean apparent) {}

    /** GNU's duinfo: size, inodes, files (ours: non-directories) and the latest time. */
    static final class Sum {
        long size, inodes, files, seconds = Long.MIN_VALUE;
        int nanos = -1;

        void set(long size, long inodes, long files, long seconds, int nanos) {
            this.size = size;
            this.inodes = inodes;
            this.files = files;
            this.seconds = seconds;
            this.nanos = nanos;
        }

        void set(Sum other) {
            set(other.size, other.inodes, other.files, other.seconds, other.nanos);
        }

        void clear() {
            set(0, 0, 0, Long.MIN_VALUE, -1);
        }

        void add(Sum other) {
            size += other.size;
            inodes += other.inodes;
            files += other.files;
            if (seconds < other.seconds || seconds == other.seconds && nanos < other.nanos) {
                seconds = other.seconds;
                nanos = other.nanos;
            }
        }
    }

    private final Rules rules;
    private final Lines lines;
    private final Consumer<String> warn;
    private final InodeSet seen = new InodeSet();
    private final Sum total = new Sum(), root = new Sum(), dui = new Sum(), toPrint = new Sum();
    private Sum[] entries = new Sum[0], below = new Sum[0]; // GNU's dulvl[level].ent and .subdir
    private int previousLevel;
    private boolean started, ok = true;

    Tally(Rules rules, Lines lines, Consumer<String> warn) {
        this.rules = rules;
        this.lines = lines;
        this.warn = warn;
    }

    /** Whether everything so far could be read (else du exits with 1). */
    boolean ok() {
        return ok;
    }

    void failed() {
        ok = false;
    }

    /** The grand total, for -c. */
    Sum total() {
        return total;
    }

    /** What the root being walked has counted so far, for a partial total after Ctrl-C. */
    Sum root() {
        return root;
    }

    /**
     * Counts one root, printing its lines as GNU du would; stops before the next entry once the
     * thread is interrupted (Ctrl-C), with what was counted, whichever walk it is.
     */
    void walk(Walk walk) throws InterruptedException {
        root.clear();
        try {
            while (true) {
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                var e = walk.next();
                if (e == null) {
                    break;
                }
                process(walk, e);
            }
        } finally {
            previousLevel = 0;
        }
    }

    private void process(Walk walk, Walk.Entry e) {
        var st = e.status;
        boolean directory;
        switch (e.type) {
            case EXCLUDED, OTHER_FS, CYCLE -> { // GNU du skips a cycle silently but for corrupted file systems
                return;
            }
            case FAILED -> {
                warn("cannot access " + quote(e) + (e.failure != null ? ": " + e.failure : ""));
                return;
            }
            case DIRECTORY -> {
                if (!rules.countAll() && rules.hashAll() && !seen.add(st.dev, st.ino)) {
                    walk.skip(); // an inode an earlier root (or path) counted
                }
                return;
            }
            case FILE -> {
                if (!rules.countAll() && (rules.hashAll() || st.nlink > 1) && !seen.add(st.dev, st.ino)) {
                    return; // a hard link counted already
                }
                directory = false;
                dui.set(measure(st), 1, 1, st.seconds, st.nanos);
            }
            case POST_DIRECTORY -> {
                if (e.failure != null) {
                    warn("cannot read directory " + quote(e) + ": " + e.failure);
                } else if (e.readError != null) {
                    warn(Inodes.quoteIfNeeded(Arrays.copyOf(e.path, e.pathLength)) + ": " + e.readError);
                }
                directory = true;
                dui.set(measure(st), 1, 0, st.seconds, st.nanos);
            }
            default -> { // PLAIN: files added up by the walker, none printed
                directory = false;
                dui.set(e.plainSize, e.plainCount, e.plainCount, e.plainSeconds, e.plainNanos);
            }
        }
        count(e, directory);
    }

    /** GNU's accumulation across levels: a directory's sums are complete when the level rises back to it. */
    private void count(Walk.Entry e, boolean directory) {
        int level = e.level;
        toPrint.set(dui);
        growTo(level + 1);
        if (!started) {
            started = true;
        } else if (level > previousLevel) {
            for (int i = previousLevel + 1; i <= level; i++) {
                entries[i].clear();
                below[i].clear();
            }
        } else if (level < previousLevel) {
            toPrint.add(entries[previousLevel]);
            if (!rules.separateDirs()) {
                toPrint.add(below[previousLevel]);
            }
            below[level].add(entries[previousLevel]);
            below[level].add(below[previousLevel]);
        }
        previousLevel = level;
        if (!(rules.separateDirs() && directory)) {
            entries[level].add(dui);
        }
        total.add(dui);
        root.add(dui);
        boolean shown = Long.compareUnsigned(level, rules.maxDepth()) <= 0;
        if (e.type != Walk.Type.PLAIN && ((directory || rules.all()) && shown || level == 0)) {
            long value = rules.inodes() ? toPrint.inodes : toPrint.size;
            long threshold = rules.threshold();
            if (threshold < 0 ? Long.compareUnsigned(value, -threshold) <= 0
                    : Long.compareUnsigned(value, threshold) >= 0) {
                lines.line(toPrint, e.path, e.pathLength);
            }
        }
    }

    private void growTo(int levels) {
        if (entries.length < levels) {
            int n = Math.max(levels, entries.length * 2);
            var oldEntries = entries;
            entries = Arrays.copyOf(entries, n);
            below = Arrays.copyOf(below, n);
            for (int i = oldEntries.length; i < n; i++) {
                entries[i] = new Sum();
                below[i] = new Sum();
            }
        }
    }

    private long measure(Inodes.Status st) {
        return rules.apparent() ? Math.max(0, st.size) : st.blocks * 512;
    }

    private void warn(String message) {
        ok = false;
        warn.accept(message);
    }

    private static String quote(Walk.Entry e) {
        return Inodes.quote(Arrays.copyOf(e.path, e.pathLength));
    }
}
