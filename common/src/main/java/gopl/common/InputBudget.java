package gopl.common;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What a line server's clients may hold together of input read but not yet made into lines:
 * the growth of their read buffers and the lines that span reads ({@link ReadBuffer}). Each
 * connection's small first buffer is not counted; everything beyond it is taken from here and
 * given back when let go of.
 *
 * <p>Without it, clients that send a long line without its newline and then stall hold the most
 * the server lets one line be, each: with 10,000 of them (160 addresses, easy with IPv6) that is
 * more than a capped heap, and the OutOfMemoryError lands in whichever thread allocates next,
 * the accept loop or the broadcaster. With it, once the budget is spent a line that spans reads
 * is dropped (or cut) instead, and read buffers stay small: the attackers lose their lines, and
 * everyone else, whose lines come whole in one read, never needs the budget.
 *
 * <p>Taking never waits: a reader that cannot have more simply keeps less.
 */
public final class InputBudget {
    /** The share of the heap that {@link #ofHeap()} gives: a sixteenth. */
    public static final int HEAP_SHARE = 16;
    /** The least a server's option may set it to: a few long lines at once. */
    public static final long LEAST = 64 * 1024;

    private final AtomicLong left;

    /** @param bytes what all clients may hold together */
    public InputBudget(long bytes) {
        this.left = new AtomicLong(bytes);
    }

    /**
     * A sixteenth of the heap ({@code -Xmx}): 7 MB of chat's and reverb's 112 MB caps.
     * The worst case at 10,000 clients, each holding all it can: about 5 KB live each (its small
     * read buffer included), 50 MB; plus this budget, counted three times in chat (a line's bytes
     * and its decoded text, up to twice as large), 21 MB; reverb adds a shout of up to 512 bytes
     * read whole per client (5 MB) and its echo memory (a third, 38 MB). Chat: 72 MB of 112;
     * reverb: 100 of 112. The launchers (bin/chat, bin/reverb) repeat it.
     */
    public static InputBudget ofHeap() {
        return new InputBudget(Runtime.getRuntime().maxMemory() / HEAP_SHARE);
    }

    /** Takes {@code bytes} if that many are left; false, taking nothing, if not. */
    public boolean take(long bytes) {
        for (long have = left.get(); have >= bytes; have = left.get()) {
            if (left.compareAndSet(have, have - bytes)) {
                return true;
            }
        }
        return false;
    }

    /** Gives back what {@link #take} took. */
    public void give(long bytes) {
        left.addAndGet(bytes);
    }

    /** What is left to take. */
    public long left() {
        return left.get();
    }
}
