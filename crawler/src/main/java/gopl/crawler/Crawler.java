package gopl.crawler;

import gopl.common.Proxies;
import gopl.common.SizeFormat;
import gopl.common.http.Headers;
import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import org.jsoup.nodes.Document;

/**
 * A concurrent, depth-limited, cancellable web crawler: the book's crawl3 with exercises 8.6 and
 * 8.10 done, as a library.
 *
 * <pre>{@code
 * var crawler = Crawler.builder()
 *         .maxDepth(3)                                  // start URLs are depth 0
 *         .concurrency(20)                              // requests in flight at most
 *         .scope(uri -> uri.getHost().equals("example.com"))
 *         .onFound(uri -> System.out.println(uri))      // once per URL, as discovered
 *         .onPage(page -> save(page))                   // concurrently, from worker threads
 *         .onError(failure -> System.err.println(failure.uri() + ": " + failure.message()))
 *         .build();
 * Crawler.Stats stats = crawler.crawl(URI.create("https://example.com/"));
 * }</pre>
 *
 * <p>A URL is fetched once, at most {@code concurrency} requests are in flight, and each found URL
 * is fetched when its shortest chain of {@link Kind#PAGE} links from a start URL is within the
 * depth limit, however the responses race: a page first reached by a long chain and later by a
 * shorter one has its links explored again from the shorter depth (without a second request).
 * {@link Kind#REQUISITE} links (images, stylesheets) of those pages are fetched even past the
 * limit, as {@code wget -p} does, but a requisite's own links do not extend the crawl: its page
 * links are not followed, and its requisites only up to {@link #MAX_REQUISITE_HOPS} from a page.
 * A redirect is followed as a link to its target at the same depth, so a URL reached both by a
 * redirect and by a link is fetched once too.
 *
 * <p>What a hostile site can make it hold is bounded: at most {@link Builder#maxPages} URLs are
 * recorded, each page gives at most {@link Links#MAX_LINKS_PER_PAGE} links and no link over
 * 8,192 characters, no new request starts once {@link Builder#quota} bytes were downloaded, and
 * bodies over 1 MiB are spooled to temporary files. Pages are parsed within a memory budget of
 * a quarter of the heap, at most 512 MiB, counted as 32 bytes per byte of HTML (jsoup's trees
 * of hostile HTML measured up to 31): HTML larger than a 32nd of the budget is not parsed.
 *
 * <p>{@link #crawl} returns when there is nothing left to fetch, or promptly after it is cancelled
 * by interrupting the thread that called it or by calling {@link #cancel()}. Cancelling aborts
 * every request in flight (the connection is closed) and waits for the workers to stop, so no
 * callback runs after {@code crawl} returns. If a callback throws, the crawl is cancelled and
 * {@code crawl} rethrows that exception. A Crawler runs one crawl at a time; it may be reused.
 */
public final class Crawler {
    /** No depth limit. */
    public static final int UNLIMITED = Integer.MAX_VALUE;

    /** Longest chain of requisite links followed from a page: page, stylesheet, imported stylesheet, its image. */
    public static final int MAX_REQUISITE_HOPS = 3;

    /**
     * Requests in flight to one host at most, by default: polite (a browser opens 6 connections to
     * a host for one page view; wget, 1) while a site with latency still loads 4 times as fast as
     * one request at a time.
     */
    public static final int DEFAULT_PER_HOST = 4;

    /** Sent as {@code User-Agent} unless {@link Builder#userAgent} says otherwise. */
    public static final String DEFAULT_USER_AGENT = "gopl-crawler/"
            + Objects.requireNonNullElse(Crawler.class.getPackage().getImplementationVersion(), "dev");

    /** What a link is for, which decides how the depth limit applies to it. */
    public enum Kind {
        /** A link to navigate: one level deeper, fetched only within the depth limit. */
        PAGE,
        /** Something the page needs to display (image, stylesheet, script, icon, CSS url()): always fetched. */
        REQUISITE,
        /** Where a redirect leads: at the depth of the URL that redirected; the crawl makes these itself. */
        REDIRECT
    }

