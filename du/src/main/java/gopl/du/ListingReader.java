package gopl.du;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Set;

/**
 * Reads one directory into its {@link Listing}, as the Visitor of {@link Inodes#list}: opens it
 * relative to its parent, stats each entry (unless --exclude leaves it out), and sorts each
 * into a file of its own, a subdirectory slot, or the files only added up.
 */
final class ListingReader implements Inodes.Visitor {
    private static final int PATH_MAX = 4096;

    private final Listing slot;
    private final Scan.Options options;
    private final Inodes inodes;
    private final Set<Long> seenDirectories;
    private final boolean everyFile;
    private boolean everyFileHere;
    private byte[] path; // the directory's path, for --exclude
    private long rootDev;
    private int read;
    private long size, files;

    ListingReader(Listing slot, Scan.Options options, Inodes inodes, Set<Long> seenDirectories) {
        this.slot = slot;
        this.options = options;
        this.inodes = inodes;
        this.seenDirectories = seenDirectories;
        this.everyFile = options.export() || slot.depth + 1 <= options.entriesUpToLevel();
    }

    void read() {
        slot.hold(1);
        if (slot.parent == null && !readRoot()) {
            return;
        }
        rootDev = slot.root.slot.status.dev;
        everyFileHere = !options.countAll() && (options.hashEveryFile()
                || options.fileRootParents().contains(Roots.key(slot.status.dev, slot.status.ino)));
        try {
            slot.directory = slot.parent == null ? inodes.open(slot.name, options.followRoots())
                    : inodes.open(slot.parent.directory, slot.name, options.followAll());
        } catch (IOException e) {
            slot.failure = e.getMessage();
            return;
        } finally {
            if (slot.parent != null) {
                slot.parent.release();
            }
        }
        if (!options.exclusions().isEmpty()) {
            path = pathOf(slot);
        }
        try {
            inodes.list(slot.directory, options.followAll(), this);
        } catch (IOException e) {
            if (read == 0) {
                slot.failure = e.getMessage();
            } else {
                slot.readError = e.getMessage();
            }
        }
        if (read > 10_000) {
            slot.sortLikeFts(read, inodes.fileSystemType(slot.directory));
        }
        slot.hold(slot.children.size());
        slot.root.size.add(size);
        slot.root.files.add(files);
    }

    /** A root: excluded, or stat-ed; false if there is no directory to read. */
    private boolean readRoot() {
        var root = slot.root;
        if (options.exclusions().excludes(root.path, root.path.length)) {
            slot.excluded = true;
            return false;
        }
        slot.status = inodes.stat(root.path, options.followRoots());
        var st = slot.status;
        if (st.failed || !st.isDirectory()) {
            return false;
        }
        seenDirectories.add(Roots.key(st.dev, st.ino));
        return true;
    }

    @Override
    public void expect(int entries) {
        if (everyFile) {
            slot.reserve(entries); // every entry gets a place: size for them at once, not by doubling
        }
    }

    @Override
    public boolean wants(byte[] names, int at, int length) {
        if (options.followAll() && slot.childPathLength(length) >= PATH_MAX) {
            // GNU du under -L walks by whole paths, which the kernel refuses from PATH_MAX
            // bytes on: it cannot see there, and says so, and neither do we.
            slot.addFailed(names, at, length, read++, "File name too long");
            return false;
        }
        if (path == null || !excluded(names, at, length)) {
            return true;
        }
        read++;
        if (options.export()) {
            slot.addNamed(Listing.EXCLUDED, names, at, length, read - 1);
        }
        return false;
    }

    private boolean excluded(byte[] names, int at, int length) {
        var child = Inodes.child(path, Arrays.copyOfRange(names, at, at + length));
        return options.exclusions().excludes(child, child.length);
    }

    @Override
    public void entry(byte[] names, int at, int length, long dirIno, Inodes.Status st) {
        int ordinal = read++;
        if (st.failed) {
            slot.addFailed(names, at, length, ordinal, st.reason());
        } else if (options.oneFileSystem() && st.dev != rootDev) {
            if (options.export()) {
                slot.addNamed(Listing.OTHER_FS, names, at, length, ordinal);
            }
        } else if (st.isDirectory()) {
            directory(names, at, length, st, ordinal);
        } else if (everyFile || everyFileHere || !options.countAll() && st.nlink > 1) {
            slot.addFile(names, at, length, ordinal, st);
            count(st);
        } else {
            slot.plainSize += measure(st);
            slot.plainCount++;
            if (st.seconds > slot.plainSeconds || st.seconds == slot.plainSeconds && st.nanos > slot.plainNanos) {
                slot.plainSeconds = st.seconds;
                slot.plainNanos = st.nanos;
            }
            count(st);
        }
    }

    private void directory(byte[] names, int at, int length, Inodes.Status st, int ordinal) {
        if (isAncestor(st)) {
            slot.addNamed(Listing.CYCLE, names, at, length, ordinal);
            return;
        }
        boolean lazy = options.dedupeDirectories() && !seenDirectories.add(Roots.key(st.dev, st.ino));
        var name = Arrays.copyOfRange(names, at, at + length);
        var child = new Listing(slot, slot.root, name, st.copy(), lazy);
        slot.addDirectory(child, ordinal);
        size += measure(st);
    }

    private boolean isAncestor(Inodes.Status st) {
        for (var up = slot; up != null; up = up.parent) {
            if (up.status.ino == st.ino && up.status.dev == st.dev) {
                return true;
            }
        }
        return false;
    }

    private void count(Inodes.Status st) {
        size += measure(st);
        files++;
    }

    private long measure(Inodes.Status st) {
        return options.apparent() ? Math.max(0, st.size) : st.blocks * 512;
    }

    private static byte[] pathOf(Listing listing) {
        var names = new ArrayDeque<byte[]>();
        for (var up = listing; up.parent != null; up = up.parent) {
            names.push(up.name);
        }
        var path = listing.root.path;
        for (var name : names) {
            path = Inodes.child(path, name);
        }
        return path;
    }
}
