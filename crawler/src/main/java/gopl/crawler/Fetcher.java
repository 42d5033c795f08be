package gopl.crawler;

import gopl.common.Http;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

/**
 * One GET with the crawl's hygiene: a deadline for the whole exchange (body included), a size
 * cap, redirects followed by hand (so the limit and the scope apply to each hop), and
 * cancellation that really aborts: an interrupted caller cancels the {@code sendAsync} future,
 * which makes the client close the connection instead of leaving it to finish in the background.
 */
final class Fetcher {
    /** What came back, after redirects. */
    record Response(URI finalUri, int status, String contentType, byte[] body) {}

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
    private final String userAgent;
    private final int maxRedirects;
    private final Predicate<URI> scope;

    Fetcher(HttpClient client, Duration timeout, long maxSize, String userAgent, int maxRedirects, Predicate<URI> scope) {
        this.client = client;
        this.timeout = timeout;
        this.maxSize = maxSize;
        this.userAgent = userAgent;
        this.maxRedirects = maxRedirects;
        this.scope = scope;
    }

    /** Fetches a 2xx response, following redirects; anything else is a FetchException. */
    Response fetch(URI uri) throws FetchException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        var current = uri;
        for (int hops = 0; ; hops++) {
            var response = send(current, deadline);
            int status = response.statusCode();
            var location = response.headers().firstValue("location");
            if (isRedirect(status) && location.isPresent()) {
                if (hops == maxRedirects) {
                    throw new FetchException("too many redirects (more than " + maxRedirects + ")", status, null);
                }
                current = redirectTarget(current, location.get(), status);
                continue;
            }
            if (status < 200 || status > 299) {
                throw new FetchException(Http.statusText(status), status, null);
            }
            var type = response.headers().firstValue("content-type").orElse("");
            return new Response(response.uri(), status, type, response.body()); // uri(): right even if the client redirected
        }
    }

    /** Turns a fetched response into a Page, parsing it when it is HTML. */
    static Crawler.Page page(URI uri, int depth, Fetcher.Response response) {
        var type = response.contentType().toLowerCase(Locale.ROOT);
        Document document = null;
        if (type.startsWith("text/html") || type.startsWith("application/xhtml+xml")) {
            try {
                document = Jsoup.parse(new ByteArrayInputStream(response.body()), charset(type), response.finalUri().toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e); // cannot happen reading from memory
            }
        }
        return new Crawler.Page(uri, response.finalUri(), depth, response.status(), response.contentType(), response.body(), document);
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

    private HttpResponse<byte[]> send(URI uri, long deadline) throws FetchException, InterruptedException {
        CompletableFuture<HttpResponse<byte[]>> future;
        try {
            // No request timeout: the deadline below covers the whole exchange, body included.
            var request = HttpRequest.newBuilder(uri)
                    .header("User-Agent", userAgent)
                    .header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
                    .GET()
                    .build();
            // Only a 2xx body is kept; a redirect's or an error page's is read and dropped.
            future = client.sendAsync(request, info -> info.statusCode() / 100 == 2
                    ? new CappedBody(maxSize, info)
                    : HttpResponse.BodySubscribers.replacing(new byte[0]));
        } catch (IllegalArgumentException e) { // a URL the client refuses
            throw new FetchException("cannot request this URL: " + e.getMessage(), 0, e);
        }
        try {
            return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new FetchException("timed out after " + gopl.common.GoDuration.format(timeout), 0, e);
        } catch (ExecutionException e) {
            throw new FetchException(describe(e.getCause()), 0, e.getCause());
        } finally {
            future.cancel(true); // a no-op when done; otherwise aborts the exchange and closes the connection
        }
    }

    private URI redirectTarget(URI from, String location, int status) throws FetchException {
        var target = Links.normalize(location.isBlank() ? "" : resolve(from, location))
                .orElseThrow(() -> new FetchException("redirected to a non-http(s) URL: " + location, status, null));
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

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
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

    /**
     * Collects a body up to a size cap. Past the cap it cancels the subscription, which makes
     * the client drop the connection rather than download the rest.
     */
    private static final class CappedBody implements BodySubscriber<byte[]> {
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private final long maxSize;
        private final long declared;
        private Flow.Subscription subscription;

        CappedBody(long maxSize, HttpResponse.ResponseInfo info) {
            this.maxSize = maxSize;
            this.declared = info.headers().firstValueAsLong("content-length").orElse(-1);
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            if (declared > maxSize) {
                tooLarge();
            } else {
                subscription.request(Long.MAX_VALUE);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (var item : items) {
                if (buffer.size() + (long) item.remaining() > maxSize) {
                    tooLarge();
                    return;
                }
                var bytes = new byte[item.remaining()];
                item.get(bytes);
                buffer.writeBytes(bytes);
            }
        }

        private void tooLarge() {
            subscription.cancel();
            result.completeExceptionally(new FetchException("larger than the size cap of " + maxSize + " bytes", 0, null));
        }

        @Override
        public void onError(Throwable error) {
            result.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            result.complete(buffer.toByteArray());
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }
    }
}
