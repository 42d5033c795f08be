package gopl.crawler;

import static org.assertj.core.api.Assertions.assertThat;

import gopl.common.ByteSize;
import gopl.common.testing.InProcess;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The command in process: what it prints and the exit status, against a local site. */
class CrawlerCommandTest {
    private final TestSite site = new TestSite();
    private final InProcess io = new InProcess();

    CrawlerCommandTest() throws Exception {}

    @AfterEach
    void stop() throws Exception {
        site.close();
    }

    private int run(String... args) {
        return io.run(new CrawlerCommand(), args);
    }

    private String stdout() {
        return io.stdout();
    }

    private String stderr() {
        return io.stderr();
    }

    @Test
    void printsEveryUrlWithinTheDepthOnceAndASummaryOnStderr() {
        site.page("/", "/a", "/b", "/a").page("/a", "/b", "/c").page("/b", "/a").page("/c", "/d").page("/d");

        assertThat(run("-depth=2", site.uri("/").toString())).isZero();
        assertThat(stdout().lines()).containsExactlyInAnyOrder(
                site.uri("/").toString(), site.uri("/a").toString(), site.uri("/b").toString(), site.uri("/c").toString());
        assertThat(stderr()).isEqualTo("crawler: " + stderr().substring(9).lines().findFirst().orElseThrow() + "\n")
                .startsWith("crawler: 4 URLs found, 4 fetched (");
    }

    @Test
    void goAndGnuSpellingsAgree() {
        site.page("/", "/a").page("/a", "/b").page("/b");
        assertThat(run("--depth", "1", "--concurrency", "2", "--timeout", "5s", site.uri("/").toString())).isZero();
        assertThat(stdout().lines()).hasSize(2);
    }

    @Test
    void sameHostKeepsTheCrawlOnTheStartHosts() {
        var otherName = "http://localhost:" + site.uri("/").getPort() + "/other";
        site.page("/", "/a", otherName).page("/a").page("/other");

        assertThat(run("--same-host", site.uri("/").toString())).isZero();
        assertThat(stdout().lines()).containsExactlyInAnyOrder(site.uri("/").toString(), site.uri("/a").toString());
        assertThat(site.requests).containsExactlyInAnyOrder("/robots.txt", "/", "/a");
    }

    @Test
    void errorsGoToStderrPerUrlWithoutStoppingTheCrawl() {
        site.page("/", "/missing", "/a").page("/a");

        assertThat(run(site.uri("/").toString())).isZero();
        assertThat(stderr()).contains("crawler: " + site.uri("/missing") + ": 404 Not Found\n");
        assertThat(stdout().lines()).contains(site.uri("/a").toString());
    }

    @Test
    void failsWhenEveryStartUrlFails() {
        assertThat(run(site.uri("/nothing").toString(), site.uri("/neither").toString())).isEqualTo(1);
        assertThat(stderr()).contains(site.uri("/nothing") + ": 404 Not Found");
    }

