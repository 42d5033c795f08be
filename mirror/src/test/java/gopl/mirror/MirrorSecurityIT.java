package gopl.mirror;

import static gopl.mirror.TestSite.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import gopl.common.testing.ToolProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Each attack of a hostile site (or a booby-trapped output directory) against the real jar:
 * every one must end, promptly, bounded, with nothing written where it must not be.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MirrorSecurityIT extends SiteFixture {
    private static final Duration PATIENCE = Duration.ofSeconds(40);

    private ToolProcess.Result mirror(String... args) {
        var all = new java.util.ArrayList<>(List.of("-P", out.toString()));
        all.addAll(List.of(args));
        return ToolProcess.run(PATIENCE, new byte[0], all.toArray(String[]::new));
    }

    @Test
    void aChainOfHtmlServedAsImagesEnds() {
        site.html("/", "<img src=\"/img/0\">");
        site.fallback(path -> {
            int n = path.startsWith("/img/") ? Integer.parseInt(path.substring(5)) : 5000;
            return new TestSite.Resource(200, "text/html", bytes(n < 5000 ? "<img src=\"/img/" + (n + 1) + "\">" : "end"), null);
        });

        var result = mirror("-depth=1", site.url("/"));

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(site.requestsUnder("/img/")).isEqualTo(3);
    }

    @Test
    void anEndlessSiteStopsAtMaxPagesAndAtTheQuota() {
        var filler = "x".repeat(64 * 1024);
        site.html("/", "<a href=\"/n/1\">1</a>");
        site.fallback(path -> {
            long n = path.startsWith("/n/") ? Long.parseLong(path.substring(3)) : 0;
            return new TestSite.Resource(200, "text/html", bytes("<a href=\"/n/" + (2 * n) + "\">a</a><a href=\"/n/" + (2 * n + 1)
                    + "\">b</a>" + filler), null);
        });

        var pages = mirror("--max-pages", "40", "--no-robots", site.url("/"));
        assertThat(pages.exitCode()).as(pages.stderr()).isZero();
        assertThat(site.requests()).hasSize(40);

        var quota = mirror("-Q", "1M", "--concurrency", "2", "--no-robots", site.url("/n/1"));
        assertThat(quota.exitCode()).as(quota.stderr()).isZero();
        assertThat(site.requests()).hasSizeBetween(40 + 16, 40 + 19);
        assertThat(quota.stderr()).contains("reached the quota of 1048576 bytes");
    }

    @Test
    void aPlantedSymlinkIsAnErrorAndNothingIsWrittenThroughIt() throws IOException {
        var elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Files.createDirectories(host());
        Files.createSymbolicLink(host().resolve("img"), elsewhere);
        site.html("/", "<img src=\"img/a.png\"><a href=\"ok.html\">ok</a>");
        site.file("/img/a.png", "image/png", bytes("png"));
        site.html("/ok.html", "ok");

        var result = mirror(site.url("/"));

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stderr()).contains("img: is a symbolic link; mirror writes nothing through links");
        try (var files = Files.list(elsewhere)) {
            assertThat(files).isEmpty();
        }
        assertThat(host().resolve("ok.html")).exists();
    }

    @Test
    void aDrippingRobotsTxtIsCutOffByTheTimeout() {
        site.drip("/robots.txt", 200);
        site.html("/", "<a href=\"a.html\">a</a>");
        site.html("/a.html", "a");

        var result = mirror("--timeout", "2s", site.url("/"));

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stderr()).contains("robots.txt: timed out after 2s");
        assertThat(site.requests()).doesNotContain("/a.html");
    }

    /** As a regular expression, this rule against this path backtracked for hours. */
    @Test
    void aPathologicalRobotsRuleIsMatchedInLinearTime() {
        site.file("/robots.txt", "text/plain", bytes("User-agent: *\nDisallow: /" + "*a".repeat(60) + "*b\n"));
        var path = "/" + "a".repeat(3000) + ".html";
        site.html("/", "<a href=\"" + path + "\">a</a>");
        site.html(path, "a");

        var result = mirror(site.url("/"));

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(site.requests()).contains(path);
    }

    @Test
    void robotsTxtRedirectsAreFollowedAndServerErrorsDisallowAll() {
        site.redirect("/robots.txt", "/robots-moved.txt");
        site.file("/robots-moved.txt", "text/plain", bytes("User-agent: *\nDisallow: /private\n"));
        site.html("/", "<a href=\"private.html\">p</a><a href=\"public.html\">p</a>");
        site.html("/private.html", "p").html("/public.html", "p");

        var redirected = mirror(site.url("/"));
        assertThat(redirected.exitCode()).as(redirected.stderr()).isZero();
        assertThat(site.requests()).contains("/public.html").doesNotContain("/private.html");

        site.add("/robots.txt", new TestSite.Resource(500, "text/plain", bytes("oops"), null));
        var failed = mirror(site.url("/"));
        assertThat(failed.exitCode()).as(failed.stderr()).isZero();
        assertThat(failed.stderr()).contains("robots.txt: 500 Internal Server Error");
        assertThat(site.requests().stream().filter("/public.html"::equals)).hasSize(1);
    }

    /** A megabyte of url( without a ): quadratic for the regular expression, minutes of CPU. */
    @Test
    void aStylesheetOfUnclosedUrlsIsScannedInLinearTime() {
        site.html("/", "<link rel=stylesheet href=\"a.css\">");
        site.css("/a.css", "url(".repeat(256 * 1024) + "\n}\np { background: url(bg.png) }");
        site.file("/bg.png", "image/png", bytes("png"));

        var result = mirror(site.url("/"));

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(site.requests()).contains("/bg.png");
    }

    @Test
    void aUrlReachedByARedirectAndByALinkIsFetchedOnce() {
        site.html("/", "<a href=\"old\">old</a> <a href=\"new.html\">new</a>");
        site.redirect("/old", "/new.html");
        site.html("/new.html", "new");

        var result = mirror("--concurrency", "1", site.url("/"));

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(site.requests()).containsOnlyOnce("/new.html");
    }

    @Test
    void hugeUrlsAndEndlessErrorPagesCostNothing() {
        var huge = "/" + "a".repeat(100_000);
        site.html("/", "<a href=\"" + huge + "\">huge</a><a href=\"missing.html\">m</a>");
        site.drip("/missing.html", 404);

        var result = ToolProcess.run(Duration.ofSeconds(15), new byte[0], "-P", out.toString(), site.url("/"));

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stderr()).contains("missing.html: 404 Not Found");
        assertThat(site.requests()).doesNotContain(huge);
    }

    /**
     * Twenty downloads at once of 15 MiB each, half of them HTML built to swell when parsed,
     * in a 160 MiB heap: they are spooled to disk, and too large to be parsed within its budget.
     */
    @Test
    void manyLargeBodiesAtOnceDoNotExhaustMemory() {
        var html = bytes("<table><tr><td>".repeat((15 << 20) / 15));
        var binary = new byte[15 << 20];
        var links = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            site.file("/big/" + i + ".html", "text/html", html);
            site.file("/bin/" + i + ".bin", "application/octet-stream", binary);
            links.append("<a href=\"big/").append(i).append(".html\">h</a><img src=\"bin/").append(i).append(".bin\">");
        }
        site.html("/", links.toString());

        try (var tool = ToolProcess.start(List.of("-Xmx160m"), "-P", out.toString(), "--max-size", "16M", "--concurrency", "20",
                "--max-per-host", "20",
                site.url("/"))) {
            var result = tool.waitFor(PATIENCE);
            assertThat(result.exitCode()).as(result.stderr()).isZero();
            assertThat(result.stderr()).doesNotContain("OutOfMemory", "heap").contains("saved 21 files");
        }
        assertThat(host().resolve("big/9.html")).hasSize(html.length);
    }
}
