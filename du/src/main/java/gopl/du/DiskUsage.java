package gopl.du;

import gopl.common.TaskGroup;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The walk of exercise 8.9: every root is walked at once, by tasks that fan out over subtrees,
 * and each root keeps its own running totals. Counted as GNU du counts: directories' own blocks
 * included, symlinks not followed, an inode reached twice counted once, by the first root in
 * argument order that reaches it, and a root already inside an earlier root not reported at all.
 */
final class DiskUsage {
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

    private record Key(long dev, long ino) {}

    private record Subdirectory(byte[] name, Key key) {}

    /** A directory and its ancestors up to the root, to spot a bind mount looping back to one. */
    private record Chain(Key key, Chain parent) {
        boolean contains(Key other) {
            for (var link = this; link != null; link = link.parent) {
                if (link.key.equals(other)) {
                    return true;
                }
            }
            return false;
        }
    }

    /*
     * The book's counting semaphore: how many tasks make system calls at once. One per core.
     * Reading a directory is a run of calls (openat, getdents64, a statx per entry, close) that
     * the kernel answers from its caches on a warm tree, all CPU work: more at once than cores
     * only queue for the CPU (measured: 4 permits on 2 cores are no faster than 2; 1 is 1.5
     * times slower). And an FFM call pins its virtual thread to a carrier, of which there is one
     * per core, so more permits would not even run. A task holds a permit while it walks, and
     * hands a subtree to a new task only if it can take a free permit for it: every core walks,
     * without a task and a thread per directory. Under the NIO fallback, whose blocking
     * calls make the scheduler add carriers, the bound also keeps thousands of directories from
     * being opened at once.
     */
    private final Semaphore sema;
    /** How many directories deep one task walks (holding each open) before handing the rest on. */
    private static final int MAX_DEPTH = 128;
    private final TaskGroup group = new TaskGroup();
    private final Inodes inodes;
    private final boolean oneFileSystem;
    private final Consumer<String> warn;
    private final AtomicInteger errors = new AtomicInteger();
    private final List<Root> roots = new ArrayList<>();
    /** Which root owns each inode that can be reached twice: the lowest index that reached it. */
    private final ConcurrentHashMap<Key, Integer> owners = new ConcurrentHashMap<>();
    private final Set<Key> rootDirectories = new HashSet<>();
    /**
     * The directories holding a root that is a file: there, every file needs an owner, since it
     * may be that root reached again; elsewhere only files with several links can be reached twice.
     */
    private final Set<Key> fileRootParents = new HashSet<>();

    DiskUsage(Inodes inodes, boolean oneFileSystem, Consumer<String> warn) {
        this(inodes, oneFileSystem, warn, Runtime.getRuntime().availableProcessors());
    }

    DiskUsage(Inodes inodes, boolean oneFileSystem, Consumer<String> warn, int concurrentReads) {
        this.sema = new Semaphore(concurrentReads, true); // fair: every root gets its turn
        this.inodes = inodes;
        this.oneFileSystem = oneFileSystem;
        this.warn = warn;
    }

    /** Stats the roots, in argument order; one that cannot be accessed is warned about and skipped. */
    List<Root> roots(List<String> names) {
        for (var name : names) {
            var root = new Root(name, roots.size());
            roots.add(root);
            try {
                root.stat = inodes.stat(root.path);
            } catch (IOException e) {
                warn("cannot access " + Inodes.quote(root.path) + ": " + e.getMessage());
                continue;
            }
            var st = root.stat;
            root.key = new Key(st.dev(), st.ino());
            owners.merge(root.key, root.index, Math::min);
            root.add(st.blocks(), st.size(), st.directory() ? 0 : 1);
            if (st.directory()) {
                rootDirectories.add(root.key);
            } else if (names.size() > 1) {
                fileRootParents.add(parentKey(root.path));
            }
        }
        return roots;
    }