    /** A link found on a page: an absolute http(s) URL without fragment, and its kind. */
    public record Link(URI uri, Kind kind) {
        public Link {
            Objects.requireNonNull(uri);
            Objects.requireNonNull(kind);
        }

        public static Link page(URI uri) {
            return new Link(uri, Kind.PAGE);
        }

        public static Link requisite(URI uri) {
            return new Link(uri, Kind.REQUISITE);
        }
    }

    /**
     * A fetched 2xx response, or a 304 Not Modified answer to a conditional request made with
     * {@link Builder#requestHeaders}: then the body is empty and there is no document, and the
     * extractor gives its links from what the caller kept of it.
     *
     * @param uri the URL as requested (normalised, see {@link Links#normalize(URI)})
     * @param finalUri the URL after redirects, against which relative links resolve
     * @param depth the length of the shortest chain of links to it known when it was fetched
     * @param kind {@link Kind#PAGE} if it was fetched as a page within the depth limit, whose page
     *     links the crawl follows, or {@link Kind#REQUISITE} if only as something a page needs
     * @param contentType the {@code Content-Type} header, or "" if there was none
     * @param headers every header of the response ({@code Last-Modified}, {@code ETag}...)
     * @param body valid only until the callback returns (a spooled body's file is deleted then)
     * @param html whether it is HTML ({@code text/html}, XHTML) not too large to load and parse
     *     (see the class comment)
     * @param document the parsed page when it is {@code html} and the crawl parses pages (see
     *     {@link Builder#parseHtml}), else null
     */
    public record Page(URI uri, URI finalUri, int depth, Kind kind, int status, String contentType, Headers headers, Body body,
            boolean html, Document document) {
        public boolean isHtml() {
            return html;
        }

        public boolean notModified() {
            return status == 304;
        }
    }

    /**
     * A URL that could not be fetched.
     *
     * @param status the HTTP status if the server answered with an error (404), else 0
     * @param message one line for the user: {@code 404 Not Found}, {@code timed out after 10s}
     * @param cause the exception behind it, if any
     */
    public record Failure(URI uri, int depth, int status, String message, Throwable cause) {}

    /**
     * What became of a URL found, once it is done: fetched ({@code status} 2xx, or 304), a redirect
     * ({@code status} 3xx and its {@code location}), failed ({@code error}, and the {@code status} if
     * the server answered), or not fetched ({@code error} says why: robots.txt, the quota). URLs a
     * cancel dropped have none.
     *
     * @param depth the length of the shortest chain of links known to it
     * @param referrer the URL whose link (or redirect) gave it that depth; null for a start URL
     * @param status the HTTP status, or 0 if there was no answer
     */
    public record Result(URI uri, int depth, URI referrer, int status, URI location, String error) {}

    /**
     * How a crawl went, or is going. {@code found} counts every URL recorded, fetched or not;
     * {@code skipped} those found but not fetched because the quota was reached;
     * {@code disallowed} those robots.txt kept us from fetching.
     */
    public record Stats(long found, long fetched, long failed, long skipped, long disallowed, long bytes, Duration elapsed,
            boolean cancelled) {
        /** URLs found and not fetched, failed, skipped or disallowed yet: queued or in flight (or dropped by a cancel). */
        public long pending() {
            return found - fetched - failed - skipped - disallowed;
        }

        /** {@code 120 URLs found, 118 fetched (2.1 MiB), 2 failed in 3.2s}, and how many were skipped or disallowed if any. */
        public String summary() {
            var seconds = String.format(Locale.ROOT, "%.1fs", elapsed.toMillis() / 1000.0);
            return found + (found == 1 ? " URL" : " URLs") + " found, " + fetched + " fetched (" + SizeFormat.iec(bytes) + "), "
                    + failed + " failed" + (skipped > 0 ? ", " + skipped + " skipped" : "")
                    + (disallowed > 0 ? ", " + disallowed + " disallowed by robots.txt" : "") + " in " + seconds;
        }
    }

    /** Finds the links of a fetched page; called from worker threads, once per page. */
    @FunctionalInterface
    public interface LinkExtractor {
        List<Link> extract(Page page);
    }

