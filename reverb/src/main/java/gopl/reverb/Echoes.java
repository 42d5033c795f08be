package gopl.reverb;

import static java.util.concurrent.TimeUnit.NANOSECONDS;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * The echoes still sounding for one client: what Go's reverb counts with a {@code sync.WaitGroup}.
 * Each echo is a task on a virtual-thread-per-task executor, so {@code wg.Add(1); go echo(...)} is
 * {@link #start}, and {@code wg.Wait()} is waiting for the executor to terminate
 * ({@link #awaitAll}). Unlike a WaitGroup, {@link #close()} can also cancel them, interrupting their
 * sleeps and writes, when the client goes idle or vanishes.
 *
 * <p>A semaphore caps what one client may have in flight (Go's counting-semaphore channel), so
 * that a client pouring in shouts is slowed down instead of filling the server with threads.
 */
final class Echoes implements AutoCloseable {
    /** Bytes of shouts (plus a rough thread cost each) that one client may have echoing at once. */
    static final int BUDGET = 1 << 20;
    private static final int THREAD_COST = 1024;

    private final ExecutorService running = Executors.newVirtualThreadPerTaskExecutor();
    private final Semaphore budget = new Semaphore(BUDGET);

    /**
     * {@code go echo(...)} with {@code wg.Add(1)}: runs the echo of a shout of {@code size} bytes
     * on its own virtual thread, first waiting while the client has too much in flight.
     *
     * @param patience how long to wait for earlier echoes to make room; null for ever
     * @return false if no room was made in time: the client is not reading its echoes
     */
    boolean start(Runnable echo, int size, Duration patience) throws InterruptedException {
        int cost = Math.min(BUDGET, size + THREAD_COST);
        if (patience == null) {
            budget.acquire(cost);
        } else if (!budget.tryAcquire(cost, patience.toNanos(), NANOSECONDS)) {
            return false;
        }
        running.execute(() -> {
            try {
                echo.run();
            } finally {
                budget.release(cost);
            }
        });
        return true;
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