    /** The directory holding a path, or a key no directory has if that cannot be known. */
    private Key parentKey(byte[] path) {
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

    /** Walks every root to the end, or until {@link #cancel()}. */
    void walk() throws InterruptedException {
        for (var root : roots) {
            if (root.stat != null && root.stat.directory() && reported(root)) {
                root.pending.incrementAndGet();
                group.spawn(() -> walkRoot(root));
            }
        }
        try {
            group.await();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Stops the walk promptly: running listings end at their next buffer, waiting ones never start. */
    void cancel() {
        group.cancel();
    }

    /** Whether a root gets an output line: not if it was found inside (or equal to) an earlier root. */
    boolean reported(Root root) {
        return root.stat != null && owners.get(root.key) == root.index;
    }

    int errors() {
        return errors.get();
    }

    private void walkRoot(Root root) throws InterruptedException {
        sema.acquire();
        try {
            var dir = open(root.path, null);
            if (dir != null) {
                walk(root, dir, new Chain(root.key, null));
            }
        } finally {
            sema.release();
        }
        done(root);
    }

    /**
     * Hands a subtree to a new task, which holds one of the semaphore's permits while it works:
     * the free one its spawner took for it, or one it waits for.
     */
    private void spawn(Root root, Inodes.Directory dir, Chain chain, boolean permitTaken) {
        root.pending.incrementAndGet();
        group.spawn(() -> {
            if (!permitTaken) {
                try {
                    sema.acquire();
                } catch (InterruptedException e) {
                    dir.close();
                    throw e;
                }
            }
            try {
                walk(root, dir, chain);
            } finally {
                sema.release();
            }
            done(root);
        });
    }

    private void done(Root root) {
        if (!Thread.currentThread().isInterrupted()) {
            root.pending.decrementAndGet(); // a cancelled task may have left work undone: the root stays pending
        }
    }

    /** A directory on a walker's stack: still open, and the subdirectories in it not yet walked. */
    private record Level(Inodes.Directory dir, Chain chain, Iterator<Subdirectory> waiting) {}

    /**
     * The book's walkDir, depth first with a stack instead of recursion: list a directory, then
     * its subdirectories one by one, each opened relative to its parent, as fts does for GNU du.
     * Whenever a permit is free, a new task takes over the shallowest subdirectory still waiting,
     * the biggest piece of work there is, as a work-stealing pool would hand out: a few dozen
     * hand-offs keep every core busy. Closes {@code top} and every directory below it.
     */
    private void walk(Root root, Inodes.Directory top, Chain chain) throws InterruptedException {
        var stack = new ArrayDeque<Level>();
        try {
            stack.push(list(root, top, chain));
            while (!stack.isEmpty() && !Thread.currentThread().isInterrupted()) {
                var level = stack.peek();
                if (!level.waiting().hasNext()) {
                    stack.pop().dir().close();
                } else if (sema.tryAcquire(0, TimeUnit.SECONDS)) { // tryAcquire() would jump the queue
                    handOff(root, stack);
                } else {
                    var sub = level.waiting().next();
                    var child = open(sub.name(), level.dir());
                    var below = new Chain(sub.key(), level.chain());
                    if (child != null && stack.size() >= MAX_DEPTH) {
                        spawn(root, child, below, false); // too deep for one task's open directories
                    } else if (child != null) {
                        stack.push(list(root, child, below));
                    }
                }
            }
        } finally {
            stack.forEach(level -> level.dir().close());
        }
    }

    /** Gives the shallowest waiting subdirectory to a new task, with the permit just taken for it. */
    private void handOff(Root root, Deque<Level> stack) {
        for (var shallowest = stack.descendingIterator(); shallowest.hasNext(); ) {
            var level = shallowest.next();
            if (level.waiting().hasNext()) {
                var sub = level.waiting().next();
                var child = open(sub.name(), level.dir());
                if (child != null) {
                    spawn(root, child, new Chain(sub.key(), level.chain()), true);
                    return;
                }
                break;
            }
        }
        sema.release();
    }

    /** Lists a directory, adds up its entries for the root, and returns its subdirectories to walk. */
    private Level list(Root root, Inodes.Directory dir, Chain chain) {
        var tally = new Tally(root, dir.path(), chain);
        try {
            inodes.list(dir, tally);
        } catch (IOException e) {
            warn("cannot read directory " + Inodes.quote(dir.path()) + ": " + e.getMessage());
        }
        root.add(tally.blocks, tally.bytes, tally.files);
        return new Level(dir, chain, tally.subdirectories.iterator());
    }

    /** Opens a root, or a subdirectory of an open parent; or warns as GNU du does and returns null. */
    private Inodes.Directory open(byte[] name, Inodes.Directory parent) {
        try {
            return parent == null ? inodes.open(name) : inodes.open(parent, name);
        } catch (IOException e) {
            var path = parent == null ? name : Inodes.child(parent.path(), name);
            warn("cannot read directory " + Inodes.quote(path) + ": " + e.getMessage());
            return null;
        }
    }

    /** One directory's entries, added up locally and then to the root in one step. */
    private final class Tally implements Inodes.Visitor {
        final Root root;
        final byte[] dir; // for messages
        final Chain chain;
        final boolean claimEveryFile;
        final List<Subdirectory> subdirectories = new ArrayList<>();
        long blocks, bytes, files;

        Tally(Root root, byte[] dir, Chain chain) {
            this.root = root;
            this.dir = dir;
            this.chain = chain;
            this.claimEveryFile = fileRootParents.contains(chain.key());
        }

        @Override
        public void file(long dev, long ino, long nlink, long blocks, long size) {
            if (oneFileSystem && dev != root.stat.dev()
                    || (nlink > 1 || claimEveryFile) && !claim(root, new Key(dev, ino), blocks, size, 1)) {
                return;
            }
            this.blocks += blocks;
            this.bytes += size;
            this.files++;
        }

        @Override
        public void directory(byte[] name, long dev, long ino, long blocks, long size) {
            var key = new Key(dev, ino);
            if (oneFileSystem && dev != root.stat.dev() || chain.contains(key)
                    || rootDirectories.size() > 1 && rootDirectories.contains(key) && !claim(root, key, 0, 0, 0)) {
                return; // another file system, a bind mount of an ancestor (as GNU du, silently), or a root
                        // directory that an earlier root counts
            }
            this.blocks += blocks;
            this.bytes += size;
            subdirectories.add(new Subdirectory(name, key));
        }

        @Override
        public void failed(byte[] name, String reason) {
            warn("cannot access " + Inodes.quote(Inodes.child(dir, name)) + ": " + reason);
        }
    }

    /**
     * Whether {@code root} counts an inode that may be reached twice: a file with several links,
     * or a root directory found inside another root. The first root in argument order keeps it,
     * as with GNU du's walk of one root after another; if a later root got it first, the count
     * moves over (a root directory's does not need to: that root is no longer reported at all).
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

    private void warn(String message) {
        errors.incrementAndGet();
        warn.accept(message);
    }
}
