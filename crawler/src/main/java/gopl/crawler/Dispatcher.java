package gopl.crawler;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Starts the requests: the book's token semaphore over the {@link Frontier}. A virtual thread is
 * started for a URL only when it takes a token and its host may take a request, so threads are at
 * most the requests in flight, however many URLs wait. When the only URLs left wait out a host's
 * delay, a timer thread dispatches again when the first of them may go.
 */
final class Dispatcher {
    private final Semaphore tokens;
    private final Frontier frontier;
    private final ExecutorService workers;
    private final ExecutorService timers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("crawl-timer-", 1).factory());
    private final Consumer<URI> visit;
    private final Consumer<URI> rejected;
    private final BooleanSupplier cancelled;
    private long timerAt; // when the armed timer fires, 0 for none; under this

    /**
     * @param visit runs on a worker for a URL handed out; it must call {@link #done} once its request is over
     * @param rejected called for a URL handed out after the workers were shut down (cancelled)
     */
    Dispatcher(int concurrency, Frontier frontier, ExecutorService workers, Consumer<URI> visit, Consumer<URI> rejected,
            BooleanSupplier cancelled) {
        this.tokens = new Semaphore(concurrency);
        this.frontier = frontier;
        this.workers = workers;
        this.visit = visit;
        this.rejected = rejected;
        this.cancelled = cancelled;
    }

    void add(URI uri) {
        frontier.add(uri);
    }

    /** Starts a worker for each waiting URL while tokens are free and hosts may take one. */
    void dispatch() {
        while (!cancelled.getAsBoolean() && tokens.tryAcquire()) {
            var next = frontier.poll();
            if (next == null) {
                tokens.release();
                if (frontier.hasReady()) {
                    continue; // a URL came in while we held the token: its dispatch may have found none free
                }
                armTimer();
                return;
            }
            try {
                workers.execute(() -> visit.accept(next));
            } catch (RejectedExecutionException e) {
                done(next); // cancelled
                rejected.accept(next);
            }
        }
    }

    /** A request handed out is over: its token and its host's turn come back. */
    void done(URI uri) {
        tokens.release();
        frontier.done(uri);
    }

    /** Every URL still waiting, taken out (the quota is spent). */
    List<URI> drain() {
        return frontier.drain();
    }

    /** Stops the timers: no dispatch after this. */
    void close() {
        timers.shutdownNow();
    }

    private void armTimer() {
        long wait = frontier.nextStart();
        if (wait < 0) {
            return;
        }
        long at = System.nanoTime() + wait;
        synchronized (this) {
            if (timerAt != 0 && timerAt - at <= 0) {
                return; // one fires sooner, and will arm the next
            }
            timerAt = at;
        }
        try {
            timers.execute(() -> {
                try {
                    Thread.sleep(Duration.ofNanos(wait));
                } catch (InterruptedException e) {
                    return; // the crawl is over
                }
                synchronized (this) {
                    if (timerAt == at) {
                        timerAt = 0;
                    }
                }
                dispatch();
            });
        } catch (RejectedExecutionException e) {
            // Closed: the crawl is over.
        }
    }
}
