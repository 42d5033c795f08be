package gopl.common.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waiting in tests for a condition that another thread or process brings about (a count of
 * connections, a file appearing) when there is nothing to join or take: a bounded poll of the
 * condition itself, never a fixed sleep.
 */
public final class Eventually {
    private static final long POLL_MILLIS = 10;

    private Eventually() {}

    /**
     * Returns as soon as {@code condition} holds; fails the test with {@code what} if it still does
     * not after {@code timeout}.
     */
    public static void eventually(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + timeout.toMillis() + " ms: " + what);
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for: " + what, e);
            }
        }
    }

    /** {@link #eventually(Duration, String, BooleanSupplier)} without a description. */
    public static void eventually(Duration timeout, BooleanSupplier condition) {
        eventually(timeout, "the condition", condition);
    }
}
