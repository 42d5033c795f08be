package gopl.fetch;

import gopl.common.Http;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The book's fetchall (section 1.6): fetch every URL concurrently and print
 * {@code SECONDS BYTES URL} for each as it completes, then the total time. Unlike the book it
 * bounds the requests in flight (a token semaphore, so a list of a million URLs is read as it is
 * fetched) and gives each URL a deadline for the whole exchange, body included: a server that
 * never answers costs the timeout, and its connection is closed when the future is cancelled.
 */
final class FetchAll {
    private final HttpClient client;
    private final Duration timeout;
    private final Semaphore tokens;
    private final PrintWriter out;
    private final PrintWriter err;
    private final AtomicInteger failures = new AtomicInteger();

    FetchAll(HttpClient client, Duration timeout, int concurrency, PrintWriter out, PrintWriter err) {
        this.client = client;
        this.timeout = timeout;
        this.tokens = new Semaphore(concurrency);
        this.out = out;
        this.err = err;
    }

    /** Fetches every URL and prints the total elapsed; returns how many failed. */
    int fetchAll(Iterator<URI> uris) throws InterruptedException {
        long start = System.nanoTime();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            while (uris.hasNext()) {
                var uri = uris.next();
                tokens.acquire(); // before starting the task, so we read no further ahead than we fetch
                executor.execute(() -> {
                    try {
                        fetch(uri);
                    } finally {
                        tokens.release();
                    }
                });
            }
        }
        out.printf(Locale.ROOT, "%.2fs elapsed%n", seconds(start));
        return failures.get();
    }

    /** The book's fetch(url, ch): one line on stdout when done, or one on stderr when not. */
    private void fetch(URI uri) {
        long start = System.nanoTime();
        var bytes = new AtomicLong();
        var future = client.sendAsync(FetchCommand.request(uri, timeout),
                BodyHandlers.ofByteArrayConsumer(chunk -> chunk.ifPresent(b -> bytes.addAndGet(b.length))));
        try {
            var response = future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (response.statusCode() / 100 != 2) {
                fail(uri, Http.statusText(response.statusCode()), start);
                return;
            }
            out.printf(Locale.ROOT, "%.2fs %7d %s%n", seconds(start), bytes.get(), uri);
        } catch (TimeoutException e) {
            fail(uri, "timed out after " + gopl.common.GoDuration.format(timeout), start);
        } catch (ExecutionException e) {
            fail(uri, FetchCommand.describe(e.getCause(), timeout), start);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            future.cancel(true); // a no-op when done; otherwise aborts the exchange and closes the connection
        }
    }

    private void fail(URI uri, String message, long start) {
        failures.incrementAndGet();
        err.printf(Locale.ROOT, "fetch: %s: %s (%.2fs)%n", uri, message, seconds(start));
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
