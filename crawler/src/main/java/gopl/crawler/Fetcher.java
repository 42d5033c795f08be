package gopl.crawler;

import gopl.common.ContentCoding;
import gopl.common.Http;
import gopl.common.http.Connections;
import gopl.common.http.Headers;
import gopl.common.http.HttpConnection;
import gopl.common.http.RequestHead;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

/**
 * One GET at a time with the crawl's hygiene: a deadline for the whole exchange (body included),
 * a size cap (on the decoded body too, so a compression bomb is cut off), and cancellation that
 * really aborts: an interrupted worker's socket is closed. Redirects are not followed here but by
 * the caller, one request per URL, so that the crawl fetches each URL once (see Run) and each hop
 * is checked against the scope.
 */
final class Fetcher {
    /** Longest URL followed, in characters: longer links are ignored (servers refuse them anyway). */
    static final int MAX_URL_LENGTH = 8192;

    /**
     * What to send and accept.
     *
     * @param truncate past {@code maxSize}, keep the first bytes (robots.txt) instead of failing
     * @param loadLimit the size up to which a body may be loaded into memory, see {@link Body#loadable()}
     * @param headers the header fields to add to the request for a URL (may override ours)
     * @param rate null for no limit
     */
    record Options(Duration timeout, long maxSize, boolean truncate, long loadLimit, String userAgent, Predicate<URI> scope,
            boolean compression, RateLimit rate, Function<URI, Map<String, String>> headers, Cookies cookies) {
        /** For robots.txt: the first {@code size} bytes, redirects followed anywhere (RFC 9309). */
        Options forRobots(long size) {
            return new Options(timeout, size, true, size, userAgent, uri -> true, compression, rate, headers, cookies);
        }
    }

    /** One response: the body of a 2xx, an empty one otherwise. */
    record Response(URI uri, int status, Headers headers, Body body) {
        String contentType() {
            return java.util.Objects.requireNonNullElse(headers.first("content-type"), "");
        }

        String location() {
            return headers.first("location");
        }

        boolean isRedirect() {
            return Http.isRedirect(status) && location() != null;
        }

        boolean isSuccess() {
            return status / 100 == 2;
        }

        /** 304: the copy the caller made conditional on is still good. */
        boolean isNotModified() {
            return status == 304;
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

    private static final Body EMPTY = Body.of(new byte[0]);

    private final Connections connections;
    private final Options options;

    Fetcher(Connections connections, Options options) {
        this.connections = connections;
        this.options = options;
    }

    String userAgent() {
        return options.userAgent();
    }

    /** A fetcher on the same connections for robots.txt, see {@link Options#forRobots}. */
    Fetcher forRobots(long size) {
        return new Fetcher(connections, options.forRobots(size));
    }

    /** The deadline for a URL fetched from now, redirects included, for {@link #get}. */
    long deadline() {
        return System.nanoTime() + options.timeout().toNanos();
    }

    /** Sends one GET; the caller must {@link Body#discard()} the body of a 2xx response. */
    Response get(URI uri, long deadline) throws FetchException, InterruptedException {
        var route = connections.route(uri);
        HttpConnection connection = null;
        try {
            var exchange = connections.exchange(route, RequestHead.of("GET", uri, route, Request.fields(uri, options)), deadline);
            connection = exchange.connection();
            var response = respond(uri, connection, exchange.head(), deadline);
            connections.release(connection);
            return response;
        } catch (IOException e) {
            if (connection != null) {
                connections.discard(connection);
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("cancelled");
            }
            throw failure(e);
        }
    }

    private Response respond(URI uri, HttpConnection connection, HttpConnection.Head head, long deadline) throws IOException {
        if (options.cookies() != null) {
            options.cookies().store(uri, head.headers().all("set-cookie"));
        }
        // Only a 2xx body is read; a redirect's or an error page's is skipped if it is here already, else the connection closed.
        if (head.status() / 100 != 2) {
            connection.skip(head, true);
            return new Response(uri, head.status(), head.headers(), EMPTY);
        }
        return new Response(uri, head.status(), head.headers(), read(connection, head));
    }

    private Body read(HttpConnection connection, HttpConnection.Head head) throws IOException {
        var encoding = options.compression() ? head.get("content-encoding") : null;
        boolean encoded = ContentCoding.isEncoded(encoding);
        long declared = head.headers().contentLength();
        long maxSize = options.maxSize();
        if (declared > maxSize && !encoded && !options.truncate()) {
            throw new FetchException("larger than the size cap of " + maxSize + " bytes", 0, null);
        }
        InputStream raw = connection.body(head, true);
        if (options.rate() != null) {
            raw = options.rate().wrap(raw);
        }
        try (var in = ContentCoding.decode(raw, encoding)) {
            var body = new Body.Builder(options.loadLimit(), encoded ? -1 : declared);
            var buffer = new byte[bufferSize(declared, encoded)];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                if (body.size() + n > maxSize) {
                    if (!options.truncate()) {
                        body.discard();
                        throw new FetchException("larger than the size cap of " + maxSize + " bytes"
                                + (encoded ? " once decompressed" : ""), 0, null);
                    }
                    body.write(buffer, 0, (int) (maxSize - body.size()));
                    connection.close(); // the rest is not read: the connection cannot be reused
                    break;
                }
                body.write(buffer, 0, n);
            }
            return body.build();
        }
    }

