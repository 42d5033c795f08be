package gopl.du;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One directory in the tree: first a slot that a walker claims, then what the walker read in it,
 * kept compact (parallel arrays, no object per entry) until the consumer takes it in GNU du's
 * order. Entries keep the order the file system gave them (fts's order); files that need no
 * entry of their own (one link, no line to print) are only added up.
 */
final class Listing {
    /** Entry kinds. */
    static final byte FILE = 0, DIRECTORY = 1, FAILED = 2, EXCLUDED = 3, OTHER_FS = 4, CYCLE = 5;
    /** Slot states: no walker yet, one walking it, read, or given up (skipped, cancelled). */
    static final int UNCLAIMED = 0, CLAIMED = 1, LISTED = 2, DROPPED = 3;
    /** Fields per entry: dev, ino, nlink, size, blocks, seconds, nanos | mode << 32, d_ino. */
    private static final int STRIDE = 8;

    final Listing parent;
    final Roots.Root root;
    final int depth;
    /** The name in the parent; a root's is its path. */
    final byte[] name;
    /** The length of the path du prints for it. */
    final int pathLength;
    /** The directory's own status, as its parent's listing stat-ed it (a root's, once claimed). */
    Inodes.Status status;
    /** Left to the consumer: a directory the walkers met before (several roots, -L), likely skipped. */
    final boolean lazy;

    private final AtomicInteger state = new AtomicInteger(UNCLAIMED);
    /** The walker listing it, told to stop when the consumer catches up with it. */
    volatile Scan.Walker claimer;
    /** Whether the consumer skipped this directory, so that nothing below it is wanted. */
    volatile boolean dropped;
    /** A root that --exclude matched: not even stat-ed. */
    boolean excluded;
    /** What this listing counts against the helpers' memory budget, until consumed. */
    long charge;

    /** The open directory, kept until every subdirectory has been opened relative to it. */
    Inodes.Directory directory;
    private final AtomicInteger holds = new AtomicInteger();

    // What the walker read: set before LISTED, read by the consumer after it.
    /** Why the directory could not be read at all (GNU's FTS_DNR), or null. */
    String failure;
    /** Why reading stopped after some entries (GNU's FTS_ERR), or null. */
    String readError;
    int count;
    private byte[] kinds = new byte[4];
    private long[] fields = new long[4 * STRIDE];
    private int[] ordinals = new int[4];
    private byte[] names = new byte[64];
    private int[] nameEnds = new int[4];
    private int namesLength;
    final List<Listing> children = new ArrayList<>();
    private List<String> reasons;
    /** The files added up instead of listed: their size as counted, count, latest time. */
    long plainSize, plainCount, plainSeconds = Long.MIN_VALUE;
    int plainNanos = -1;
    /** Claimed in order by helpers: the next subdirectory slot to look at. */
    final AtomicInteger nextChild = new AtomicInteger();

    Listing(Listing parent, Roots.Root root, byte[] name, Inodes.Status status, boolean lazy) {
        this.parent = parent;
        this.root = root;
        this.depth = parent == null ? 0 : parent.depth + 1;
        this.name = name;
        this.pathLength = parent == null ? name.length : parent.childPathLength(name.length);
        this.status = status;
        this.lazy = lazy;
    }

    /** The length of an entry's path: fts puts no slash after a root that ends with one. */
    int childPathLength(int nameLength) {
        boolean slash = !(parent == null && name.length > 0 && name[name.length - 1] == '/');
        return pathLength + (slash ? 1 : 0) + nameLength;
    }

    boolean claim() {
        return state.compareAndSet(UNCLAIMED, CLAIMED);
    }

    int state() {
        return state.get();
    }

    /** Marks the slot read (or given up) and wakes the consumer if it waits for it. */
    void publish(int finalState) {
        synchronized (this) {
            state.set(finalState);
            notifyAll();
        }
    }

    /** Waits until a walker has read (or given up) this directory. */
    int awaitListed() throws InterruptedException {
        synchronized (this) {
            while (state.get() == CLAIMED) {
                wait();
            }
        }
        return state.get();
    }

    /** Keeps the open directory for {@code n} more subdirectories to be opened relative to it. */
    void hold(int n) {
        holds.addAndGet(n);
    }

    /** One use of the open directory is over; the last closes it. */
    void release() {
        if (holds.decrementAndGet() == 0 && directory != null) {
            directory.close();
        }
    }

    // Appending, by the walker that claimed the slot.

    int add(byte kind, byte[] nameBytes, int at, int length, int ordinal) {
        if (count == kinds.length) {
            grow();
        }
        kinds[count] = kind;
        ordinals[count] = ordinal;
        if (namesLength + length > names.length) {
            names = Arrays.copyOf(names, Math.max(names.length * 2, namesLength + length));
        }
        System.arraycopy(nameBytes, at, names, namesLength, length);
        namesLength += length;
        nameEnds[count] = namesLength;
        return count++;
    }

    void set(int entry, Inodes.Status st, long dirIno) {
        int f = entry * STRIDE;
        fields[f] = st.dev;
        fields[f + 1] = st.ino;
        fields[f + 2] = st.nlink;
        fields[f + 3] = st.size;
        fields[f + 4] = st.blocks;
        fields[f + 5] = st.seconds;
        fields[f + 6] = (st.nanos & 0xffffffffL) | (long) st.mode << 32;
        fields[f + 7] = dirIno;
    }

    void setReason(int entry, String reason) {
        if (reasons == null) {
            reasons = new ArrayList<>();
        }
        fields[entry * STRIDE] = reasons.size();
        reasons.add(reason);
    }

    void setChild(int entry, Listing child, long dirIno) {
        fields[entry * STRIDE] = children.size();
        fields[entry * STRIDE + 7] = dirIno;
        children.add(child);
    }

    private void grow() {
        int n = kinds.length * 2;
        kinds = Arrays.copyOf(kinds, n);
        ordinals = Arrays.copyOf(ordinals, n);
        nameEnds = Arrays.copyOf(nameEnds, n);
        fields = Arrays.copyOf(fields, n * STRIDE);
    }

    /** Roughly how many bytes this listing holds, for the walkers' memory budget. */
    long footprint() {
        return 200L + kinds.length * (1 + 4 + 4 + STRIDE * 8L) + names.length + children.size() * 8L;
    }

    /**
     * fts's order for a big directory: with more than 10,000 entries in one read of up to
     * 100,000, and a file system where that pays (not tmpfs, NFS or CIFS), fts sorts them by
     * inode number.
     */
    void sortLikeFts(int entriesRead, long fileSystemType) {
        if (entriesRead <= 10_000 || fileSystemType == 0x01021994L || fileSystemType == 0x6969L
                || fileSystemType == 0xFF534D42L) {
            return;
        }
        var order = new Integer[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        int batches = entriesRead / 100_000 + 1;
        var batchSizes = new int[batches];
        for (int i = 0; i < count; i++) {
            batchSizes[ordinals[i] / 100_000]++;
        }
        Arrays.sort(order, (a, b) -> { // stable, as glibc's merge sort is
            int batchA = ordinals[a] / 100_000, batchB = ordinals[b] / 100_000;
            if (batchA != batchB) {
                return Integer.compare(batchA, batchB);
            }
            boolean sorted = readInBatch(batchA, entriesRead) > 10_000;
            return sorted ? Long.compareUnsigned(fields[a * STRIDE + 7], fields[b * STRIDE + 7]) : 0;
        });
        permute(order);
    }

    private static int readInBatch(int batch, int entriesRead) {
        return Math.min(100_000, entriesRead - batch * 100_000);
    }

    private void permute(Integer[] order) {
        var oldKinds = kinds.clone();
        var oldFields = fields.clone();
        var oldOrdinals = ordinals.clone();
        var oldNames = names.clone();
        var oldEnds = nameEnds.clone();
        var oldChildren = new ArrayList<>(children);
        children.clear();
        int length = 0;
        for (int i = 0; i < count; i++) {
            int from = order[i];
            kinds[i] = oldKinds[from];
            ordinals[i] = oldOrdinals[from];
            System.arraycopy(oldFields, from * STRIDE, fields, i * STRIDE, STRIDE);
            int start = from == 0 ? 0 : oldEnds[from - 1];
            System.arraycopy(oldNames, start, names, length, oldEnds[from] - start);
            length += oldEnds[from] - start;
            nameEnds[i] = length;
            if (kinds[i] == DIRECTORY) {
                fields[i * STRIDE] = children.size();
                children.add(oldChildren.get((int) oldFields[from * STRIDE]));
            }
        }
    }

    // Reading, by the consumer.

    byte kind(int entry) {
        return kinds[entry];
    }

    long dev(int entry) {
        return fields[entry * STRIDE];
    }

    long ino(int entry) {
        return fields[entry * STRIDE + 1];
    }

    long nlink(int entry) {
        return fields[entry * STRIDE + 2];
    }

    long size(int entry) {
        return fields[entry * STRIDE + 3];
    }

    long blocks(int entry) {
        return fields[entry * STRIDE + 4];
    }

    long seconds(int entry) {
        return fields[entry * STRIDE + 5];
    }

    int nanos(int entry) {
        return (int) fields[entry * STRIDE + 6];
    }

    int mode(int entry) {
        return (int) (fields[entry * STRIDE + 6] >>> 32);
    }

    Listing child(int entry) {
        return children.get((int) fields[entry * STRIDE]);
    }

    String reason(int entry) {
        return reasons.get((int) fields[entry * STRIDE]);
    }

    int nameStart(int entry) {
        return entry == 0 ? 0 : nameEnds[entry - 1];
    }

    int nameEnd(int entry) {
        return nameEnds[entry];
    }

    byte[] names() {
        return names;
    }

    /** Lets go of the entries once the consumer is done with them. */
    void clear() {
        kinds = null;
        fields = null;
        ordinals = null;
        names = null;
        nameEnds = null;
        reasons = null;
        children.clear();
    }
}
