package gopl.mirror;

import static gopl.mirror.MirrorTest.mirror;
import static gopl.mirror.MirrorTest.walk;
import static gopl.mirror.TestSite.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Hostile sites and a booby-trapped output directory against the mirror, in process. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MirrorSecurityTest extends SiteFixture {
    /** Each "image" is HTML whose image is the next one, 500 deep: requisites of requisites stop. */
    @Test
    void aChainOfHtmlServedAsImagesEnds() {
        site.html("/", "<img src=\"/img/0\">");
        site.fallback(path -> {
            int n = path.startsWith("/img/") ? Integer.parseInt(path.substring(5)) : 500;
            return new TestSite.Resource(200, "text/html", bytes(n < 500 ? "<img src=\"/img/" + (n + 1) + "\"><a href=\"/p" + n
                    + "\">p</a>" : "end"), null);
        });

        var run = mirror("-P", out.toString(), site.url("/"));

        assertThat(run.status()).as(run.stderr()).isZero();
        assertThat(site.requestsUnder("/img/")).isEqualTo(3);
        assertThat(site.requestsUnder("/p")).isZero();
    }

    /** A planted link in DIR: an error for what lies under it, nothing written through it, the rest saved. */
    @Test
    void aPlantedSymlinkIsAnErrorAndNothingIsWrittenThroughIt() throws IOException {
        var elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        var secret = Files.writeString(elsewhere.resolve("index.html"), "not yours");
        Files.createDirectories(host());
        Files.createSymbolicLink(host().resolve("img"), elsewhere);
        Files.createSymbolicLink(host().resolve("about.html"), secret);
        site.html("/", "<img src=\"img/a.png\"><a href=\"about.html\">about</a><a href=\"ok.html\">ok</a>");
        site.file("/img/a.png", "image/png", bytes("png"));
        site.html("/about.html", "about");
        site.html("/ok.html", "ok");

        var run = mirror("-P", out.toString(), site.url("/"));

        assertThat(run.status()).as(run.stderr()).isZero();
        assertThat(run.stderr()).contains("img: is a symbolic link; mirror writes nothing through links")
                .contains("about.html: is a symbolic link").doesNotContain("Exception");
        assertThat(secret).hasContent("not yours");
        try (var files = Files.list(elsewhere)) {
            assertThat(files).containsExactly(secret);
        }
        assertThat(host().resolve("ok.html")).exists();
    }

    @Test
    void aUrlReachedByARedirectAndByALinkIsFetchedOnce() throws IOException {
        site.html("/", "<a href=\"old\">old</a> <a href=\"new.html\">new</a> <a href=\"a.html\">a</a>");
        site.redirect("/old", "/new.html");
        site.html("/new.html", "new");
        site.html("/a.html", "<a href=\"old\">old</a> <a href=\"new.html\">new</a>");

        var run = mirror("--concurrency", "1", "-P", out.toString(), site.url("/"));

        assertThat(run.status()).as(run.stderr()).isZero();
        assertThat(site.requests()).containsOnlyOnce("/new.html", "/old");
        assertThat(Files.readString(host().resolve("index.html"))).contains("href=\"new.html\">old", "href=\"new.html\">new");
        assertThat(Files.readString(host().resolve("a.html"))).contains("href=\"new.html\">old", "href=\"new.html\">new");
        assertThat(walk(host().resolve("index.html")).dangling()).isEmpty();
    }

    /** RFC 9309: robots.txt answering 5xx means nothing may be crawled; only the start page is fetched. */
    @Test
    void aRobotsTxtServerErrorMeansOnlyTheStartPage() throws IOException {
        site.add("/robots.txt", new TestSite.Resource(503, "text/plain", bytes("busy"), null));
        site.html("/", "<a href=\"a.html\">a</a>");
        site.html("/a.html", "a");

        var run = mirror("-P", out.toString(), site.url("/"));

        assertThat(run.status()).as(run.stderr()).isZero();
        assertThat(site.requests()).containsExactly("/robots.txt", "/");
        assertThat(run.stderr()).contains("robots.txt: 503 Service Unavailable; as RFC 9309 asks, nothing but the start page");
        assertThat(Files.readString(host().resolve("index.html"))).contains("href=\"" + site.url("/a.html") + "\"");
    }

    /** Endless distinct pages: --max-pages stops recording, and the links past it stay absolute. */
    @Test
    void anEndlessSiteStopsAtMaxPages() throws IOException {
        site.html("/", "<a href=\"/n/1\">1</a>");
        site.fallback(path -> {
            long n = path.startsWith("/n/") ? Long.parseLong(path.substring(3)) : 0; // the fallback sees every path
            return new TestSite.Resource(200, "text/html", bytes("<a href=\"/n/" + (2 * n) + "\">a</a><a href=\"/n/" + (2 * n + 1)
                    + "\">b</a>"), null);
        });

        var run = mirror("--max-pages", "20", "--no-robots", "-P", out.toString(), site.url("/"));

        assertThat(run.status()).as(run.stderr()).isZero();
        assertThat(site.requests()).hasSize(20);
        assertThat(run.stderr()).contains("mirror: reached the limit of 20 URLs").contains("saved 20 files");
        assertThat(walk(host().resolve("index.html")).dangling()).isEmpty();
    }

    /** Endless 100 KiB pages: nothing new is requested once the quota is spent. */
    @Test
    void anEndlessSiteStopsAtTheQuota() throws IOException {
        var filler = "x".repeat(100 * 1024);
        site.html("/", "<a href=\"/n/1\">1</a>");
        site.fallback(path -> {
            long n = path.startsWith("/n/") ? Long.parseLong(path.substring(3)) : 0;
            return new TestSite.Resource(200, "text/html", bytes("<a href=\"/n/" + (n + 1) + "\">next</a>" + filler), null);
        });

        var run = mirror("-Q", "300k", "--concurrency", "1", "--no-robots", "-P", out.toString(), site.url("/"));

        assertThat(run.status()).as(run.stderr()).isZero();
        assertThat(site.requests()).hasSizeBetween(3, 5);
        assertThat(run.stderr()).contains("reached the quota of 307200 bytes");
        assertThat(walk(host().resolve("index.html")).dangling()).isEmpty();
    }

    @Test
    void quotaAndMaxPagesTakeWgetsSpellings() {
        assertThat(mirror("-Q", "inf", "--max-pages", "0", site.url("/")).stderr()).contains("--max-pages must be at least 1");
        assertThat(mirror("--quota", "lots", site.url("/")).stderr()).contains("'lots' is not a quota");
    }

    /** A page with 10,500 links: the first 10,000 are followed, the rest left absolute. */
    @Test
    void aPageWithTooManyLinksHasOnlyTheFirstFollowed() throws IOException {
        var links = new StringBuilder();
        for (int i = 0; i < 10_500; i++) {
            links.append("<a href=\"/p").append(i).append("\">").append(i).append("</a>\n");
        }
        site.html("/", links.toString());
        site.fallback(path -> new TestSite.Resource(404, "text/plain", bytes("no"), null));

        var run = mirror("-depth=1", "--no-robots", "-P", out.toString(), site.url("/"));

        assertThat(run.status()).as(run.stderr()).isZero();
        assertThat(site.requests()).hasSize(10_001).doesNotContain("/p10000");
        assertThat(run.stderr()).contains("only its first 10000 links are followed");
        assertThat(Files.readString(host().resolve("index.html"))).contains("href=\"" + site.url("/p10499") + "\"");
    }

    /** 2 GiB of zeros in 2 MB of gzip: the file fails at --max-size of what it decodes to; nothing of it is saved. */
    @Test
    void aCompressionBombIsCutOffAtTheSizeCap() {
        site.html("/", "<img src=\"bomb.png\"> <a href=\"ok.html\">ok</a>").html("/ok.html", "ok")
                .file("/bomb.png", "image/png", gopl.common.testing.Compressed.bomb(2L << 30)).header("/bomb.png", "Content-Encoding", "gzip");

        var run = mirror("--max-size", "8M", "-P", out.toString(), site.url("/"));

        assertThat(run.status()).as(run.stderr()).isZero();
        assertThat(run.stderr()).contains(site.url("/bomb.png") + ": larger than the size cap of 8388608 bytes once decompressed");
        assertThat(host().resolve("bomb.png")).doesNotExist();
        assertThat(host().resolve("ok.html")).exists();
    }
}
