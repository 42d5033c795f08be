package gopl.crawler;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How hard the engine presses a site: requests at once per host, wget's --wait and --random-wait,
 * robots.txt's Crawl-delay and rules, --limit-rate. Times are checked as lower bounds only: a
 * loaded machine makes gaps longer, never shorter.
 */
@Timeout(60)
class PolitenessTest {
    private final TestSite site = new TestSite();
    private final TestSite other = new TestSite();
    private final ConcurrentLinkedQueue<URI> found = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> notes = new ConcurrentLinkedQueue<>();

    PolitenessTest() throws Exception {}

    @AfterEach
    void stop() throws Exception {
        site.close();
        other.close();
    }

    private Crawler.Builder builder() {
        return Crawler.builder().timeout(Duration.ofSeconds(20)).onFound(found::add).onLimit(notes::add);
    }

    private static String[] pages(TestSite site, String prefix, int n, Duration delay) {
        var links = new ArrayList<String>();
        for (int i = 0; i < n; i++) {
            site.page(prefix + i, delay);
            links.add(prefix + i);
        }
        return links.toArray(String[]::new);
    }

    @Test
    void noMoreRequestsAtOnceToAHostThanItsCapWhateverTheConcurrency() {
        site.page("/", pages(site, "/p", 16, Duration.ofMillis(100)));
        builder().concurrency(20).maxPerHost(3).build().crawl(site.uri("/"));

        assertThat(site.requests).hasSize(17);
        assertThat(site.maxActive.get()).isBetween(2, 3);
    }

    @Test
    void theDefaultCapIsFourAndHostsAreCappedApart() {
        var links = new ArrayList<>(List.of(pages(site, "/p", 12, Duration.ofMillis(100))));
        for (var path : pages(other, "/q", 12, Duration.ofMillis(100))) {
            links.add("http://localhost:" + other.uri("/").getPort() + path); // another host name, another cap
        }
        site.page("/", links.toArray(String[]::new));
        builder().concurrency(20).build().crawl(site.uri("/"));

        assertThat(Crawler.DEFAULT_PER_HOST).isEqualTo(4);
        assertThat(site.maxActive.get()).isBetween(2, 4);
        assertThat(other.requests).hasSize(12);
        assertThat(other.maxActive.get()).isBetween(2, 4);
    }

    @Test
    void withAWaitRequestsToAHostGoOneAtATimeThatFarApart() {
        site.page("/", pages(site, "/p", 4, Duration.ZERO));
        var wait = Duration.ofMillis(300);
        builder().concurrency(20).wait(wait).build().crawl(site.uri("/"));

        assertThat(site.requests).hasSize(5);
        assertThat(site.maxActive.get()).isEqualTo(1);
        assertThat(gaps(site)).allMatch(gap -> gap >= wait.toNanos());
    }

    @Test
    void aRandomWaitIsAtLeastHalfTheWait() {
        site.page("/", pages(site, "/p", 4, Duration.ZERO));
        var wait = Duration.ofMillis(400);
        builder().wait(wait).randomWait(true).build().crawl(site.uri("/"));

        assertThat(site.maxActive.get()).isEqualTo(1);
        assertThat(gaps(site)).hasSize(4).allMatch(gap -> gap >= wait.toNanos() / 2);
    }

    @Test
    void robotsTxtCrawlDelayIsTheSitesWait() {
        site.respond("/robots.txt", Duration.ZERO, 200, "text/plain", "User-agent: *\nCrawl-delay: 0.3\n")
                .page("/", pages(site, "/p", 3, Duration.ZERO));
        builder().concurrency(20).robots(true).build().crawl(site.uri("/"));

        assertThat(site.requests).hasSize(5).startsWith("/robots.txt", "/");
        assertThat(site.maxActive.get()).isEqualTo(1);
        assertThat(gaps(site).subList(1, 4)).allMatch(gap -> gap >= Duration.ofMillis(300).toNanos());
    }

    /** A site asking for a day between requests gets a minute, and the crawl says so. */
    @Test
    void aCrawlDelayOfADayIsCutToAMinute() {
        site.respond("/robots.txt", Duration.ZERO, 200, "text/plain", "User-agent: *\nCrawl-delay: 86400\n").page("/");
        builder().robots(true).build().crawl(site.uri("/"));

        assertThat(notes).singleElement().asString().contains("Crawl-delay of 86400s: waiting 60s");
        assertThat(RobotsCache.MAX_CRAWL_DELAY).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void disallowedUrlsAreFoundButNotFetchedAndRobotsTxtIsReadOncePerSite() {
        site.respond("/robots.txt", Duration.ZERO, 200, "text/plain", "User-agent: *\nDisallow: /private/\nDisallow: /start\n")
                .page("/start", "/a", "/private/x", "/b")
                .page("/a", "/private/y")
                .page("/b", "/a");
        var robotsRead = new ConcurrentLinkedQueue<URI>();
        var stats = builder().concurrency(8).robots(true).onRobots((s, robots) -> robotsRead.add(s)).build()
                .crawl(site.uri("/start"));

        assertThat(site.requests).containsExactlyInAnyOrder("/robots.txt", "/start", "/a", "/b");
        assertThat(found).extracting(URI::getPath).contains("/private/x", "/private/y");
        assertThat(stats.disallowed()).isEqualTo(2);
        assertThat(stats.pending()).isZero();
        assertThat(robotsRead).containsExactly(site.uri("/"));
        assertThat(stats.summary()).contains("2 disallowed by robots.txt");
    }

    @Test
    void theRateLimitHoldsDownloadsUnderIt() {
        site.respond("/big", Duration.ZERO, 200, "application/octet-stream", "x".repeat(64 * 1024));
        long start = System.nanoTime();
        var stats = builder().limitRate(32 * 1024).build().crawl(site.uri("/big"));

        assertThat(stats.bytes()).isEqualTo(64 * 1024);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
    }

    /** From the end of each answer to the start of the next request, in nanoseconds. */
    private static List<Long> gaps(TestSite site) {
        var gaps = new ArrayList<Long>();
        for (int i = 1; i < site.spans.size(); i++) {
            gaps.add(site.spans.get(i)[0] - site.spans.get(i - 1)[1]);
        }
        return gaps;
    }
}