    @Test
    void aSchemelessStartUrlMeansHttp() {
        site.page("/");
        var hostPort = site.uri("/").getAuthority();
        assertThat(run(hostPort)).isZero();
        assertThat(stdout()).isEqualTo(site.uri("/") + "\n");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "-depth=-1 | '-1' is not a depth",
        "-depth=deep | 'deep' is not a depth",
        "--timeout=soon | 'soon' is not a duration",
        "--timeout=0 | --timeout must be more than 0",
        "--concurrency=0 | --concurrency must be at least 1",
        "--max-size=lots | 'lots' is not a size",
        "ftp://example.com/ | 'ftp://example.com/' is not an http(s) URL",
        "--no-such-option | Unknown option",
        "-c | Unknown option: '-c'",
        "--max-per-host=0 | --max-per-host must be at least 1",
        "--include=a(b | 'a(b' is not a regular expression",
        "--format=xml | Invalid value for option '--format'",
        "--wait=soon | 'soon' is not a wait",
    })
    void usageErrorsAreOneLineAndExit2(String arg, String message) {
        var args = arg.startsWith("-") ? new String[] {arg, "http://127.0.0.1:1/"} : new String[] {arg};
        assertThat(run(args)).isEqualTo(2);
        assertThat(stderr()).startsWith("crawler: ").contains(message).hasLineCount(1);
        assertThat(stdout()).isEmpty();
    }

    /** --format jsonl: each URL once it is done, with its depth, status and referrer; a redirect's location, an error. */
    @Test
    void jsonLinesTellWhatBecameOfEachUrl() {
        site.respond("/robots.txt", Duration.ZERO, 200, "text/plain", "User-agent: *\nDisallow: /private\n")
                .page("/", "/a", "/missing", "/old", "/private")
                .page("/a", "/a2")
                .page("/a2")
                .redirect("/old", 301, "/new")
                .page("/new");
        var root = site.uri("/").toString();

        assertThat(run("--format", "jsonl", root)).isZero();

        assertThat(stdout().lines().sorted()).containsExactly(
                "{\"url\":\"" + root + "\",\"depth\":0,\"status\":200,\"referrer\":null}",
                "{\"url\":\"" + root + "a\",\"depth\":1,\"status\":200,\"referrer\":\"" + root + "\"}",
                "{\"url\":\"" + root + "a2\",\"depth\":2,\"status\":200,\"referrer\":\"" + root + "a\"}",
                "{\"url\":\"" + root + "missing\",\"depth\":1,\"status\":404,\"referrer\":\"" + root + "\",\"error\":\"404 Not Found\"}",
                "{\"url\":\"" + root + "new\",\"depth\":1,\"status\":200,\"referrer\":\"" + root + "old\"}",
                "{\"url\":\"" + root + "old\",\"depth\":1,\"status\":301,\"referrer\":\"" + root + "\",\"location\":\"" + root
                        + "new\"}",
                "{\"url\":\"" + root + "private\",\"depth\":1,\"status\":null,\"referrer\":\"" + root
                        + "\",\"error\":\"disallowed by robots.txt\"}");
        assertThat(site.requests).doesNotContain("/private");
    }

    @Test
    void jsonStringsEscapeWhatJsonMust() {
        var json = new StringBuilder();
        JsonLines.string(json, "a\"b\\c\nd\u0001e\u2028");
        assertThat(json).hasToString("\"a\\\"b\\\\c\\nd\\u0001e\\u2028\"");
    }

    @Test
    void includeAndExcludeChooseTheUrlsFollowed() {
        site.page("/", "/docs/a", "/docs/b.pdf", "/blog/c").page("/docs/a").page("/blog/c");
        site.respond("/docs/b.pdf", Duration.ZERO, 200, "application/pdf", "pdf");

        assertThat(run("--include", "/docs/", "--exclude", "\\.pdf$", site.uri("/").toString())).isZero();

        assertThat(stdout().lines()).containsExactlyInAnyOrder(site.uri("/").toString(), site.uri("/docs/a").toString());
        assertThat(site.requests).containsExactlyInAnyOrder("/robots.txt", "/", "/docs/a");
    }

    @Test
    void robotsTxtIsHonouredUnlessTurnedOff() {
        site.respond("/robots.txt", Duration.ZERO, 200, "text/plain", "User-agent: *\nDisallow: /private\n")
                .page("/", "/private").page("/private");

        assertThat(run(site.uri("/").toString())).isZero();
        assertThat(stdout().lines()).contains(site.uri("/private").toString());
        assertThat(site.requests).doesNotContain("/private");
        assertThat(stderr()).contains("1 disallowed by robots.txt");

        assertThat(run("-e", "robots=off", site.uri("/").toString())).isZero();
        assertThat(site.requests).contains("/private");
    }

    @Test
    void aUrlIsRequired() {
        assertThat(run()).isEqualTo(2);
        assertThat(stderr()).hasLineCount(1).contains("URL");
    }

    @Test
    void sizesAndDepthsConvert() {
        assertThat(new ByteSize().convert("10M")).isEqualTo(10L << 20);
        assertThat(new ByteSize().convert("512k")).isEqualTo(512L << 10);
        assertThat(new ByteSize().convert("1234")).isEqualTo(1234L);
        assertThat(new DepthConverter().convert("inf")).isEqualTo(Crawler.UNLIMITED);
        assertThat(new DepthConverter().convert("0")).isZero();
        assertThat(Duration.ofSeconds(30)).isEqualTo(new CrawlerCommand().timeout);
    }
}
