package gopl.fetch;

import gopl.common.ContentCoding;
import gopl.common.GoDuration;
import gopl.common.Http;
import gopl.common.http.Connections;
import gopl.common.http.RequestHead;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * How fetch asks for a URL, as curl would with the same options: GET or HEAD ({@code -I}), our
 * headers and the user's ({@code -H}, which may replace or, with an empty value, drop ours),
 * redirects followed, and {@code --retry}: a timeout, or a 408, 429, 500, 502, 503 or 504, is
 * tried again after 1, 2, 4... seconds (or {@code --retry-delay}, or the server's
 * {@code Retry-After}, at most 10 minutes); a refused connection only with {@code --retry-connrefused}.
 */
final class Requests {
    /** How failures are tried again: {@code retries} times at most, {@code delay} apart (null: curl's backoff). */
    record Retry(int retries, Duration delay, boolean connectionRefused) {
        static final Retry NONE = new Retry(0, null, false);
    }

    static final Duration MAX_WAIT = Duration.ofMinutes(10);

    /**
     * Redirects followed per request at most, as the JDK's HTTP client followed them before (its
     * {@code Redirect.NORMAL}): past them, or from https to http, the 3xx answer is the response.
     */
    static final int MAX_REDIRECTS = 5;

    private final Connections connections;
    private final Duration timeout;
    private final boolean head;
    private final Map<String, String> headers;
    private final Retry retry;
    private final Consumer<String> notes;

    /**
     * @param headers the user's, by name; an empty value drops the field (ours too), as curl's -H 'Name:'
     * @param notes receives a line for each retry
     */
    Requests(Connections connections, Duration timeout, boolean head, Map<String, String> headers, boolean compression, Retry retry,
            Consumer<String> notes) {
        this.connections = connections;
        this.timeout = timeout;
        this.head = head;
        this.retry = retry;
        this.notes = notes;
        var all = new LinkedHashMap<String, String>();
        all.put("User-Agent", FetchCommand.USER_AGENT);
        if (compression) {
            all.put("Accept-Encoding", ContentCoding.ACCEPT);
        }
        headers.forEach((name, value) -> {
            all.keySet().removeIf(ours -> ours.equalsIgnoreCase(name));
            all.put(name, value);
        });
        all.values().removeIf(String::isEmpty);
        this.headers = all;
    }

    Duration timeout() {
        return timeout;
    }

    /**
     * Sends the request, trying again as --retry says; the response returned may still be an
     * error status. Each try must have its answer by the deadline it is given.
     */
    Response send(URI uri, LongSupplier deadline) throws IOException, InterruptedException {
        for (int tries = 0; ; tries++) {
            Response response;
            try {
                response = follow(uri, deadline.getAsLong());
            } catch (IOException e) {
                if (Thread.interrupted()) {
                    throw new InterruptedException("cancelled"); // a loser of the race: its connection is closed
                }
                if (tries < retry.retries() && isTransient(e)) {
                    wait(uri, Connections.describe(e, timeout), tries, null);
                    continue;
                }
                throw e;
            }
            if (tries < retry.retries() && isTransient(response.status())) {
                response.close();
                wait(uri, Http.statusText(response.status()), tries, response.headers().first("retry-after"));
                continue;
            }
            return response;
        }
    }

    /** One request, and the redirects it leads to. */
    private Response follow(URI uri, long deadline) throws IOException {
        for (int hops = 0; ; hops++) {
            var route = connections.route(uri);
            var exchange = connections.exchange(route, RequestHead.of(head ? "HEAD" : "GET", uri, route, headers), deadline);
            var response = new Response(uri, connections, exchange, !head);
            var target = hops < MAX_REDIRECTS ? redirectTarget(uri, response) : null;
            if (target == null) {
                return response;
            }
            response.close();
            uri = target;
        }
    }

    /** Where a 301, 302, 303, 307 or 308 leads, if it is an http(s) URL we follow; else null. */
    private static URI redirectTarget(URI from, Response response) {
        var location = response.headers().first("location");
        if (!Http.isRedirect(response.status()) || location == null) {
            return null;
        }
        try {
            var target = from.resolve(location.strip().replace(" ", "%20"));
            var scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
            boolean followed = scheme.equals("https") || scheme.equals("http") && from.getScheme().equalsIgnoreCase("http");
            return followed && target.getHost() != null ? target : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private boolean isTransient(IOException e) {
        return e instanceof SocketTimeoutException || retry.connectionRefused() && e instanceof ConnectException;
    }

    private static boolean isTransient(int status) {
        return status == 408 || status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
    }

    private void wait(URI uri, String why, int tries, String retryAfter) throws InterruptedException {
        var delay = retryAfter(retryAfter);
        if (delay == null) {
            delay = retry.delay() != null ? retry.delay() : Duration.ofSeconds(1L << Math.min(tries, 9));
        }
        delay = delay.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : delay;
        int left = retry.retries() - tries;
        notes.accept(uri + ": " + why + "; trying again in " + GoDuration.format(delay) + " (" + left + (left == 1 ? " try" : " tries")
                + " left)");
        Thread.sleep(delay);
    }

    /** A Retry-After of seconds or an HTTP date, if there is one worth heeding (a positive wait). */
    private static Duration retryAfter(String value) {
        if (value == null) {
            return null;
        }
        try {
            long seconds = Long.parseLong(value.strip());
            return seconds > 0 ? Duration.ofSeconds(Math.min(seconds, MAX_WAIT.toSeconds())) : null;
        } catch (NumberFormatException notSeconds) {
            try {
                var wait = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME));
                return wait.isPositive() ? wait : null;
            } catch (java.time.format.DateTimeParseException notADate) {
                return null;
            }
        }
    }

    /** A user's {@code -H 'Name: value'} (or {@code 'Name:'} to drop a field); null if it is not one. */
    static Map.Entry<String, String> header(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        var name = text.substring(0, colon).strip();
        var value = text.substring(colon + 1).strip();
        boolean token = !name.isEmpty() && name.chars().allMatch(c -> c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0);
        return token && value.chars().noneMatch(c -> c == '\r' || c == '\n') ? Map.entry(name, value) : null;
    }

    static boolean isRestricted(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "connection", "content-length", "expect", "transfer-encoding", "upgrade" -> true;
            default -> false;
        };
    }
}
