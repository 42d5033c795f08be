package gopl.du;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Go's {@code go f()} plus a {@code sync.WaitGroup}, for work that spawns more work (a directory
 * walk, a crawl): a virtual thread per task, and {@link #await()} returns once every task,
 * including those spawned by other tasks, has finished. An executor's {@code close()} cannot do
 * this, because it stops accepting new tasks first. {@link #cancel()} interrupts them all.
 */
final class TaskGroup implements AutoCloseable {
    @FunctionalInterface
    public interface Task {
        void run() throws Exception;
    }

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    // Starts at 1 for the owner, so tasks finishing before the owner has spawned them all
    // cannot bring it to zero; await() gives that 1 back.
    private final AtomicLong pending = new AtomicLong(1);
    private final CountDownLatch done = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    /**
     * Runs a task on its own virtual thread; may be called from inside other tasks.
     *
     * @return false if the group was cancelled and the task will never run, so that a caller who
     *     handed it resources (an open directory, a permit) can release them
     */
    public boolean spawn(Task task) {
        pending.incrementAndGet();
        try {
            executor.execute(() -> {
                try {
                    task.run();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    finish();
                }
            });
            return true;
        } catch (RuntimeException rejected) { // cancelled: the task will never run
            finish();
            return false;
        }
    }

    private void finish() {
        if (pending.decrementAndGet() == 0) {
            done.countDown();
        }
    }

    /**
     * Waits until every task has finished. Call once, from the thread that owns the group.
     *
     * @throws ExecutionException wrapping the first exception a task threw
     */
    public void await() throws InterruptedException, ExecutionException {
        finish();
        done.await();
        var first = failure.get();
        if (first != null) {
            throw new ExecutionException(first);
        }
    }

    /** Interrupts every running task and runs no more; {@link #await()} then returns promptly. */
    public void cancel() {
        executor.shutdownNow();
    }

    public boolean isCancelled() {
        return executor.isShutdown();
    }

    /** Cancels whatever still runs. */
    @Override
    public void close() {
        executor.shutdownNow();
    }
}
