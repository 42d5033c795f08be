package gopl.crawler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

/**
 * One GET at a time with the crawl's hygiene: a deadline for the whole exchange (body included),
 * a size cap, and cancellation that really aborts: an interrupted caller cancels the
 * {@code sendAsync} future, which makes the client close the connection instead of leaving it to
 * finish in the background. Redirects are not followed here but by the caller, one request per
 * URL, so that the crawl fetches each URL once (see Run) and each hop is checked against the scope.
 */
final class Fetcher {
    /** Longest URL followed, in characters: longer links are ignored (servers refuse them anyway). */
    static final int MAX_URL_LENGTH = 8192;

    /** One response: the body of a 2xx, an empty one otherwise. */
    record Response(URI uri, int status, String contentType, String location, Body body) {
        boolean isRedirect() {
            return (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) && location != null;
        }

        boolean isSuccess() {
            return status / 100 == 2;
        }
    }

    /** A failure with a message fit for the user, and the HTTP status if there was one. */
    static final class FetchException extends IOException {
        private final int status;

        FetchException(String message, int status, Throwable cause) {
            super(message, cause);
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    private final HttpClient client;
    private final Duration timeout;
    private final long maxSize;
    private final boolean truncate;
    private final long loadLimit;
    private final String userAgent;
    private final Predicate<URI> scope;

    /**
     * @param truncate past {@code maxSize}, keep the first bytes (robots.txt) instead of failing
     * @param loadLimit the size up to which a body may be loaded into memory, see {@link Body#loadable()}
     */
    Fetcher(HttpClient client, Duration timeout, long maxSize, boolean truncate, long loadLimit, String userAgent,
            Predicate<URI> scope) {
        this.client = client;
        this.timeout = timeout;
        this.maxSize = maxSize;
        this.truncate = truncate;
        this.loadLimit = loadLimit;
        this.userAgent = userAgent;
        this.scope = scope;
    }

    /** The deadline for a URL fetched from now, redirects included, for {@link #get}. */
    long deadline() {
        return System.nanoTime() + timeout.toNanos();
    }

    /** Sends one GET; the caller must {@link Body#discard()} the body of a 2xx response. */
    Response get(URI uri, long deadline) throws FetchException, InterruptedException {
        var response = send(uri, deadline);
        var type = response.headers().firstValue("content-type").orElse("");
        var location = response.headers().firstValue("location").orElse(null);
        return new Response(uri, response.statusCode(), type, location, response.body());
    }

    /** Turns a fetched response into a Page, parsing it when it is HTML. */
    static Crawler.Page page(URI uri, int depth, Crawler.Kind kind, Response response) {
        Document document = null;
        if (isHtml(response) && response.body().loadable()) {
            try (var in = response.body().stream()) {
                document = Jsoup.parse(in, charset(response.contentType().toLowerCase(Locale.ROOT)), response.uri().toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e); // our own spool file, just written
            }
        }
        return new Crawler.Page(uri, response.uri(), depth, kind, response.status(), response.contentType(), response.body(),
                document);
    }

    static boolean isHtml(Response response) {
        var type = response.contentType().toLowerCase(Locale.ROOT);
        return type.startsWith("text/html") || type.startsWith("application/xhtml+xml");
    }

    /** The charset the header names if Java knows it, else null to let jsoup sniff it from the page. */
    private static String charset(String contentType) {
        int at = contentType.indexOf("charset=");
        if (at < 0) {
            return null;
        }
        var name = contentType.substring(at + 8).split(";", 2)[0].strip().replace("\"", "");
        try {
            return Charset.isSupported(name) ? name : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private HttpResponse<Body> send(URI uri, long deadline) throws FetchException, InterruptedException {
        CompletableFuture<HttpResponse<Body>> future;
        var spool = new AtomicReference<Body.Subscriber>();
        try {
            // No request timeout: the deadline below covers the whole exchange, body included.
            var request = HttpRequest.newBuilder(uri)
                    .header("User-Agent", userAgent)
                    .header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
                    .GET()
                    .build();
            // Only a 2xx body is read; a redirect's or an error page's is not even awaited (it may never end).
            future = client.sendAsync(request, info -> {
                var body = new Body.Subscriber(info.statusCode() / 100 == 2 ? maxSize : 0, truncate, loadLimit, info);
                spool.set(body);
                return body;
            });
        } catch (IllegalArgumentException e) { // a URL the client refuses
            throw new FetchException("cannot request this URL: " + e.getMessage(), 0, e);
        }
        boolean done = false;
        try {
            var response = future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            done = true;
            return response;
        } catch (TimeoutException e) {
            throw new FetchException("timed out after " + gopl.common.GoDuration.format(timeout), 0, e);
        } catch (ExecutionException e) {
            throw new FetchException(describe(e.getCause()), 0, e.getCause());
        } finally {
            future.cancel(true); // a no-op when done; otherwise aborts the exchange and closes the connection
            if (!done && spool.get() != null) {
                spool.get().discard();
            }
        }
    }

    /** Where a redirect leads, normalised; an error if it leaves the scope or is not a URL we follow. */
    URI redirectTarget(URI from, String location, int status) throws FetchException {
        var target = Links.normalize(location.isBlank() ? "" : resolve(from, location))
                .orElseThrow(() -> new FetchException("redirected to a non-http(s) URL: " + abbreviate(location), status, null));
        if (target.toString().length() > MAX_URL_LENGTH) {
            throw new FetchException("redirected to a URL longer than " + MAX_URL_LENGTH + " characters", status, null);
        }
        if (!scope.test(target)) {
            throw new FetchException("redirected out of scope to " + target, status, null);
        }
        return target;
    }

    private static String resolve(URI from, String location) {
        try {
            return from.resolve(location.strip().replace(" ", "%20")).toString();
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }

    /** One line for the user: what went wrong, without the exception class when that says it. */
    static String describe(Throwable e) {
        return switch (e) {
            case FetchException f -> f.getMessage();
            case HttpConnectTimeoutException t -> "connect timed out";
            case HttpTimeoutException t -> "timed out";
            case ConnectException c when c.getMessage() == null || c.getMessage().isBlank() ->
                    c.getCause() instanceof UnresolvedAddressException ? "unknown host" : "connection refused";
            case ConnectException c -> c.getMessage();
            case IOException io when io.getMessage() != null && !io.getMessage().isBlank() -> io.getMessage();
            default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
        };
    }
}
