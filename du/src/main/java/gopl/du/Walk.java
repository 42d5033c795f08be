package gopl.du;

/**
 * One root's entries in fts's order, as GNU du's process_file receives them from fts_read: a
 * directory before its contents ({@link Type#DIRECTORY}) and again after them
 * ({@link Type#POST_DIRECTORY}), entries in the order the file system lists them. A walk over
 * the parallel scan ({@link ListingWalk}) and one over an ncdu export ({@link NcduImport}) both
 * give this, so {@link Tally} counts either the same way.
 */
interface Walk {
    enum Type {
        /** A directory before its contents: it may be skipped. */
        DIRECTORY,
        /** A directory after its contents; {@code failure} if it could not be read (FTS_DNR). */
        POST_DIRECTORY,
        /** Anything but a directory. */
        FILE,
        /** An entry that could not be stat-ed (FTS_NS); {@code failure} says why, if anything does. */
        FAILED,
        /** A directory that is its own ancestor (a bind mount, or a symlink under -L): never entered. */
        CYCLE,
        /** Files counted together, not one by one: none needs a line or a hard-link check. */
        PLAIN,
        /** Left out by --exclude (only walks that export report it). */
        EXCLUDED,
        /** On another file system under -x (only walks that export report it). */
        OTHER_FS
    }

    /**
     * An entry, reused from one {@link #next()} to the next. {@code path[0, pathLength)} is its
     * path as du prints it, and {@code path[nameStart, pathLength)} its name.
     */
    final class Entry {
        Type type;
        int level;
        byte[] path = new byte[256];
        int pathLength, nameStart;
        final Inodes.Status status = new Inodes.Status();
        /** Why a directory could not be read, or an entry stat-ed; why reading stopped part way (readError). */
        String failure, readError;
        /** For PLAIN: the files' size as counted, number, and latest time. */
        long plainSize, plainCount, plainSeconds;
        int plainNanos;
    }

    /** The next entry, or null once the root is done. */
    Entry next() throws InterruptedException;

    /** Skips the directory just returned: neither its contents nor its POST_DIRECTORY will come. */
    void skip();
}
