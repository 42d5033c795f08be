package gopl.du;

import gopl.du.Roots.Key;
import gopl.du.Roots.Root;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The walk of exercise 8.9: every root is walked at once, by tasks that fan out over subtrees,
 * and each root keeps its own running totals. Counted as GNU du counts: directories' own blocks
 * included, symlinks not followed, other file systems skipped with {@code -x}, and an inode
 * reached twice counted once ({@link Roots} says by which root).
 */
final class DiskUsage {
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
    private Roots roots;

    DiskUsage(Inodes inodes, boolean oneFileSystem, Consumer<String> warn) {
        this(inodes, oneFileSystem, warn, Runtime.getRuntime().availableProcessors());
    }

    DiskUsage(Inodes inodes, boolean oneFileSystem, Consumer<String> warn, int concurrentReads) {
        this.sema = new Semaphore(concurrentReads, true); // fair: every root gets its turn
        this.inodes = inodes;
        this.oneFileSystem = oneFileSystem;
        this.warn = warn;
    }

    /** Stats the roots, in argument order; one that cannot be accessed is warned about and left out. */
    List<Root> roots(List<String> names) {
        roots = new Roots(names, inodes, this::warn);
        return roots.all();
    }

    /** Walks every root to the end, or until {@link #cancel()}. */
    void walk() throws InterruptedException {
        for (var root : roots.all()) {
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
        return roots.reported(root);
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
        boolean spawned = group.spawn(() -> {
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
        if (!spawned) { // cancelled: the task will not run, so give back what it was handed
            dir.close();
            if (permitTaken) {
                sema.release();
            }
        }
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
            this.claimEveryFile = roots.claimsEveryFileIn(chain.key());
        }

        @Override
        public void file(long dev, long ino, long nlink, long blocks, long size) {
            if (oneFileSystem && dev != root.stat.dev()
                    || !roots.claimFile(root, new Key(dev, ino), nlink, blocks, size, claimEveryFile)) {
                return;
            }
            this.blocks += blocks;
            this.bytes += size;
            this.files++;
        }

        @Override
        public void directory(byte[] name, long dev, long ino, long blocks, long size) {
            var key = new Key(dev, ino);
            if (oneFileSystem && dev != root.stat.dev() || chain.contains(key) || !roots.claimDirectory(root, key)) {
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

    private void warn(String message) {
        errors.incrementAndGet();
        warn.accept(message);
    }
}