    final Builder settings;
    private volatile Run current;
    private volatile Stats last = new Stats(0, 0, 0, 0, 0, 0, Duration.ZERO, false);

    private Crawler(Builder settings) {
        this.settings = settings.copy();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Crawls from these start URLs (depth 0, fetched whatever the scope says); see the class comment. */
    public Stats crawl(URI... starts) {
        return crawl(List.of(starts));
    }

    /**
     * Crawls from these start URLs and returns when done or cancelled. If the calling thread is
     * interrupted, the crawl is cancelled and the interrupt flag is left set.
     *
     * @throws IllegalArgumentException if a start URL is not an absolute http(s) URL
     */
    public Stats crawl(Collection<URI> starts) {
        var seeds = starts.stream()
                .map(uri -> Links.normalize(uri).orElseThrow(() -> new IllegalArgumentException("not an http(s) URL: " + uri)))
                .toList();
        if (current != null) {
            throw new IllegalStateException("this crawler is already crawling");
        }
        var run = new Run(this);
        current = run;
        try {
            run.seed(seeds);
            run.awaitDone();
        } catch (InterruptedException e) {
            run.cancel();
            Thread.currentThread().interrupt();
        } finally {
            run.close(); // waits for the (cancelled) workers, so no callback outlives crawl()
            last = run.stats();
            current = null;
        }
        run.rethrowCallbackFailure();
        return last;
    }

    /** The figures of the crawl in progress, for a progress line; after it, those of the last crawl. */
    public Stats stats() {
        var run = current;
        return run != null ? run.stats() : last;
    }

    /** Cancels the crawl in progress, if any, from any thread; {@link #crawl} then returns promptly. */
    public void cancel() {
        var run = current;
        if (run != null) {
            run.cancel();
        }
    }

    /** The crawl's settings; every one has a sensible default. */
    public static final class Builder {
        int maxDepth = UNLIMITED;
        int concurrency = 20;
        int maxPerHost = DEFAULT_PER_HOST;
        Duration wait = Duration.ZERO;
        boolean randomWait;
        long limitRate;
        boolean robots;
        BiConsumer<URI, Robots> onRobots = (site, robots) -> {};
        Cookies cookies;
        Duration timeout = Duration.ofSeconds(30);
        long maxPageSize = 10L << 20;
        String userAgent = DEFAULT_USER_AGENT;
        int maxRedirects = 10;
        int maxPages = 100_000;
        long quota = 1L << 30;
        SSLContext sslContext;
        Proxies proxies = Proxies.NONE;
        boolean compression = true;
        Function<URI, Map<String, String>> requestHeaders = uri -> Map.of();
        Map<String, String> headers = Map.of();
        String authorization;
        Predicate<URI> scope = uri -> true;
        LinkExtractor extractor = Links::pageLinks;
        boolean parseHtml = true;
        Consumer<URI> onFound = uri -> {};
        Consumer<Page> onPage = page -> {};
        Consumer<Failure> onError = failure -> {};
        BiConsumer<URI, URI> onRedirect = (from, to) -> {};
        Consumer<Result> onResult = result -> {};
        Consumer<String> onLimit = message -> {};

        private Builder() {}

        /** Longest chain of page links followed from a start URL (0: the start URLs only); default unlimited. */
        public Builder maxDepth(int maxDepth) {
            this.maxDepth = require(maxDepth, maxDepth >= 0, "maxDepth");
            return this;
        }

        /** Requests in flight at most; default 20. */
        public Builder concurrency(int concurrency) {
            this.concurrency = require(concurrency, concurrency >= 1, "concurrency");
            return this;
        }

        /** Requests in flight to one host at most (so its connections too); default {@value #DEFAULT_PER_HOST}. */
        public Builder maxPerHost(int maxPerHost) {
            this.maxPerHost = require(maxPerHost, maxPerHost >= 1, "maxPerHost");
            return this;
        }

        /**
         * wget's {@code --wait}: one request at a time per host, each starting this long after the
         * last one to that host ended; default none. A robots.txt Crawl-delay longer than this wins.
         */
        public Builder wait(Duration wait) {
            this.wait = require(wait, !wait.isNegative(), "wait");
            return this;
        }

        /** wget's {@code --random-wait}: each wait 0.5 to 1.5 times as long, at random. */
        public Builder randomWait(boolean randomWait) {
            this.randomWait = randomWait;
            return this;
        }

        /** wget's {@code --limit-rate}: bytes per second all downloads together read at most; 0 (default) for no limit. */
        public Builder limitRate(long bytesPerSecond) {
            this.limitRate = require(bytesPerSecond, bytesPerSecond >= 0, "limitRate");
            return this;
        }

        /**
         * Honour each site's robots.txt (RFC 9309, {@link Robots}): read before the site's first
         * request; its disallowed URLs are found but not fetched (start URLs are), and its
         * Crawl-delay is the site's wait; default off for the library (the tools turn it on).
         */
        public Builder robots(boolean robots) {
            this.robots = robots;
            return this;
        }

        /** Called once per site with its robots.txt as read, from a worker thread, before the site's first request. */
        public Builder onRobots(BiConsumer<URI, Robots> onRobots) {
            this.onRobots = Objects.requireNonNull(onRobots);
            return this;
        }

        /**
         * Header fields for every request (wget's {@code --header}), on top of ours or instead of
         * ours by the same name; {@link #requestHeaders} may override them for a URL.
         */
        public Builder headers(Map<String, String> headers) {
            this.headers = Map.copyOf(headers);
            return this;
        }

        /**
         * HTTP basic authentication (wget's {@code --user} and {@code --password}), sent with every
         * request to the scheme, host and port of a start URL, and never elsewhere (a link or a
         * redirect to another site does not get them).
         */
        public Builder credentials(String user, String password) {
            this.authorization = Proxies.basic(Objects.requireNonNull(user), Objects.requireNonNull(password));
            return this;
        }

        /** Cookies to send, and to keep those the sites set; default none kept. */
        public Builder cookies(Cookies cookies) {
            this.cookies = Objects.requireNonNull(cookies);
            return this;
        }

        /**
         * Ask for gzip and deflate bodies and decode them; the size cap counts the decoded bytes, so
         * a compression bomb is cut off there; default on.
         */
        public Builder compression(boolean compression) {
            this.compression = compression;
            return this;
        }

        /** Time allowed for each URL, redirects and body included; default 30s. */
        public Builder timeout(Duration timeout) {
            this.timeout = require(timeout, timeout.isPositive(), "timeout");
            return this;
        }

        /** Bodies larger than this fail with an error instead of filling memory; default 10 MiB. */
        public Builder maxPageSize(long bytes) {
            this.maxPageSize = require(bytes, bytes > 0, "maxPageSize");
            return this;
        }

        public Builder userAgent(String userAgent) {
            this.userAgent = Objects.requireNonNull(userAgent);
            return this;
        }

        /** Redirects followed in a row from a URL; default 10. Each hop must stay in scope. */
        public Builder maxRedirects(int maxRedirects) {
            this.maxRedirects = require(maxRedirects, maxRedirects >= 0, "maxRedirects");
            return this;
        }

        /** URLs recorded at most, fetched or not: past them, links to new URLs are not followed; default 100,000. */
        public Builder maxPages(int maxPages) {
            this.maxPages = require(maxPages, maxPages >= 1, "maxPages");
            return this;
        }

        /**
         * Bytes downloaded after which no new request starts (those in flight finish, as with
         * wget's {@code -Q}); {@code Long.MAX_VALUE} for none; default 1 GiB.
         */
        public Builder quota(long bytes) {
            this.quota = require(bytes, bytes > 0, "quota");
            return this;
        }

        /** The TLS setup for https (the trusted certificates); default the JDK's. */
        public Builder sslContext(SSLContext sslContext) {
            this.sslContext = Objects.requireNonNull(sslContext);
            return this;
        }

        /** Which proxy each URL goes through; default none ({@link Proxies#fromEnvironment()} for curl's rules). */
        public Builder proxies(Proxies proxies) {
            this.proxies = Objects.requireNonNull(proxies);
            return this;
        }

        /**
         * Header fields to send with the request for a URL, on top of ours (or instead of ours, by
         * the same name): {@code If-None-Match} for a re-run, {@code Authorization}... Called from
         * worker threads, once per request, redirects included.
         */
        public Builder requestHeaders(Function<URI, Map<String, String>> requestHeaders) {
            this.requestHeaders = Objects.requireNonNull(requestHeaders);
            return this;
        }

        /** Which found URLs are fetched (start URLs always are); default all http(s) URLs. */
        public Builder scope(Predicate<URI> scope) {
            this.scope = Objects.requireNonNull(scope);
            return this;
        }

        /** How links are found in a page; default {@link Links#pageLinks}. */
        public Builder extractor(LinkExtractor extractor) {
            this.extractor = Objects.requireNonNull(extractor);
            return this;
        }

        /**
         * Whether HTML pages are parsed with jsoup for {@link Page#document()}; default on. An
         * extractor that reads the body itself (mirror's) turns it off and saves the parse.
         */
        public Builder parseHtml(boolean parseHtml) {
            this.parseHtml = parseHtml;
            return this;
        }

        /** Called once per URL, when first found within the depth limit and scope (start URLs too). */
        public Builder onFound(Consumer<URI> onFound) {
            this.onFound = Objects.requireNonNull(onFound);
            return this;
        }

        /**
         * Called for every page fetched, concurrently from worker threads, after its links were
         * extracted: it may change the document.
         */
        public Builder onPage(Consumer<Page> onPage) {
            this.onPage = Objects.requireNonNull(onPage);
            return this;
        }

        /** Called for every URL that failed (error status, timeout, refused...), from worker threads. */
        public Builder onError(Consumer<Failure> onError) {
            this.onError = Objects.requireNonNull(onError);
            return this;
        }

        /**
         * Called for each redirect followed, from worker threads: {@code from} answered with a
         * redirect to {@code to}, which the crawl fetches once, under its own name (so it may have
         * been fetched already, by a link or another redirect).
         */
        public Builder onRedirect(BiConsumer<URI, URI> onRedirect) {
            this.onRedirect = Objects.requireNonNull(onRedirect);
            return this;
        }

        /** Called once per URL found, when it is done (see {@link Result}), from worker threads. */
        public Builder onResult(Consumer<Result> onResult) {
            this.onResult = Objects.requireNonNull(onResult);
            return this;
        }

        /** Called with one line for the user when the crawl reaches a limit: max pages, quota, links of a page. */
        public Builder onLimit(Consumer<String> onLimit) {
            this.onLimit = Objects.requireNonNull(onLimit);
            return this;
        }

        public Crawler build() {
            return new Crawler(this);
        }

        private Builder copy() {
            var copy = new Builder();
            copy.maxDepth = maxDepth;
            copy.concurrency = concurrency;
            copy.maxPerHost = maxPerHost;
            copy.wait = wait;
            copy.randomWait = randomWait;
            copy.limitRate = limitRate;
            copy.robots = robots;
            copy.onRobots = onRobots;
            copy.cookies = cookies;
            copy.timeout = timeout;
            copy.maxPageSize = maxPageSize;
            copy.userAgent = userAgent;
            copy.maxRedirects = maxRedirects;
            copy.maxPages = maxPages;
            copy.quota = quota;
            copy.sslContext = sslContext;
            copy.proxies = proxies;
            copy.compression = compression;
            copy.requestHeaders = requestHeaders;
            copy.headers = headers;
            copy.authorization = authorization;
            copy.scope = scope;
            copy.extractor = extractor;
            copy.parseHtml = parseHtml;
            copy.onFound = onFound;
            copy.onPage = onPage;
            copy.onError = onError;
            copy.onRedirect = onRedirect;
            copy.onResult = onResult;
            copy.onLimit = onLimit;
            return copy;
        }

        private static <T> T require(T value, boolean valid, String name) {
            if (!valid) {
                throw new IllegalArgumentException(name + " out of range: " + value);
            }
            return value;
        }
    }
}
