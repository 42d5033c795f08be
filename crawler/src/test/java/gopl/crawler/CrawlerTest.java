package gopl.crawler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gopl.common.testing.Eventually;
import gopl.crawler.Crawler.Failure;
import gopl.crawler.Crawler.Link;
import gopl.crawler.Crawler.Page;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The engine against a real local site: depths, exactly-once, the token bound, errors, cancellation. */
class CrawlerTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final TestSite site = new TestSite();
    private final ConcurrentLinkedQueue<URI> foundQueue = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Failure> failures = new ConcurrentLinkedQueue<>();
    private final Map<URI, Page> pages = new ConcurrentHashMap<>();

    CrawlerTest() throws Exception {}

    /** Waits for a condition on the test site: its connections, counted by its own threads. */
    static void await(BooleanSupplier condition) {
        Eventually.eventually(PATIENCE, "the site's counts", condition);
    }

    @AfterEach
    void stop() throws Exception {
        site.close();
    }

    private Crawler.Builder builder() {
        return Crawler.builder().timeout(PATIENCE).onFound(foundQueue::add).onError(failures::add)
                .onPage(page -> pages.put(page.uri(), page));
    }

    private List<String> foundPaths() {
        return foundQueue.stream().map(URI::getPath).toList();
    }

    @Test
    void findsEveryLinkedPageOnceAndFetchesItOnce() {
        site.page("/", "/a", "/b", "/a#top", "b", "mailto:x@example.com", "javascript:void(0)")
                .page("/a", "/", "/b", "/c", "c?x=1")
                .page("/b", "/a")
                .page("/c")
                .page("/c?x=1");
        var stats = builder().build().crawl(site.uri("/"));

        assertThat(foundQueue).containsExactlyInAnyOrder(site.uri("/"), site.uri("/a"), site.uri("/b"), site.uri("/c"), site.uri("/c?x=1"));
        assertThat(site.requests).containsExactlyInAnyOrder("/", "/a", "/b", "/c", "/c?x=1");
        assertThat(stats.found()).isEqualTo(5);
        assertThat(stats.fetched()).isEqualTo(5);
        assertThat(stats.cancelled()).isFalse();
        assertThat(failures).isEmpty();
    }

    @Test
    void exactlyOnceInADenseGraphUnderConcurrency() {
        int n = 40;
        for (int i = 0; i < n; i++) {
            var links = new ArrayList<String>();
            for (int j = 0; j < n; j++) {
                links.add("/p" + j);
            }
            site.page("/p" + i, Duration.ofMillis(i % 5), links.toArray(String[]::new));
        }
        builder().concurrency(10).build().crawl(site.uri("/p0"));

        assertThat(foundQueue).hasSize(n).doesNotHaveDuplicates();
        assertThat(site.requests).hasSize(n).doesNotHaveDuplicates();
    }

    /**
     * The short chain to /x is slow and the long one fast, so /x is first reached at depth 3 (its
     * links are then past the limit) and only later at its true depth 2: its link /y (depth 3)
     * must be found all the same, without fetching /x twice, and /z (depth 4) must not.
     */
    @Test
    void depthIsTheShortestChainHoweverResponsesRace() {
        site.page("/", "/slow", "/f1")
                .page("/slow", Duration.ofMillis(700), "/x")
                .page("/f1", "/f2")
                .page("/f2", "/x")
                .page("/x", "/y")
                .page("/y", "/z")
                .page("/z");
        builder().maxDepth(3).build().crawl(site.uri("/"));

        assertThat(foundPaths()).containsExactlyInAnyOrder("/", "/slow", "/f1", "/f2", "/x", "/y");
        assertThat(site.requestCount("/x")).isEqualTo(1);
        assertThat(site.requestCount("/z")).isZero();
        // /x arrived through the fast chain before the slow page answered.
        assertThat(site.requests.indexOf("/x")).isLessThan(site.requests.indexOf("/y"));
    }

    @Test
    void aLinkPastTheLimitIsFoundWhenAShorterChainReachesIt() {
        site.page("/", "/slow", "/f1")
                .page("/slow", Duration.ofMillis(700), "/x")
                .page("/f1", "/f2")
                .page("/f2", "/x")
                .page("/x");
        builder().maxDepth(2).build().crawl(site.uri("/"));

        assertThat(foundPaths()).containsExactlyInAnyOrder("/", "/slow", "/f1", "/f2", "/x");
    }

    @Test
    void depthZeroFetchesOnlyTheStartUrls() {
        site.page("/", "/a").page("/b", "/a");
        builder().maxDepth(0).build().crawl(site.uri("/"), site.uri("/b"));

        assertThat(foundPaths()).containsExactlyInAnyOrder("/", "/b");
        assertThat(site.requests).containsExactlyInAnyOrder("/", "/b");
    }

    @Test
    void neverMoreRequestsInFlightThanTheConcurrency() {
        var links = new ArrayList<String>();
        for (int i = 0; i < 24; i++) {
            links.add("/p" + i);
            site.page("/p" + i, Duration.ofMillis(150));
        }
        site.page("/", links.toArray(String[]::new));
        builder().concurrency(4).build().crawl(site.uri("/"));

        assertThat(site.requests).hasSize(25);
        assertThat(site.maxActive.get()).isLessThanOrEqualTo(4).isGreaterThanOrEqualTo(2);
    }

    @Test
    void withOneRequestInFlightTheCrawlIsBreadthFirst() {
        site.page("/", "/a", "/b").page("/a", "/a1", "/a2").page("/b", "/b1").page("/a1").page("/a2").page("/b1");
        builder().concurrency(1).build().crawl(site.uri("/"));

        assertThat(site.requests).containsExactly("/", "/a", "/b", "/a1", "/a2", "/b1");
        assertThat(site.maxActive.get()).isEqualTo(1);
    }

    @Test
    void errorsAreReportedPerUrlAndTheCrawlGoesOn() throws Exception {
        site.page("/", "/missing", "/boom", "/loop", "/moved", "/offsite-redirect", "/big", "/silent", "/ok")
                .respond("/boom", Duration.ZERO, 500, "text/plain", "oops")
                .redirect("/loop", 302, "/loop")
                .redirect("/moved", 301, "/dir/")
                .page("/dir/", "page")
                .page("/dir/page")
                .redirect("/offsite-redirect", 302, "http://elsewhere.invalid/")
                .respond("/big", Duration.ZERO, 200, "text/html", "x".repeat(5000))
                .redirect("/silent", 302, "http://127.0.0.1:" + site.silentPort() + "/")
                .page("/ok");
        builder().timeout(Duration.ofSeconds(5)).maxPageSize(4096).maxRedirects(5)
                .scope(uri -> uri.getHost().equals("127.0.0.1"))
                .build().crawl(site.uri("/"));

        assertThat(messages()).containsOnly(
                Map.entry(site.uri("/missing"), "404 Not Found"),
                Map.entry(site.uri("/boom"), "500 Internal Server Error"),
                Map.entry(site.uri("/loop"), "redirect loop"),
                Map.entry(site.uri("/offsite-redirect"), "redirected out of scope to http://elsewhere.invalid/"),
                Map.entry(site.uri("/big"), "larger than the size cap of 4096 bytes"),
                Map.entry(URI.create("http://127.0.0.1:" + site.silentPort() + "/"), "timed out after 5s")); // where /silent led
        assertThat(site.requestCount("/loop")).isEqualTo(1);
        assertThat(pages.get(site.uri("/moved")).finalUri()).isEqualTo(site.uri("/dir/"));
        assertThat(foundPaths()).contains("/ok", "/dir/page"); // resolved against the final URL
        await(() -> site.silentClosed.get() == 1); // the timed-out connection was closed, not left open
    }

    private Map<URI, String> messages() {
        var byUri = new java.util.HashMap<URI, String>();
        failures.forEach(f -> byUri.put(f.uri(), f.message()));
        return byUri;
    }

    @Test
    void linksResolveAgainstTheBaseAndNonHtmlIsNotParsed() {
        site.html("/", Duration.ZERO, "<base href='/sub/'><a href='x'>x</a><a href='/data.txt'>d</a><a href='HTTP://127.0.0.1:"
                        + site.uri("/").getPort() + "/Y#frag'>y</a>")
                .page("/sub/x")
                .page("/Y")
                .respond("/data.txt", Duration.ZERO, 200, "text/plain", "<a href='/secret'>s</a>");
        builder().build().crawl(site.uri("/"));

        assertThat(foundPaths()).containsExactlyInAnyOrder("/", "/sub/x", "/data.txt", "/Y");
        assertThat(pages.get(site.uri("/data.txt")).document()).isNull();
        assertThat(pages.get(site.uri("/")).isHtml()).isTrue();
    }

    /** An extractor that reads the bytes itself turns the parse off: pages still say they are HTML, with no tree. */
    @Test
    void htmlIsNotParsedWhenTheExtractorReadsItItself() {
        site.html("/", Duration.ZERO, "<a href='/next'>n</a>").page("/next");
        builder().parseHtml(false).extractor(page -> page.isHtml() && page.body().size() > 0 && page.uri().getPath().equals("/")
                ? List.of(Crawler.Link.page(site.uri("/next"))) : List.of()).build().crawl(site.uri("/"));

        assertThat(foundPaths()).containsExactlyInAnyOrder("/", "/next");
        assertThat(pages.get(site.uri("/")).isHtml()).isTrue();
        assertThat(pages.get(site.uri("/")).document()).isNull();
    }

    /** Requisites are fetched past the limit, like wget -p; the page links they hold are not followed. */
    @Test
    void requisitesAreFetchedPastTheDepthLimit() {
        site.html("/", Duration.ZERO, "<link rel=stylesheet href='/style.css'><img src='/a.png'><a href='/next'>n</a>")
                .page("/next")
                .respond("/style.css", Duration.ZERO, 200, "text/css", "body { background: url(/bg.png) } /* /more.html */")
                .respond("/a.png", Duration.ZERO, 200, "image/png", "png")
                .respond("/bg.png", Duration.ZERO, 200, "image/png", "png")
                .page("/more.html");
        builder().maxDepth(0).extractor(CrawlerTest::withRequisites).build().crawl(site.uri("/"));

        assertThat(site.requests).containsExactlyInAnyOrder("/", "/style.css", "/a.png", "/bg.png");
    }

    private static final Pattern CSS_URL = Pattern.compile("url\\(([^)]+)\\)");
    private static final Pattern CSS_PAGE = Pattern.compile("/\\* (\\S+) \\*/");

    static List<Link> withRequisites(Page page) {
        var links = new ArrayList<>(Links.pageLinks(page));
        if (page.isHtml()) {
            page.document().select("link[href], img[src]").forEach(e ->
                    links.add(Link.requisite(URI.create(e.hasAttr("src") ? e.attr("abs:src") : e.attr("abs:href")))));
        } else if (page.contentType().startsWith("text/css")) {
            var css = new String(page.body().bytes());
            CSS_URL.matcher(css).results().forEach(m -> links.add(Link.requisite(page.finalUri().resolve(m.group(1)))));
            CSS_PAGE.matcher(css).results().forEach(m -> links.add(Link.page(page.finalUri().resolve(m.group(1)))));
        }
        return links;
    }

    @Test
    void interruptingTheCallerClosesEveryHangingConnectionAndReturnsPromptly() throws Exception {
        site.page("/", "/h1", "/h2", "/h3", "/h4", "/slow", "http://127.0.0.1:" + site.silentPort() + "/never")
                .hang("/h1").hang("/h2").hang("/h3").hang("/h4").page("/slow");
        var stats = new AtomicReference<Crawler.Stats>();
        var interruptedAfter = new AtomicReference<Boolean>();
        var returned = new AtomicBoolean();
        var slowEndedAfterReturn = new AtomicReference<Boolean>();
        var inSlowCallback = new CountDownLatch(1);
        var slowEnded = new CountDownLatch(1);
        var crawler = builder().timeout(Duration.ofMinutes(5)).maxPerHost(8).onPage(page -> {
            if (page.uri().getPath().equals("/slow")) {
                inSlowCallback.countDown();
                try {
                    slowCallback(Duration.ofMillis(300));
                } finally {
                    slowEndedAfterReturn.set(returned.get());
                    slowEnded.countDown();
                }
            }
        }).build();
        var crawlerThread = Thread.ofVirtual().start(() -> {
            stats.set(crawler.crawl(site.uri("/")));
            returned.set(true);
            interruptedAfter.set(Thread.currentThread().isInterrupted());
        });
        await(() -> site.hanging.get() == 4 && site.silentWaiting.get() == 1 && inSlowCallback.getCount() == 0);

        crawlerThread.interrupt();
        assertThat(crawlerThread.join(PATIENCE)).as("crawl returned").isTrue();
        assertThat(stats.get().cancelled()).isTrue();
        assertThat(interruptedAfter.get()).isTrue();
        await(() -> site.disconnects.get() == 4 && site.silentClosed.get() == 1);
        assertThat(failures).as("cancelled requests are not failures").isEmpty();
        // No callback runs on once crawl has returned: the one still in a slow callback when the
        // crawl was cancelled had ended by then.
        assertThat(slowEnded.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(slowEndedAfterReturn.get()).as("the slow callback ended after crawl returned").isFalse();
    }

    /** A callback that takes a while and ignores interrupts, as user code may. */
    private static void slowCallback(Duration length) {
        long end = System.nanoTime() + length.toNanos();
        boolean interrupted = false;
        for (long left; (left = end - System.nanoTime()) > 0; ) {
            try {
                Thread.sleep(Duration.ofNanos(left));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void cancelFromAnotherThreadStopsTheCrawl() throws Exception {
        site.page("/", "/h1", "/h2").hang("/h1").hang("/h2");
        var crawler = builder().timeout(Duration.ofMinutes(5)).build();
        var stats = new AtomicReference<Crawler.Stats>();
        var thread = Thread.ofVirtual().start(() -> stats.set(crawler.crawl(site.uri("/"))));
        await(() -> site.hanging.get() == 2);
        var live = crawler.stats();
        assertThat(List.of(live.found(), live.fetched(), live.pending(), live.failed())).containsExactly(3L, 1L, 2L, 0L);
        assertThat(live.cancelled()).isFalse();

        crawler.cancel();
        assertThat(thread.join(PATIENCE)).isTrue();
        assertThat(stats.get().cancelled()).isTrue();
        assertThat(stats.get().found()).isEqualTo(3);
        assertThat(crawler.stats()).isEqualTo(stats.get());
        await(() -> site.disconnects.get() == 2);
    }

    @Test
    void aThrowingCallbackStopsTheCrawlAndIsRethrown() throws Exception {
        site.page("/", "/a", "/h").page("/a", Duration.ofMillis(300)).hang("/h"); // /h hangs by the time /a fails
        var crawler = builder().timeout(Duration.ofMinutes(5)).onPage(page -> {
            if (page.uri().getPath().equals("/a")) {
                throw new IllegalStateException("disk full");
            }
        }).build();

        assertThatThrownBy(() -> crawler.crawl(site.uri("/"))).hasMessage("disk full");
        await(() -> site.disconnects.get() == 1);
    }

    @Test
    void startUrlsMustBeHttp() {
        assertThatThrownBy(() -> builder().build().crawl(URI.create("ftp://example.com/")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
