package gopl.du;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The parallel half of the walk (exercise 8.9's goroutines): walkers read directories ahead of
 * the consumer, which takes them in GNU du's order ({@link ListingWalk}) and reads any directory
 * no walker has taken itself. A helper takes the shallowest directory nobody has claimed (the
 * biggest piece of work, as a work-stealing pool would hand out) and walks below it depth first;
 * when the consumer catches up with it, it leaves the rest to the consumer and jumps ahead again.
 * What the walkers have read and the consumer not yet taken is bounded ({@link #BUDGET}), so
 * that {@code du -a} streams: beyond it the helpers wait. A helper is a platform thread: the
 * walk's native calls would pin a virtual thread's carrier anyway.
 */
final class Scan implements AutoCloseable {
    /** What the walkers need to know of the command line. */
    record Options(Inodes.Time time, boolean followAll, boolean followRoots, boolean oneFileSystem,
            Exclusions exclusions, boolean apparent, boolean export, long entriesUpToLevel, boolean countAll,
            boolean hashEveryFile, boolean dedupeDirectories, Set<Long> fileRootParents) {}

    /** How many bytes of read but not yet consumed listings the helpers may hold. */
    static final long BUDGET = 16 << 20;

    private final Inodes inodes;
    private final Options options;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<Listing> roots = new ArrayList<>(); // guarded by lock
    private int nextRoot; // guarded by lock
    private final List<Listing> frontier = new ArrayList<>(); // read, with subdirectories to hand out; guarded by lock
    private final AtomicLong charged = new AtomicLong();
    private final Set<Long> seenDirectories = ConcurrentHashMap.newKeySet();
    private final Walker consumer = new Walker(false);
    private final List<Thread> helpers = new ArrayList<>();
    private volatile boolean closed;

    Scan(Inodes inodes, Options options, int helperCount) {
        this.inodes = inodes;
        this.options = options;
        for (int i = 0; i < helperCount; i++) {
            var walker = new Walker(true);
            helpers.add(Thread.ofPlatform().daemon().name("du-walker-" + i).start(walker::help));
        }
    }

    /** Makes a root available to the walkers; the consumer will take roots in this order. */
    Listing addRoot(Roots.Root root) {
        var slot = new Listing(null, root, root.path, null, false);
        root.slot = slot;
        lock.lock();
        try {
            roots.add(slot);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        return slot;
    }

    /**
     * The consumer's wait for a slot: read by a walker, or by the calling thread if none has
     * claimed it. Returns the slot's final state.
     */
    int take(Listing slot) throws InterruptedException {
        if (slot.claim()) {
            consumer.list(slot);
            return slot.state();
        }
        var walker = slot.claimer;
        if (walker != null && slot.state() == Listing.CLAIMED) {
            walker.abandon = true; // we caught up with it: let it jump ahead
        }
        return slot.awaitListed();
    }

    /** The consumer is done with a listing: its memory no longer counts against the budget. */
    void consumed(Listing listing) {
        if (listing.charge > 0 && charged.addAndGet(-listing.charge) < BUDGET / 2 && waitingForRoom) {
            signal();
        }
        listing.clear();
    }

    /** The consumer skips a directory: whatever was or is being read below it is let go. */
    void drop(Listing slot) throws InterruptedException {
        var pending = new ArrayDeque<Listing>();
        pending.push(slot);
        while (!pending.isEmpty()) {
            var listing = pending.pop();
            listing.dropped = true;
            if (listing.claim()) {
                listing.publish(Listing.DROPPED);
                if (listing.parent != null) {
                    listing.parent.release();
                }
                continue;
            }
            if (listing.awaitListed() == Listing.LISTED) {
                listing.children.forEach(pending::push);
                consumed(listing);
            }
        }
    }

    /** Stops the helpers; running listings end at their next buffer. */
    void cancel() {
        closed = true;
        helpers.forEach(Thread::interrupt);
        signal();
    }

    @Override
    public void close() {
        cancel();
    }

    private volatile boolean waitingForRoom;

    private void signal() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A helper's next piece of work, claimed: the shallowest unclaimed directory, or null when closed. */
    private Listing next() throws InterruptedException {
        lock.lock();
        try {
            while (!closed) {
                if (charged.get() >= BUDGET / 2) {
                    waitingForRoom = true;
                } else {
                    var slot = claimShallowest();
                    if (slot != null) {
                        return slot;
                    }
                }
                changed.await();
                waitingForRoom = false;
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Under the lock: the work to steal, as a work-stealing pool steals it: the last free
     * subdirectory of the shallowest listing of the earliest root (or the next root), the one the
     * consumer will reach last, so that it and the helpers rarely meet.
     */
    private Listing claimShallowest() {
        while (nextRoot < roots.size() && roots.get(nextRoot).state() != Listing.UNCLAIMED) {
            nextRoot++;
        }
        Listing best = null;
        for (var i = frontier.iterator(); i.hasNext(); ) {
            var listing = i.next();
            if (listing.dropped || !hasFreeChild(listing)) {
                i.remove();
            } else if (best == null || listing.root.index < best.root.index
                    || listing.root.index == best.root.index && listing.depth < best.depth) {
                best = listing;
            }
        }
        if (nextRoot < roots.size() && (best == null || roots.get(nextRoot).root.index < best.root.index)) {
            var root = roots.get(nextRoot++);
            return root.claim() ? root : null;
        }
        return best == null ? null : claimLastChild(best);
    }

    private static boolean hasFreeChild(Listing listing) {
        var children = listing.children; // once: the consumer may clear the listing meanwhile
        for (int i = listing.nextChild(); i < children.size(); i++) {
            var child = children.get(i);
            if (!child.lazy && child.state() == Listing.UNCLAIMED) {
                return true;
            }
        }
        return false;
    }

    /** Claims the first subdirectory of a listing nobody has, in order; null if none is left. */
    private static Listing claimChild(Listing listing) {
        if (listing.dropped) {
            return null;
        }
        var children = listing.children; // once: the consumer may clear the listing meanwhile
        for (int i = listing.nextChild(); i < children.size(); i++) {
            var child = children.get(i);
            if (!child.lazy && child.claim()) {
                listing.nextChild(i + 1);
                return child;
            }
        }
        return null;
    }

    /** Claims the last subdirectory of a listing nobody has; null if none is left. */
    private static Listing claimLastChild(Listing listing) {
        var children = listing.children; // once: the consumer may clear the listing meanwhile
        for (int i = children.size() - 1; i >= listing.nextChild(); i--) {
            var child = children.get(i);
            if (!child.lazy && child.claim()) {
                return child;
            }
        }
        return null;
    }

    /** A thread that reads directories: a helper, or the consumer reading what no helper took. */
    final class Walker {
        private final boolean helper;
        /** Set by the consumer when it waits for this walker: time to leave this subtree to it. */
        volatile boolean abandon;

        Walker(boolean helper) {
            this.helper = helper;
        }

        /** A helper's life: claim the shallowest free directory, walk below it, again. */
        private void help() {
            try {
                for (Listing slot; (slot = next()) != null; ) {
                    walkBelow(slot);
                }
            } catch (InterruptedException e) {
                // cancelled
            }
        }

        /** Depth first below a claimed slot, until done, caught up with, over budget, or closed. */
        private void walkBelow(Listing first) {
            abandon = false;
            var stack = new ArrayDeque<Listing>();
            list(first);
            stack.push(first);
            while (!stack.isEmpty() && !abandon && !closed && charged.get() < BUDGET) {
                var child = claimChild(stack.peek());
                if (child == null) {
                    stack.pop();
                } else {
                    list(child);
                    stack.push(child);
                }
            }
        }

        /** Reads a claimed slot: stats a root, opens the directory, lists it, and publishes it. */
        void list(Listing slot) {
            slot.claimer = this;
            var reader = new ListingReader(slot, options, inodes, seenDirectories);
            try {
                reader.read();
            } finally {
                if (helper && slot.count + slot.children.size() > 0) {
                    slot.charge = slot.footprint();
                    charged.addAndGet(slot.charge);
                }
                slot.publish(Listing.LISTED);
                if (!slot.children.isEmpty()) {
                    lock.lock();
                    try {
                        frontier.add(slot);
                        changed.signalAll();
                    } finally {
                        lock.unlock();
                    }
                }
                slot.release();
            }
        }
    }
}
