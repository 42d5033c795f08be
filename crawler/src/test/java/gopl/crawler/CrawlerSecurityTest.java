package gopl.crawler;

import static gopl.crawler.CrawlerTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import gopl.crawler.Crawler.Failure;
import gopl.crawler.Crawler.Page;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Hostile sites against the engine: each test is an attack that must end, bounded. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CrawlerSecurityTest {
    private final TestSite site = new TestSite();
    private final ConcurrentLinkedQueue<Failure> failures = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> notices = new ConcurrentLinkedQueue<>();

    CrawlerSecurityTest() throws Exception {}

    @AfterEach
    void stop() throws Exception {
        site.close();
    }

    private Crawler.Builder builder() {
        return Crawler.builder().timeout(Duration.ofSeconds(20)).onError(failures::add).onLimit(notices::add);
    }

    private long requestsUnder(String prefix) {
        return site.requests.stream().filter(path -> path.startsWith(prefix)).count();
    }

    /** HTML served as an "image" whose own image is another such page, 500 deep: requisites of requisites end. */
    @Test
    void aChainOfHtmlServedAsImagesEnds() {
        site.html("/", Duration.ZERO, "<img src='/img/0'><a href='/next'>n</a>").page("/next")
                .generate("/img/", path -> {
                    int n = Integer.parseInt(path.substring(5));
                    return n < 500 ? "<img src='/img/" + (n + 1) + "'><a href='/page/" + n + "'>p</a>" : "end";
                })
                .generate("/page/", path -> "<p>a page linked from an image");
        builder().extractor(CrawlerTest::withRequisites).build().crawl(site.uri("/"));

        assertThat(requestsUnder("/img/")).isEqualTo(Crawler.MAX_REQUISITE_HOPS);
        assertThat(requestsUnder("/page/")).as("an image's page links are not followed").isZero();
        assertThat(site.requests).contains("/next");
    }

    /** A site of endless distinct pages: the visited set, and the requests, stop at --max-pages. */
    @Test
    void anEndlessSiteStopsAtMaxPages() {
        site.page("/", "/n/1", "/n/2").generate("/n/", path -> {
            long n = Long.parseLong(path.substring(3));
            return "<a href='/n/" + (2 * n + 1) + "'>a</a><a href='/n/" + (2 * n + 2) + "'>b</a>";
        });
        var stats = builder().maxPages(50).build().crawl(site.uri("/"));

        assertThat(stats.found()).isEqualTo(50);
        assertThat(site.requests).hasSize(50);
        assertThat(notices).singleElement().asString().contains("50 URLs");
    }

    /**
     * Pages of 100 KiB, each linking to ten new ones, endlessly: the crawl stops fetching once the
     * quota is spent, and the URLs waiting then (with two in flight, always some) are skipped.
     */
    @Test
    void anEndlessSiteStopsAtTheQuota() {
        var filler = "x".repeat(100 * 1024);
        site.page("/", "/n/1").generate("/n/", path -> {
            long n = Long.parseLong(path.substring(3));
            var links = new StringBuilder();
            for (long child = 10 * n; child < 10 * n + 10; child++) {
                links.append("<a href='/n/").append(child).append("'>").append(child).append("</a>");
            }
            return links + filler;
        });
        var stats = builder().quota(500 * 1024).concurrency(2).build().crawl(site.uri("/"));

        assertThat(stats.bytes()).isBetween(500L * 1024, 500L * 1024 + 3 * filler.length());
        assertThat(site.requests).hasSizeLessThanOrEqualTo(8);
        assertThat(stats.skipped()).isPositive();
        assertThat(stats.pending()).isZero();
        assertThat(notices).singleElement().asString().contains("quota");
    }

    @Test
    void aUrlReachedByARedirectAndByALinkIsFetchedOnce() {
        site.page("/", "/old", "/new", "/a").redirect("/old", 301, "/new").page("/new").page("/a", "/old", "/new");
        var redirects = new ConcurrentLinkedQueue<String>();
        builder().concurrency(1).onRedirect((from, to) -> redirects.add(from.getPath() + " -> " + to.getPath()))
                .build().crawl(site.uri("/"));

        assertThat(site.requestCount("/new")).isEqualTo(1);
        assertThat(site.requestCount("/old")).isEqualTo(1);
        assertThat(redirects).containsExactly("/old -> /new");
    }

    @Test
    void redirectLoopsAndChainsEndAtOnce() {
        site.page("/", "/loop", "/r/0").redirect("/loop", 302, "/loop").redirect("/a", 302, "/b").redirect("/b", 302, "/a");
        for (int i = 0; i < 30; i++) {
            site.redirect("/r/" + i, 302, "/r/" + (i + 1));
        }
        builder().maxRedirects(5).build().crawl(site.uri("/"), site.uri("/a"));

        assertThat(site.requestCount("/loop")).isEqualTo(1);
        assertThat(site.requestCount("/a") + site.requestCount("/b")).isEqualTo(2);
        assertThat(requestsUnder("/r/")).isEqualTo(6);
        assertThat(failures).extracting(Failure::message).containsExactlyInAnyOrder(
                "redirect loop", "redirect loop", "too many redirects (more than 5)");
    }

    /** A link of 100,000 characters is neither requested nor kept. */
    @Test
    void hugeUrlsAreNotFollowed() {
        var huge = "/" + "a".repeat(100_000);
        site.page("/", huge, "/ok").page("/ok");
        var stats = builder().build().crawl(site.uri("/"));

        assertThat(site.requests).containsExactlyInAnyOrder("/", "/ok");
        assertThat(stats.found()).isEqualTo(2);
    }

    @Test
    void aPageWithTooManyLinksHasOnlyTheFirstFollowed() {
        var hrefs = new String[Links.MAX_LINKS_PER_PAGE + 500];
        for (int i = 0; i < hrefs.length; i++) {
            hrefs[i] = "/p" + i;
        }
        site.page("/", hrefs);
        var page = new java.util.concurrent.atomic.AtomicReference<Page>();
        builder().maxDepth(0).onPage(page::set).build().crawl(site.uri("/"));

        assertThat(Links.pageLinks(page.get())).hasSize(Links.MAX_LINKS_PER_PAGE + 1);
        assertThat(notices).singleElement().asString().contains("/: only its first 10000 links are followed");
    }

    /** An error page or a redirect whose body never ends costs nothing: it is not read. */
    @Test
    void endlessErrorAndRedirectBodiesAreNotAwaited() {
        site.page("/", "/missing", "/moved").hang("/missing", 404).hang("/moved", 302);
        builder().timeout(Duration.ofMinutes(5)).build().crawl(site.uri("/"));

        assertThat(failures).extracting(Failure::message).containsExactly("404 Not Found");
    }

    /** Bodies over 1 MiB are spooled to disk, not held in memory, and the spool is removed after the page. */
    @Test
    void largeBodiesAreSpooledToDiskAndRemoved() {
        site.respond("/big.bin", Duration.ZERO, 200, "application/octet-stream", "b".repeat(3 << 20));
        var seen = new java.util.concurrent.atomic.AtomicReference<Body>();
        var inMemory = new java.util.concurrent.atomic.AtomicBoolean(true);
        builder().onPage(p -> {
            seen.set(p.body());
            inMemory.set(p.body().inMemory());
        }).build().crawl(site.uri("/big.bin"));

        assertThat(seen.get().size()).isEqualTo(3 << 20);
        assertThat(inMemory).isFalse();
        assertThat(seen.get().file()).doesNotExist();
    }

    /** Headers are read up to 128 KiB: past them the URL fails, and the connection is closed. */
    @Test
    void endlessHeadersFailTheUrl() throws Exception {
        try (var server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> floodHeaders(server));
            builder().build().crawl(URI.create("http://127.0.0.1:" + server.getLocalPort() + "/"));
        }
        assertThat(failures).singleElement().extracting(Failure::message).asString().contains("response headers larger than 128 KiB");
    }

    private static void floodHeaders(ServerSocket server) {
        try (var socket = server.accept(); OutputStream out = socket.getOutputStream()) {
            socket.getInputStream().read(new byte[8192]);
            out.write("HTTP/1.1 200 OK\r\n".getBytes(StandardCharsets.US_ASCII));
            for (long n = 0; ; n++) {
                out.write(("X-" + n + ": " + "v".repeat(1000) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            }
        } catch (IOException e) {
            // The client hung up: the attack is over.
        }
    }

    /** Already bounded by the whole-exchange deadline: kept as a guard. */
    @Test
    void aBodyThatDripsIsCutOffByTheDeadline() throws Exception {
        site.hang("/drip");
        builder().timeout(Duration.ofMillis(800)).build().crawl(site.uri("/drip"));

        assertThat(failures).singleElement().extracting(Failure::message).isEqualTo("timed out after 800ms");
        await(() -> site.disconnects.get() == 1);
    }
}
