package gopl.du;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * fts_read over the scan's listings: one root's entries in GNU du's order, a directory's
 * contents between its two visits, paths built as fts builds them. The consumer thread runs
 * this; where it reaches a directory no walker has read yet, it reads it itself.
 */
final class ListingWalk implements Walk {
    /** A directory being walked: its listing, its path's length, and the next entry. */
    private static final class Frame {
        final Listing listing;
        final int pathLength;
        int next;

        Frame(Listing listing, int pathLength) {
            this.listing = listing;
            this.pathLength = pathLength;
        }
    }

    private final Scan scan;
    private final Listing root;
    /** Whether a directory is read before it is returned, so that its failure shows at once (export). */
    private final boolean readFirst;
    private final Runnable beforeWait;
    private final Entry entry = new Entry();
    private final List<Frame> stack = new ArrayList<>();
    private Listing entering; // returned as DIRECTORY, not yet entered
    private boolean started, plainDue;

    /** {@code beforeWait} runs before the walk may wait for (or itself read) a directory. */
    ListingWalk(Scan scan, Listing root, boolean readFirst, Runnable beforeWait) {
        this.scan = scan;
        this.root = root;
        this.readFirst = readFirst;
        this.beforeWait = beforeWait;
    }

    @Override
    public Entry next() throws InterruptedException {
        if (!started) {
            started = true;
            return rootEntry();
        }
        if (entering != null) {
            enter(entering);
            entering = null;
        }
        if (stack.isEmpty()) {
            return null;
        }
        var frame = stack.getLast();
        var listing = frame.listing;
        if (plainDue) {
            plainDue = false;
            if (listing.plainCount > 0) {
                return plain(frame);
            }
        }
        if (frame.next < listing.count) {
            return entry(frame, frame.next++);
        }
        stack.removeLast();
        entry.type = Type.POST_DIRECTORY;
        entry.level = stack.size();
        entry.pathLength = frame.pathLength;
        entry.nameStart = nameStart(frame.pathLength, listing);
        copy(listing.status);
        entry.failure = listing.failure;
        entry.readError = listing.readError;
        scan.consumed(listing);
        return entry;
    }

    @Override
    public void skip() {
        if (entering != null) {
            var skipped = entering;
            entering = null;
            try {
                scan.drop(skipped);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Entry rootEntry() throws InterruptedException {
        beforeWait.run();
        scan.take(root);
        entry.level = 0;
        entry.pathLength = 0;
        append(root.root.path, 0, root.root.path.length);
        entry.nameStart = 0;
        entry.failure = null;
        entry.readError = null;
        if (root.excluded) {
            entry.type = Type.EXCLUDED;
            entering = null;
            return entry;
        }
        copy(root.status);
        if (root.status.failed) {
            entry.type = Type.FAILED;
            entry.failure = root.status.reason();
        } else if (root.status.isDirectory()) {
            entry.type = Type.DIRECTORY;
            entry.failure = root.failure;
            entering = root;
        } else {
            entry.type = Type.FILE;
        }
        return entry;
    }

    /** Starts walking a directory's contents: its listing, read by now (or read here). */
    private void enter(Listing listing) throws InterruptedException {
        if (listing != root) {
            if (listing.state() != Listing.LISTED) {
                beforeWait.run();
            }
            scan.take(listing);
        }
        stack.add(new Frame(listing, entry.pathLength));
        plainDue = true;
    }

    private Entry plain(Frame frame) {
        var listing = frame.listing;
        entry.type = Type.PLAIN;
        entry.level = stack.size();
        entry.pathLength = frame.pathLength;
        entry.plainSize = listing.plainSize;
        entry.plainCount = listing.plainCount;
        entry.plainSeconds = listing.plainSeconds;
        entry.plainNanos = listing.plainNanos;
        return entry;
    }

    private Entry entry(Frame frame, int i) throws InterruptedException {
        var listing = frame.listing;
        entry.level = stack.size();
        entry.pathLength = frame.pathLength;
        entry.failure = null;
        entry.readError = null;
        if (entry.pathLength > 0 && entry.path[entry.pathLength - 1] != '/') {
            append(new byte[] {'/'}, 0, 1);
        }
        entry.nameStart = entry.pathLength;
        if (listing.kind(i) == Listing.DIRECTORY) {
            var name = listing.child(i).name;
            append(name, 0, name.length);
        } else {
            append(listing.names(), listing.nameStart(i), listing.nameEnd(i) - listing.nameStart(i));
        }
        switch (listing.kind(i)) {
            case Listing.FILE -> {
                entry.type = Type.FILE;
                var st = entry.status;
                st.failed = false;
                st.dev = listing.dev(i);
                st.ino = listing.ino(i);
                st.nlink = listing.nlink(i);
                st.size = listing.size(i);
                st.blocks = listing.blocks(i);
                st.seconds = listing.seconds(i);
                st.nanos = listing.nanos(i);
                st.mode = listing.mode(i);
            }
            case Listing.DIRECTORY -> {
                var child = listing.child(i);
                entry.type = Type.DIRECTORY;
                copy(child.status);
                entering = child;
                if (readFirst) {
                    scan.take(child);
                    entry.failure = child.failure;
                }
            }
            case Listing.FAILED -> {
                entry.type = Type.FAILED;
                entry.failure = listing.reason(i);
            }
            case Listing.CYCLE -> entry.type = Type.CYCLE;
            case Listing.EXCLUDED -> entry.type = Type.EXCLUDED;
            default -> entry.type = Type.OTHER_FS;
        }
        return entry;
    }

    private void copy(Inodes.Status st) {
        var to = entry.status;
        to.failed = st.failed;
        to.dev = st.dev;
        to.ino = st.ino;
        to.nlink = st.nlink;
        to.size = st.size;
        to.blocks = st.blocks;
        to.seconds = st.seconds;
        to.nanos = st.nanos;
        to.mode = st.mode;
        to.errno = st.errno;
        to.reason = st.reason;
    }

    private int nameStart(int pathLength, Listing listing) {
        return listing == root ? 0 : pathLength - listing.name.length;
    }

    private void append(byte[] bytes, int at, int length) {
        if (entry.pathLength + length > entry.path.length) {
            entry.path = Arrays.copyOf(entry.path, Math.max(entry.path.length * 2, entry.pathLength + length));
        }
        System.arraycopy(bytes, at, entry.path, entry.pathLength, length);
        entry.pathLength += length;
    }
}
