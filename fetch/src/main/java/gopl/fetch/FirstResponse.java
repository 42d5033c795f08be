package gopl.fetch;

import gopl.common.Http;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Exercise 8.11: request every URL at once and keep the first 2xx response. The idiom is
 * {@code invokeAny} on virtual threads: it returns the first task to succeed and interrupts the
 * others, and an interrupted {@code HttpClient.send} aborts its exchange, closing the connection.
 * Closing the executor then waits for the losers to be gone.
 */
final class FirstResponse {
    /**
     * The first 2xx response (its body not read yet), how long it took to arrive, and what
     * became of the others: {@code URL: 404 Not Found}, or {@code URL: cancelled}.
     */
    record Winner(URI uri, HttpResponse<InputStream> response, Duration elapsed, int losers, List<String> others) {}

    /** Every URL failed; the messages are in the order the URLs were given. */
    static final class AllFailed extends Exception {
        final List<String> errors;

        AllFailed(List<String> errors) {
            super("every URL failed", null, false, false);
            this.errors = errors;
        }
    }

    private final HttpClient client;
    private final Duration timeout;
    private final Requests requests;

    FirstResponse(HttpClient client, Duration timeout, Requests requests) {
        this.client = client;
        this.timeout = timeout;
        this.requests = requests;
    }

    /** A plain GET race, no retries: as the book's exercise. */
    FirstResponse(HttpClient client, Duration timeout) {
        this(client, timeout, new Requests(timeout, false, java.util.Map.of(), false, Requests.Retry.NONE, note -> {}));
    }

    /** Races the URLs; returns the winner once every loser has been cancelled. */
    Winner race(List<URI> uris) throws AllFailed, InterruptedException {
        long start = System.nanoTime();
        var won = new AtomicBoolean();
        Map<URI, String> errors = new ConcurrentHashMap<>();
        var tasks = new ArrayList<Callable<Winner>>();
        for (var uri : uris) {
            tasks.add(() -> attempt(uri, start, won, errors, uris.size() - 1));
        }
        Winner winner;
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            winner = executor.invokeAny(tasks);
        } catch (ExecutionException e) {
            throw new AllFailed(uris.stream().map(uri -> uri + ": " + errors.getOrDefault(uri, "failed")).toList());
        }
        var others = uris.stream().filter(uri -> !uri.equals(winner.uri()))
                .map(uri -> uri + ": " + errors.getOrDefault(uri, "cancelled")).toList();
        return new Winner(winner.uri(), winner.response(), winner.elapsed(), winner.losers(), others);
    }

    /** One contender: fails unless it gets a 2xx response and is the first to. */
    private Winner attempt(URI uri, long start, AtomicBoolean won, Map<URI, String> errors, int losers)
            throws IOException, InterruptedException {
        HttpResponse<InputStream> response;
        try {
            response = requests.send(uri, request -> client.send(request, BodyHandlers.ofInputStream()));
        } catch (IOException e) {
            errors.put(uri, FetchCommand.describe(e, timeout));
            throw e;
        }
        if (response.statusCode() / 100 != 2) {
            response.body().close();
            errors.put(uri, Http.statusText(response.statusCode()));
            throw new IOException(errors.get(uri));
        }
        // A second 2xx that arrives before the losers are cancelled would otherwise keep its connection open.
        if (!won.compareAndSet(false, true)) {
            response.body().close();
            throw new IOException("lost the race");
        }
        return new Winner(uri, response, Duration.ofNanos(System.nanoTime() - start), losers, List.of());
    }
}
