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
    })
    void usageErrorsAreOneLineAndExit2(String arg, String message) {
        var args = arg.startsWith("-") ? new String[] {arg, "http://127.0.0.1:1/"} : new String[] {arg};
        assertThat(run(args)).isEqualTo(2);
        assertThat(stderr()).startsWith("crawler: ").contains(message).hasLineCount(1);
        assertThat(stdout()).isEmpty();
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
