package gopl.reverb;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.NANOSECONDS;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/**
 * The echoes still sounding for one client: what Go's reverb counts with a {@code sync.WaitGroup}.
 * Each echo is a task on a virtual-thread-per-task executor, so {@code wg.Add(1); go echo(...)} is
 * {@link #start}, and {@code wg.Wait()} is waiting for the executor to terminate
 * ({@link #awaitAll}). Unlike a WaitGroup, {@link #close()} can also cancel them, interrupting their
 * sleeps and writes, when the client goes idle or vanishes.
 *
 * <p>A semaphore caps what one client may have in flight (Go's counting-semaphore channel), so
 * that a client pouring in shouts is slowed down instead of filling the server with threads; a
 * second one, shared by every client, caps what they hold together. An echo is charged for the
 * bytes it really holds until it is out (its three lines), plus a rough cost for its thread.
 */
final class Echoes implements AutoCloseable {
    /** Bytes of echo lines (plus a rough thread cost each) that one client may have pending at once. */
    static final int BUDGET = 1 << 20;
    private static final int THREAD_COST = 1024;
    /** The most an echo holds per byte shouted: the byte, and up to 3 in each case. */
    static final int MOST_PER_BYTE = 7;

    private final ExecutorService running = Executors.newVirtualThreadPerTaskExecutor();
    private final Semaphore budget = new Semaphore(BUDGET);
    private final Semaphore serverBudget;

    /** @param serverBudget bytes that every client's pending echoes may hold together, shared */
    Echoes(Semaphore serverBudget) {
        this.serverBudget = serverBudget;
    }

    /**
     * {@code go echo(...)} with {@code wg.Add(1)}: runs the echo of a shout on its own virtual
     * thread, first waiting while the client, or all clients, have too much in flight. Room for
     * the most the echo can hold is taken before its lines are made, and what they do not need is
     * given back, so that the budgets hold for the echo being made too.
     *
     * @param echo says the lines it is given ({@link #lines})
     * @param patience how long to wait for earlier echoes to make room; null for ever
     * @return false if no room was made in time: the client is not reading its echoes
     */
    boolean start(byte[] shout, Consumer<List<byte[]>> echo, Duration patience) throws InterruptedException {
        int reserved = cost(MOST_PER_BYTE * (long) shout.length);
        long deadline = patience == null ? 0 : System.nanoTime() + patience.toNanos();
        if (!acquire(budget, reserved, deadline)) {
            return false;
        }
        if (!acquire(serverBudget, reserved, deadline)) {
            budget.release(reserved);
            return false;
        }
        var lines = lines(shout);
        int cost = cost(lines.stream().mapToLong(line -> line.length).sum());
        release(reserved - cost);
        running.execute(() -> {
            try {
                echo.accept(lines);
            } finally {
                release(cost);
            }
        });
        return true;
    }

    /**
     * The echo's lines: the shout in upper case, as it was, in lower case. Each byte of the shout
     * is at most 3 in each case ({@link #MOST_PER_BYTE}): an invalid byte decodes to U+FFFD, 3
     * bytes in UTF-8, and no character's case mapping takes more than 3 bytes per byte of it.
     */
    static List<byte[]> lines(byte[] shout) {
        var text = new String(shout, UTF_8);
        return List.of(text.toUpperCase(Locale.ROOT).getBytes(UTF_8), shout, text.toLowerCase(Locale.ROOT).getBytes(UTF_8));
    }

    private static int cost(long held) {
        return (int) Math.min(BUDGET, held + THREAD_COST);
    }

    private void release(int permits) {
        serverBudget.release(permits);
        budget.release(permits);
    }

    /** Takes {@code cost} permits, waiting until the deadline ({@link System#nanoTime()}; 0: for ever). */
    private static boolean acquire(Semaphore semaphore, int cost, long deadline) throws InterruptedException {
        if (deadline == 0) {
            semaphore.acquire(cost);
            return true;
        }
        return semaphore.tryAcquire(cost, deadline - System.nanoTime(), NANOSECONDS);
    }

    /**
     * {@code wg.Wait()}: takes no more echoes and waits for those running to finish.
     *
     * @param patience how long they may take; null for ever
     * @return false if some were still running when patience ran out
     */
    boolean awaitAll(Duration patience) throws InterruptedException {
        running.shutdown();
        return running.awaitTermination(patience == null ? Long.MAX_VALUE : patience.toNanos(), NANOSECONDS);
    }

    /** Cancels the echoes still running and waits until their threads have ended. */
    @Override
    public void close() {
        running.shutdownNow();
        running.close();
    }
}