    /**
     * One buffer per fetch: 16 KiB, or for a smaller body of announced length (most pages and
     * images) that length and one byte more, so that the end is read without a second buffer's
     * worth of garbage: the 16 KiB were 44 of the 240 MB a 2,202-file mirror allocated.
     */
    private static int bufferSize(long declared, boolean encoded) {
        return encoded || declared < 0 || declared >= 16 * 1024 ? 16 * 1024 : (int) declared + 1;
    }

    /** Turns a fetched response into a Page, parsing it when it is HTML and {@code parse} says so. */
    static Crawler.Page page(URI uri, int depth, Crawler.Kind kind, Response response, boolean parse) {
        boolean html = isHtml(response) && response.body().loadable();
        Document document = null;
        if (html && parse) {
            try (var in = response.body().stream()) {
                document = Jsoup.parse(in, charsetName(response.contentType()), response.uri().toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e); // our own spool file, just written
            }
        }
        return new Crawler.Page(uri, response.uri(), depth, kind, response.status(), response.contentType(), response.headers(),
                response.body(), html, document);
    }

    /** The charset the header names if Java knows it, else null to let jsoup sniff it from the page. */
    private static String charsetName(String contentType) {
        var charset = Http.charset(contentType);
        return charset == null ? null : charset.name();
    }

    static boolean isHtml(Response response) {
        var type = response.contentType().toLowerCase(Locale.ROOT);
        return type.startsWith("text/html") || type.startsWith("application/xhtml+xml");
    }

    /** Where a redirect leads, normalised; an error if it leaves the scope or is not a URL we follow. */
    URI redirectTarget(URI from, String location, int status) throws FetchException {
        var target = Links.normalize(location.isBlank() ? "" : resolve(from, location))
                .orElseThrow(() -> new FetchException("redirected to a non-http(s) URL: " + abbreviate(location), status, null));
        if (target.toString().length() > MAX_URL_LENGTH) {
            throw new FetchException("redirected to a URL longer than " + MAX_URL_LENGTH + " characters", status, null);
        }
        if (!options.scope().test(target)) {
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

    private FetchException failure(IOException e) {
        return e instanceof FetchException f ? f : new FetchException(describe(e), 0, e);
    }

    /** One line for the user: what went wrong, without the exception class when that says it. */
    String describe(Throwable e) {
        return Connections.describe(e, options.timeout());
    }

    /** The header fields of a request: ours, unless the caller's fields for the URL override them. */
    private static final class Request {
        private static final String ACCEPT = "text/html,application/xhtml+xml,*/*;q=0.8";

        static Map<String, String> fields(URI uri, Options options) {
            var extra = options.headers().apply(uri);
            var fields = new LinkedHashMap<String, String>();
            field(fields, extra, "User-Agent", options.userAgent());
            field(fields, extra, "Accept", ACCEPT);
            if (options.compression()) {
                field(fields, extra, "Accept-Encoding", ContentCoding.ACCEPT);
            }
            if (options.cookies() != null) {
                var cookie = options.cookies().header(uri);
                if (cookie != null) {
                    field(fields, extra, "Cookie", cookie);
                }
            }
            fields.putAll(extra);
            return fields;
        }

        /** Our field, unless the caller's fields override it. */
        private static void field(Map<String, String> fields, Map<String, String> extra, String name, String value) {
            for (var key : extra.keySet()) {
                if (key.equalsIgnoreCase(name)) {
                    return;
                }
            }
            fields.put(name, value);
        }
    }
}
