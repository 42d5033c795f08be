package gopl.crawler;

import static org.assertj.core.api.Assertions.assertThat;

import gopl.common.testing.ToolProcess;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Each attack of a hostile site against the real jar: every one must end, promptly and bounded. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class CrawlerSecurityIT {
    private static final Duration PATIENCE = Duration.ofSeconds(40);

    private final TestSite site = new TestSite();

    CrawlerSecurityIT() throws Exception {}

    @AfterEach
    void stop() throws Exception {
        site.close();
    }

    private ToolProcess.Result crawl(String... args) {
        return ToolProcess.run(PATIENCE, new byte[0], args);
    }

    /** Every page links to two new ones: an endless site. */
    private void endlessSite(int padding) {
        var filler = "x".repeat(padding);
        site.page("/", "/n/1").generate("/n/", path -> {
            long n = Long.parseLong(path.substring(3));
            return "<a href='/n/" + (2 * n) + "'>a</a><a href='/n/" + (2 * n + 1) + "'>b</a>" + filler;
        });
    }

    @Test
    void anEndlessSiteStopsAtMaxPages() {
        endlessSite(0);

        var result = crawl("-depth=inf", "--max-pages", "40", "--no-robots", site.uri("/").toString());

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout().lines()).hasSize(40);
        assertThat(site.requests).hasSize(40);
        assertThat(result.stderr()).contains("crawler: reached the limit of 40 URLs");
    }

    @Test
    void anEndlessSiteStopsAtTheQuota() {
        endlessSite(64 * 1024);

        var result = crawl("-depth=inf", "-Q", "1M", "--concurrency", "2", "--no-robots", site.uri("/").toString());

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(site.requests).hasSizeBetween(16, 19);
        assertThat(result.stderr()).contains("crawler: reached the quota of 1048576 bytes");
    }

    @Test
    void aUrlReachedByARedirectAndByALinkIsFetchedOnce() {
        site.page("/", "/old", "/new").redirect("/old", 301, "/new").page("/new");

        var result = crawl("--concurrency", "1", site.uri("/").toString());

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(site.requestCount("/new")).isEqualTo(1);
    }

    @Test
    void hugeUrlsAndEndlessErrorPagesCostNothing() {
        var huge = "/" + "a".repeat(100_000);
        site.page("/", huge, "/missing").hang("/missing", 404);

        var result = ToolProcess.run(Duration.ofSeconds(15), new byte[0], "--no-robots", site.uri("/").toString());

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stderr()).contains("/missing: 404 Not Found");
        assertThat(site.requests).containsExactlyInAnyOrder("/", "/missing");
    }

    /** Twenty 9 MiB pages at once, built to swell when parsed, in a 128 MiB heap: spooled, and not parsed. */
    @Test
    void manyLargeBodiesAtOnceDoNotExhaustMemory() {
        var hrefs = new String[20];
        for (int i = 0; i < hrefs.length; i++) {
            hrefs[i] = "/big/" + i;
        }
        site.page("/", hrefs).generate("/big/", path -> "<table><tr><td>".repeat((9 << 20) / 15));

        try (var tool = ToolProcess.start(List.of("-Xmx128m"), "--concurrency", "20", "--max-per-host", "20",
                site.uri("/").toString())) {
            var result = tool.waitFor(PATIENCE);
            assertThat(result.exitCode()).as(result.stderr()).isZero();
            assertThat(result.stderr()).doesNotContain("OutOfMemory", "heap").contains("21 fetched");
        }
    }
}
