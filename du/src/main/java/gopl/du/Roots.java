package gopl.du;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/** The roots du walks, one after the other as GNU du does, and what each needs from the walkers. */
final class Roots {
    /** A root: its path as du prints it, and running totals for -v and Ctrl-C. */
    static final class Root {
        final String name;
        final int index;
        /** The path as fts keeps it: two or more trailing slashes become one. */
        final byte[] path;
        /** What the walkers have read so far: size as counted, and files (hard links each time). */
        final LongAdder size = new LongAdder(), files = new LongAdder();
        /** GNU du's totals once counted: set when the root is done. */
        volatile long countedSize, countedFiles;
        volatile boolean done;
        Listing slot;

        Root(byte[] given, int index) {
            this.path = ftsPath(given);
            this.name = new String(path, Inodes.fileNameCharset());
            this.index = index;
        }

        long size() {
            return done ? countedSize : size.sum();
        }

        long files() {
            return done ? countedFiles : files.sum();
        }
    }

    private Roots() {}

    /** fts_open's trimming of a root: with two or more trailing slashes (and more than two bytes), one stays. */
    static byte[] ftsPath(byte[] path) {
        int length = path.length;
        if (length > 2 && path[length - 1] == '/') {
            while (length > 1 && path[length - 2] == '/') {
                length--;
            }
        }
        return Arrays.copyOf(path, length);
    }

    /**
     * The directories holding a root that is not a directory: there every file needs its own
     * entry, since it may be that root reached again (elsewhere only files with several links
     * can be). A key no directory has stands for a parent that cannot be stat-ed.
     */
    static Set<Long> fileRootParents(List<byte[]> roots, Inodes inodes) {
        var parents = new HashSet<Long>();
        for (var given : roots) {
            var root = ftsPath(given);
            var st = inodes.stat(root, false);
            if (!st.failed && !st.isDirectory()) {
                var parent = inodes.stat(parent(root), false);
                if (!parent.failed) {
                    parents.add(key(parent.dev, parent.ino));
                }
            }
        }
        return parents;
    }

    /** A (device, inode) pair as one number for a set: collisions only cost an entry of its own. */
    static long key(long dev, long ino) {
        return ino * 31 + dev;
    }

    private static byte[] parent(byte[] path) {
        int slash = path.length - 1;
        while (slash >= 0 && path[slash] != '/') {
            slash--;
        }
        return slash < 0 ? new byte[] {'.'} : slash == 0 ? new byte[] {'/'} : Arrays.copyOf(path, slash);
    }
}
