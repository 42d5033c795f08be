package gopl.fetch;

import gopl.common.Http;
import gopl.common.http.Connections;
import java.io.IOException;
import java.net.URI;
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
 * others, and interrupting a virtual thread blocked on a socket (connecting, handshaking, waiting
 * for the answer) closes that socket. Closing the executor then waits for the losers to be gone.
 */
final class FirstResponse {
    /**
     * The first 2xx response (its body not read yet), how long it took to arrive, and what
     * became of the others: {@code URL: 404 Not Found}, or {@code URL: cancelled}.
     */
    record Winner(URI uri, Response response, Duration elapsed, int losers, List<String> others) {}

    /** Every URL failed; the messages are in the order the URLs were given. */
    static final class AllFailed extends Exception {
        final List<String> errors;

        AllFailed(List<String> errors) {
            super("every URL failed", null, false, false);
            this.errors = errors;
        }
    }

    private final Requests requests;

    FirstResponse(Requests requests) {
        this.requests = requests;
    }

    /** A plain GET race, no retries: as the book's exercise. */
    FirstResponse(Connections connections, Duration timeout) {
        this(new Requests(connections, timeout, false, java.util.Map.of(), false, Requests.Retry.NONE, note -> {}));
    }

    /** Races the URLs; returns the winner once every loser has been cancelled. */
    Winner race(List<URI> uris) throws AllFailed, InterruptedException {
        long start = System.nanoTime();
        var won = new AtomicBoolean();
        Map<URI, String> errors = new ConcurrentHashMap<>();
        if (uris.size() == 1) {
            return alone(uris.getFirst(), start, won, errors);
        }
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

    /**
     * One URL has nothing to race: it is fetched on this thread, which spares starting the
     * virtual-thread scheduler and the socket poller (several ms of a run of 80; issue 14).
     */
    private Winner alone(URI uri, long start, AtomicBoolean won, Map<URI, String> errors) throws AllFailed, InterruptedException {
        try {
            return attempt(uri, start, won, errors, 0);
        } catch (IOException e) {
            throw new AllFailed(List.of(uri + ": " + errors.getOrDefault(uri, "failed")));
        }
    }

    /** One contender: fails unless it gets a 2xx response and is the first to. */
    private Winner attempt(URI uri, long start, AtomicBoolean won, Map<URI, String> errors, int losers)
            throws IOException, InterruptedException {
        var timeout = requests.timeout().toNanos();
        Response response;
        try {
            response = requests.send(uri, () -> System.nanoTime() + timeout);
        } catch (IOException e) {
            errors.put(uri, Connections.describe(e, requests.timeout()));
            throw e;
        }
        if (response.status() / 100 != 2) {
            response.close();
            errors.put(uri, Http.statusText(response.status()));
            throw new IOException(errors.get(uri));
        }
        // A second 2xx that arrives before the losers are cancelled would otherwise keep its connection open.
        if (!won.compareAndSet(false, true)) {
            response.close();
            throw new IOException("lost the race");
        }
        return new Winner(uri, response, Duration.ofNanos(System.nanoTime() - start), losers, List.of());
    }
}
