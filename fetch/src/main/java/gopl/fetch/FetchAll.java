package gopl.fetch;

import gopl.common.Http;
import gopl.common.IoErrors;
import gopl.common.http.Connections;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The book's fetchall (section 1.6): fetch every URL concurrently and print
 * {@code SECONDS BYTES URL} for each as it completes, then the total time. Unlike the book it
 * bounds the requests in flight (a token semaphore, so a list of a million URLs is read as it is
 * fetched) and gives each URL a deadline for the whole exchange, body included: a server that
 * never answers costs the timeout, and its connection is then closed. Connections are kept
 * alive for the next URL of the same site.
 */
final class FetchAll {
    private final Duration timeout;
    private final Requests requests;
    private final Semaphore tokens;
    private final PrintWriter out;
    private final Consumer<String> errors;
    private final Path saveTo; // -O: each body into this directory under its remote name; null: not kept
    private final Map<Path, URI> saved = new ConcurrentHashMap<>();
    private final long maxSize;
    private final boolean decode;
    private final AtomicInteger failures = new AtomicInteger();

    FetchAll(Requests requests, int concurrency, PrintWriter out, Consumer<String> errors, Path saveTo, long maxSize, boolean decode) {
        this.maxSize = maxSize;
        this.decode = decode;
        this.timeout = requests.timeout();
        this.requests = requests;
        this.tokens = new Semaphore(concurrency);
        this.out = out;
        this.errors = errors;
        this.saveTo = saveTo;
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
        long deadline = start + timeout.toNanos();
        try (var file = saveTo == null ? null : target(uri); var response = requests.send(uri, () -> deadline)) {
            if (response.status() / 100 != 2) {
                fail(uri, Http.statusText(response.status()), start);
                return;
            }
            long bytes = Bodies.copy(response, file == null ? OutputStream.nullOutputStream() : file.stream(), maxSize, decode);
            if (file != null) {
                file.commit();
            }
            out.printf(Locale.ROOT, "%.2fs %7d %s%n", seconds(start), bytes, uri);
        } catch (Saving e) {
            fail(uri, e.getMessage(), start);
        } catch (IOException e) {
            fail(uri, Connections.describe(e, timeout), start);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The file -O names for the URL in the directory; an error if it has no name, or another URL of this run took it. */
    private OutputFile target(URI uri) throws IOException {
        var name = OutputFile.remoteName(uri);
        if (name == null) {
            throw new Saving("no file name in the URL for -O");
        }
        var path = saveTo.resolve(name);
        var first = saved.putIfAbsent(path, uri);
        if (first != null) {
            throw new Saving(path + " is " + first + "'s already");
        }
        try {
            return OutputFile.create(path);
        } catch (IOException e) {
            throw new Saving("cannot write " + path + ": " + IoErrors.reason(e));
        }
    }

    /** A body that cannot be saved: the message says why. */
    private static final class Saving extends IOException {
        Saving(String message) {
            super(message);
        }
    }

    private void fail(URI uri, String message, long start) {
        failures.incrementAndGet();
        errors.accept(String.format(Locale.ROOT, "%s: %s (%.2fs)", uri, message, seconds(start)));
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
