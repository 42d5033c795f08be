package gopl.du;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TaskGroupTest {
    /** Spawns a binary tree of tasks of the given depth, each counting itself. */
    private static void tree(TaskGroup group, AtomicInteger count, int depth) {
        count.incrementAndGet();
        if (depth > 0) {
            group.spawn(() -> tree(group, count, depth - 1));
            group.spawn(() -> tree(group, count, depth - 1));
        }
    }

    @Test
    void awaitWaitsForTasksSpawnedByTasks() throws Exception {
        var count = new AtomicInteger();
        try (var group = new TaskGroup()) {
            group.spawn(() -> tree(group, count, 12));
            group.await();
        }
        assertThat(count).hasValue((1 << 13) - 1);
    }

    @Test
    void spawnSaysTheTaskWillRun() throws Exception {
        try (var group = new TaskGroup()) {
            assertThat(group.spawn(() -> {})).isTrue();
            group.await();
        }
    }

    @Test
    void awaitWithNoTasksReturnsAtOnce() {
        try (var group = new TaskGroup()) {
            // Fails if await waits for a task that was never spawned (the owner's own count).
            assertTimeoutPreemptively(Duration.ofSeconds(10), group::await);
            assertThat(group.isCancelled()).isFalse();
        }
    }

    @Test
    void firstFailureIsReported() {
        try (var group = new TaskGroup()) {
            group.spawn(() -> {
                throw new IllegalStateException("broken");
            });
            assertThatThrownBy(group::await).isInstanceOf(ExecutionException.class).hasRootCauseMessage("broken");
        }
    }

    @Test
    void cancelInterruptsBlockedTasksAndAwaitReturns() throws Exception {
        var interrupted = new AtomicInteger();
        var started = new CountDownLatch(100);
        try (var group = new TaskGroup()) {
            for (int i = 0; i < 100; i++) {
                group.spawn(() -> {
                    started.countDown();
                    try {
                        Thread.sleep(60_000);
                    } catch (InterruptedException e) {
                        interrupted.incrementAndGet();
                    }
                });
            }
            started.await();
            long start = System.nanoTime();
            group.cancel();
            assertThat(group.spawn(() -> Thread.sleep(60_000))).as("refused after cancel").isFalse();
            group.await();
            assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
        }
        assertThat(interrupted).hasValue(100);
    }
}
