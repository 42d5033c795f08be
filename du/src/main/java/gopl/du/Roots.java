package gopl.du;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The command-line roots, their running totals, and GNU du's rule for an inode reached twice,
 * by a hard link or because roots overlap: it counts once, for the first root in argument order
 * that contains it, and a root inside (or equal to) an earlier root is not reported at all. GNU
 * du gets this by walking the roots one after the other; we walk them all at once, so a root that
 * finds an inode an earlier root also has hands it over.
 */
final class Roots {
    /** A command-line root and its running totals, which the progress line reads as they grow. */
    static final class Root {
        final String name;
        final int index;
        final byte[] path;
        final LongAdder blocks = new LongAdder(), bytes = new LongAdder(), files = new LongAdder();
        /** This root's tasks not yet finished; 0 once the root is done, above if it was cut short. */
        final AtomicInteger pending = new AtomicInteger();
        Inodes.Stat stat; // null if the root cannot be accessed
        Key key;

        Root(String name, int index) {
            this.name = name;
            this.index = index;
            this.path = name.getBytes(Inodes.fileNameCharset());
        }

        boolean complete() {
            return pending.get() == 0;
        }

        void add(long blocks, long bytes, long files) {
            this.blocks.add(blocks);
            this.bytes.add(bytes);
            this.files.add(files);
        }
    }

    /** An inode: its device and number. */
    record Key(long dev, long ino) {}

    private final List<Root> roots = new ArrayList<>();
    /** Which root owns each inode that can be reached twice: the lowest index that reached it. */
    private final ConcurrentHashMap<Key, Integer> owners = new ConcurrentHashMap<>();
    private final Set<Key> rootDirectories = new HashSet<>();
    /**
     * The directories holding a root that is a file: there, every file needs an owner, since it
     * may be that root reached again; elsewhere only files with several links can be reached twice.
     */
    private final Set<Key> fileRootParents = new HashSet<>();

    /** Stats the roots, in argument order; one that cannot be accessed is warned about and left out. */
    Roots(List<String> names, Inodes inodes, Consumer<String> warn) {
        for (var name : names) {
            var root = new Root(name, roots.size());
            roots.add(root);
            try {
                root.stat = inodes.stat(root.path);
            } catch (IOException e) {
                warn.accept("cannot access " + Inodes.quote(root.path) + ": " + e.getMessage());
                continue;
            }
            var st = root.stat;
            root.key = new Key(st.dev(), st.ino());
            owners.merge(root.key, root.index, Math::min);
            root.add(st.blocks(), st.size(), st.directory() ? 0 : 1);
            if (st.directory()) {
                rootDirectories.add(root.key);
            } else if (names.size() > 1) {
                fileRootParents.add(parentKey(root.path, inodes));
            }
        }
    }

    /** The directory holding a path, or a key no directory has if that cannot be known. */
    private static Key parentKey(byte[] path, Inodes inodes) {
        int slash = path.length - 1;
        while (slash >= 0 && path[slash] != '/') {
            slash--;
        }
        var parent = slash < 0 ? new byte[] {'.'} : slash == 0 ? new byte[] {'/'} : Arrays.copyOf(path, slash);
        try {
            var st = inodes.stat(parent);
            return new Key(st.dev(), st.ino());
        } catch (IOException e) {
            return new Key(-1, -1);
        }
    }

    List<Root> all() {
        return roots;
    }

    /** Whether a root gets an output line: not if it was found inside (or equal to) an earlier root. */
    boolean reported(Root root) {
        return root.stat != null && owners.get(root.key) == root.index;
    }

    /** Whether every file in this directory must be claimed, not only those with several links. */
    boolean claimsEveryFileIn(Key directory) {
        return fileRootParents.contains(directory);
    }

    /** Whether {@code root} counts a file found in its walk. */
    boolean claimFile(Root root, Key key, long nlink, long blocks, long size, boolean everyFile) {
        return nlink == 1 && !everyFile || claim(root, key, blocks, size, 1);
    }

    /** Whether {@code root} walks a directory found in its walk: not another root that an earlier root has. */
    boolean claimDirectory(Root root, Key key) {
        return rootDirectories.size() < 2 || !rootDirectories.contains(key) || claim(root, key, 0, 0, 0);
    }

    /**
     * Whether {@code root} counts an inode that may be reached twice. The first root in argument
     * order keeps it; if a later root got it first, the count moves over (a root directory's need
     * not: that root is no longer reported at all).
     */
    private boolean claim(Root root, Key key, long blocks, long size, long files) {
        for (Integer owner = owners.putIfAbsent(key, root.index); owner != null; owner = owners.get(key)) {
            if (owner <= root.index) {
                return false;
            }
            if (owners.replace(key, owner, root.index)) {
                roots.get(owner).add(-blocks, -size, -files);
                return true;
            }
        }
        return true;
    }
}
