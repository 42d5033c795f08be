package gopl.du;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

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
    /** Fields per file entry: dev, ino, nlink, size, blocks, seconds, nanos | mode << 32. */
    private static final int STRIDE = 7;
    private static final VarHandle STATE, HOLDS, NEXT_CHILD;

    static {
        try {
            var lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(Listing.class, "state", int.class);
            HOLDS = lookup.findVarHandle(Listing.class, "holds", int.class);
            NEXT_CHILD = lookup.findVarHandle(Listing.class, "nextChild", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

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

    private volatile int state = UNCLAIMED;
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
    private volatile int holds;

    // What the walker read: set before LISTED, read by the consumer after it.
    /** Why the directory could not be read at all (GNU's FTS_DNR), or null. */
    String failure;
    /** Why reading stopped after some entries (GNU's FTS_ERR), or null. */
    String readError;
    int count;
    // Per entry: its kind, where its data is (a file's fields, a child, a reason), its place in the
    // directory (for fts's sort); names of all but subdirectories (whose names their listings hold).
    private byte[] kinds;
    private int[] refs, ordinals, nameEnds;
    private byte[] names;
    private int namesLength, files;
    private long[] fields;
    /**
     * The subdirectories' slots, appended to only before the listing is published. clear() puts
     * an empty list in its place rather than emptying it, because helpers may still be reading
     * it: each of them reads this field once and goes through the list it got.
     */
    List<Listing> children = new ArrayList<>();
    private List<String> reasons;
    /** The files added up instead of listed: their size as counted, count, latest time. */
    long plainSize, plainCount, plainSeconds = Long.MIN_VALUE;
    int plainNanos = -1;
    /** Claimed in order by helpers: the next subdirectory slot to look at. */
    private volatile int nextChild;

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
        return STATE.compareAndSet(this, UNCLAIMED, CLAIMED);
    }

    int state() {
        return state;
    }

    /** Marks the slot read (or given up) and wakes the consumer if it waits for it. */
    void publish(int finalState) {
        synchronized (this) {
            state = finalState;
            notifyAll();
        }
    }

    /** Waits until a walker has read (or given up) this directory. */
    int awaitListed() throws InterruptedException {
        synchronized (this) {
            while (state == CLAIMED) {
                wait();
            }
        }
        return state;
    }

    /** Keeps the open directory for {@code n} more subdirectories to be opened relative to it. */
    void hold(int n) {
        HOLDS.getAndAdd(this, n);
    }

    /** One use of the open directory is over; the last closes it. */
    void release() {
        if ((int) HOLDS.getAndAdd(this, -1) == 1 && directory != null) {
            directory.close();
        }
    }

    int nextChild() {
        return nextChild;
    }

    void nextChild(int next) {
        NEXT_CHILD.setVolatile(this, next);
    }

    // Appending, by the walker that claimed the slot.

    /**
     * Makes room for {@code n} more entries, all of them files with names of about 24 bytes: a
     * hint from each read of the directory, so that a big one grows by at least half each time.
     */
    void reserve(int n) {
        int entries = count + n;
        if (kinds == null || kinds.length < entries) {
            int length = kinds == null ? entries : Math.max(entries, kinds.length + kinds.length / 2);
            kinds = kinds == null ? new byte[length] : Arrays.copyOf(kinds, length);
            refs = refs == null ? new int[length] : Arrays.copyOf(refs, length);
            ordinals = ordinals == null ? new int[length] : Arrays.copyOf(ordinals, length);
            nameEnds = nameEnds == null ? new int[length] : Arrays.copyOf(nameEnds, length);
        }
        names = reserved(names, namesLength + n * 24);
        if (fields == null || fields.length < (files + n) * STRIDE) {
            int length = Math.max((files + n) * STRIDE, fields == null ? 0 : fields.length + fields.length / 2);
            fields = fields == null ? new long[length] : Arrays.copyOf(fields, length);
        }
    }

    private static byte[] reserved(byte[] bytes, int needed) {
        if (bytes == null) {
            return new byte[needed];
        }
        return bytes.length >= needed ? bytes : Arrays.copyOf(bytes, Math.max(needed, bytes.length + bytes.length / 2));
    }

    void addFile(byte[] nameBytes, int at, int length, int ordinal, Inodes.Status st) {
        if (fields == null || (files + 1) * STRIDE > fields.length) {
            fields = fields == null ? new long[4 * STRIDE]
                    : Arrays.copyOf(fields, Math.max(fields.length * 2, 4 * STRIDE)); // 0 after reserve(0)
        }
        int f = files * STRIDE;
        fields[f] = st.dev;
        fields[f + 1] = st.ino;
        fields[f + 2] = st.nlink;
        fields[f + 3] = st.size;
        fields[f + 4] = st.blocks;
        fields[f + 5] = st.seconds;
        fields[f + 6] = (st.nanos & 0xffffffffL) | (long) st.mode << 32;
        add(FILE, files++, ordinal, nameBytes, at, length);
    }

    void addDirectory(Listing child, int ordinal) {
        add(DIRECTORY, children.size(), ordinal, null, 0, 0);
        children.add(child);
    }

    void addFailed(byte[] nameBytes, int at, int length, int ordinal, String reason) {
        if (reasons == null) {
            reasons = new ArrayList<>();
        }
        add(FAILED, reasons.size(), ordinal, nameBytes, at, length);
        reasons.add(reason);
    }

    /** An entry known by its name only: EXCLUDED, OTHER_FS or CYCLE. */
    void addNamed(byte kind, byte[] nameBytes, int at, int length, int ordinal) {
        add(kind, 0, ordinal, nameBytes, at, length);
    }

    private void add(byte kind, int ref, int ordinal, byte[] nameBytes, int at, int length) {
        if (kinds == null || count == kinds.length) {
            grow();
        }
        kinds[count] = kind;
        refs[count] = ref;
        ordinals[count] = ordinal;
        if (namesLength + length > names.length) {
            names = Arrays.copyOf(names, Math.max(names.length * 2, namesLength + length));
        }
        if (length > 0) {
            System.arraycopy(nameBytes, at, names, namesLength, length);
        }
        namesLength += length;
        nameEnds[count++] = namesLength;
    }

    private void grow() {
        int n = kinds == null ? 8 : Math.max(8, kinds.length * 2);
        kinds = kinds == null ? new byte[n] : Arrays.copyOf(kinds, n);
        refs = refs == null ? new int[n] : Arrays.copyOf(refs, n);
        ordinals = ordinals == null ? new int[n] : Arrays.copyOf(ordinals, n);
        nameEnds = nameEnds == null ? new int[n] : Arrays.copyOf(nameEnds, n);
        if (names == null) {
            names = new byte[64];
        }
    }

    /** Roughly how many bytes this listing holds, for the walkers' memory budget. */
    long footprint() {
        return 200L + (kinds == null ? 0 : kinds.length * 13L + names.length)
                + (fields == null ? 0 : fields.length * 8L) + children.size() * 300L;
    }

    /**
     * fts's order for a big directory: with more than 10,000 entries in one read of up to
     * 100,000, and a file system where that pays (not tmpfs, NFS or CIFS), fts sorts them by
     * inode number (d_ino, which is the inode but for mount points).
     */
    void sortLikeFts(int entriesRead, long fileSystemType) {
        if (count == 0 || entriesRead <= 10_000 || fileSystemType == 0x01021994L || fileSystemType == 0x6969L
                || fileSystemType == 0xFF534D42L) {
            return;
        }
        var order = new Integer[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> { // stable, as glibc's merge sort is
            int batchA = ordinals[a] / 100_000, batchB = ordinals[b] / 100_000;
            if (batchA != batchB) {
                return Integer.compare(batchA, batchB);
            }
            boolean sorted = Math.min(100_000, entriesRead - batchA * 100_000) > 10_000;
            return sorted ? Long.compareUnsigned(inode(a), inode(b)) : 0;
        });
        permute(order);
    }

    private long inode(int entry) {
        return switch (kinds[entry]) {
            case FILE -> ino(entry);
            case DIRECTORY -> child(entry).status.ino;
            default -> 0; // excluded entries were not stat-ed: rare in a sorted directory, and never printed
        };
    }

    private void permute(Integer[] order) {
        var oldKinds = kinds.clone();
        var oldRefs = refs.clone();
        var oldOrdinals = ordinals.clone();
        var oldNames = names.clone();
        var oldEnds = nameEnds.clone();
        int length = 0;
        for (int i = 0; i < count; i++) {
            int from = order[i];
            kinds[i] = oldKinds[from];
            refs[i] = oldRefs[from];
            ordinals[i] = oldOrdinals[from];
            int start = from == 0 ? 0 : oldEnds[from - 1];
            System.arraycopy(oldNames, start, names, length, oldEnds[from] - start);
            length += oldEnds[from] - start;
            nameEnds[i] = length;
        }
    }

    // Reading, by the consumer.

    byte kind(int entry) {
        return kinds[entry];
    }

    private int field(int entry, int field) {
        return refs[entry] * STRIDE + field;
    }

    long dev(int entry) {
        return fields[field(entry, 0)];
    }

    long ino(int entry) {
        return fields[field(entry, 1)];
    }

    long nlink(int entry) {
        return fields[field(entry, 2)];
    }

    long size(int entry) {
        return fields[field(entry, 3)];
    }

    long blocks(int entry) {
        return fields[field(entry, 4)];
    }

    long seconds(int entry) {
        return fields[field(entry, 5)];
    }

    int nanos(int entry) {
        return (int) fields[field(entry, 6)];
    }

    int mode(int entry) {
        return (int) (fields[field(entry, 6)] >>> 32);
    }

    Listing child(int entry) {
        return children.get(refs[entry]);
    }

    String reason(int entry) {
        return reasons.get(refs[entry]);
    }

    /** Where an entry's name is: {@code names()[nameStart, nameEnd)}, or its child's name for a subdirectory. */
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
        refs = null;
        fields = null;
        ordinals = null;
        names = null;
        nameEnds = null;
        reasons = null;
        children = List.of();
    }
}
