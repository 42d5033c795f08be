package gopl.du;

/**
 * GNU du's di_set: the (device, inode) pairs already counted, so that a hard-linked file (or,
 * with several roots, any inode) counts once. Open addressing over two long arrays: no object
 * per inode, 16 bytes a slot.
 */
final class InodeSet {
    private long[] devs = new long[1024], inos = new long[1024];
    private boolean[] used = new boolean[1024];
    private int size;

    /** Adds a pair; false if it was there already (GNU's hash_ins failing). */
    boolean add(long dev, long ino) {
        if (size * 2 >= used.length) {
            grow();
        }
        int mask = used.length - 1;
        for (int i = slot(dev, ino, mask); ; i = (i + 1) & mask) {
            if (!used[i]) {
                used[i] = true;
                devs[i] = dev;
                inos[i] = ino;
                size++;
                return true;
            }
            if (devs[i] == dev && inos[i] == ino) {
                return false;
            }
        }
    }

    private static int slot(long dev, long ino, int mask) {
        long h = (ino * 0x9E3779B97F4A7C15L) ^ (dev * 0xC2B2AE3D27D4EB4FL);
        return (int) (h ^ (h >>> 29)) & mask;
    }

    private void grow() {
        var oldDevs = devs;
        var oldInos = inos;
        var oldUsed = used;
        devs = new long[oldUsed.length * 2];
        inos = new long[oldUsed.length * 2];
        used = new boolean[oldUsed.length * 2];
        size = 0;
        for (int i = 0; i < oldUsed.length; i++) {
            if (oldUsed[i]) {
                add(oldDevs[i], oldInos[i]);
            }
        }
    }
}
