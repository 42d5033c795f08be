package gopl.crawler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(30)
class RobotsTest {
    private static final String AGENT = "gopl-mirror/0.1.0";

    private final TestSite site = new TestSite();

    RobotsTest() throws Exception {}

    @AfterEach
    void stop() throws Exception {
        site.close();
    }

    private static final String ROBOTS = """
            # Comments and CRLF line ends are fine.\r
            User-Agent: *\r
            Disallow: /private/\r
            Allow: /private/ok.html   # more specific: wins\r
            Disallow: /*.pdf$\r
            Disallow: /tmp\r
            Disallow: /page\r
            Allow: /page\r
            Disallow: /a\r
            Allow: /a/b\r
            \r
            User-agent: other-bot\r
            Disallow: /\r
            """;

    @ParameterizedTest
    @CsvSource({
        "/, true", "/index.html, true", "/private/x.html, false", "/private/ok.html, true", "/docs/a.pdf, false",
        "/docs/a.pdf?download=1, true", "/docs/a.pdfx, true", "/tmp, false", "/tmpfile, false", "/TMP, true",
        "/page, true", "/a/b/c, true", "/a/c, false", "/about, false"})
    void appliesTheLongestMatchingRuleOfTheStarGroup(String path, boolean allowed) {
        var robots = Robots.parse(ROBOTS, AGENT);
        assertThat(robots.allows(URI.create("http://h" + path))).isEqualTo(allowed);
    }

    /** A Crawl-delay is seconds, within a year; anything else (NaN, a negative, 1e99, words) is no delay. */
    @ParameterizedTest
    @CsvSource({"2.5, 2500", "0, 0", "10, 10000", "NaN, 0", "-1, 0", "1e99, 0", "Infinity, 0", "soon, 0"})
    void crawlDelayIsSecondsWithinBounds(String value, long millis) {
        var robots = Robots.parse("User-agent: *\nDisallow: /x\nCrawl-delay: " + value + "\n", AGENT);
        assertThat(robots.crawlDelay()).isEqualTo(java.time.Duration.ofMillis(millis));
    }

    @Test
    void crawlDelayComesFromOurGroup() {
        var text = "User-agent: *\nCrawl-delay: 1\n\nUser-agent: other-bot\nCrawl-delay: 5\n";
        assertThat(Robots.parse(text, AGENT).crawlDelay()).isEqualTo(java.time.Duration.ofSeconds(1));
        assertThat(Robots.parse(text + "\nUser-agent: gopl-mirror\nCrawl-delay: 3\n", AGENT).crawlDelay())
                .isEqualTo(java.time.Duration.ofSeconds(3));
    }

    @ParameterizedTest
    @CsvSource({"/, true", "/secret/x, false", "/public, true"})
    void aGroupForOurProductTokenReplacesTheStarGroup(String path, boolean allowed) {
        var robots = Robots.parse("""
                User-agent: *
                Disallow: /

                User-agent: someone-else
                User-agent: GOPL-Mirror
                Disallow: /secret
                """, "gopl-mirror/0.1.0");
        assertThat(robots.allows(URI.create("http://h" + path))).isEqualTo(allowed);
    }

    /** A regular expression took exponential time on this (many stars, a long path, no match). */
    @Test
    void matchingIsLinearOnManyStarsAndALongPath() {
        var rule = "Disallow: /" + "*a".repeat(200) + "*b\nDisallow: /" + "*a".repeat(200) + "$\n";
        var robots = Robots.parse("User-agent: *\n" + rule, AGENT);
        var path = URI.create("http://h/" + "a".repeat(8000) + "c");

        boolean allowed = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> robots.allows(path));
        assertThat(allowed).isTrue();
        assertThat(robots.allows(URI.create("http://h/" + "a".repeat(300) + "xb"))).isFalse();
        assertThat(robots.allows(URI.create("http://h/" + "a".repeat(300)))).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"/x/*/y$, /x/a/b/y, false", "/x/*/y$, /x/a/y/z, true", "/*$, /anything, false", "/a*b*c, /aXbYcZ, false",
        "/a*b*c, /acb, true", "/ab*ab$, /abab, false", "/ab*ab$, /aba, true", "/aab, /aaab, true", "*/z, /y/z, false"})
    void wildcardsAndAnchors(String rule, String path, boolean allowed) {
        var robots = Robots.parse("User-agent: *\nDisallow: " + rule + "\n", AGENT);
        assertThat(robots.allows(URI.create("http://h" + path))).isEqualTo(allowed);
    }

    @Test
    void followsUpToFiveRedirects() {
        site.redirect("/robots.txt", 301, "/r1").redirect("/r1", 302, "/r2").redirect("/r2", 302, "/r3")
                .redirect("/r3", 307, "/r4").redirect("/r4", 308, "/real.txt")
                .respond("/real.txt", Duration.ZERO, 200, "text/plain", "User-agent: *\nDisallow: /private\n");
        var robots = Robots.fetch(site.uri("/"), AGENT, Duration.ofSeconds(10));

        assertThat(robots.allows(site.uri("/private/x"))).isFalse();
        assertThat(robots.allows(site.uri("/public"))).isTrue();
        assertThat(robots.unreachable()).isNull();
    }

    @Test
    void sixRedirectsMeanNoRules() {
        site.redirect("/robots.txt", 301, "/r1").redirect("/r1", 302, "/r2").redirect("/r2", 302, "/r3")
                .redirect("/r3", 307, "/r4").redirect("/r4", 308, "/r5").redirect("/r5", 308, "/real.txt")
                .respond("/real.txt", Duration.ZERO, 200, "text/plain", "User-agent: *\nDisallow: /\n");
        assertThat(Robots.fetch(site.uri("/"), AGENT, Duration.ofSeconds(10)).allows(site.uri("/x"))).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"404, true", "403, true", "410, true", "500, false", "503, false"})
    void aClientErrorAllowsAllAndAServerErrorDisallowsAll(int status, boolean allowed) {
        site.respond("/robots.txt", Duration.ZERO, status, "text/plain", "User-agent: *\nAllow: /\n");
        var robots = Robots.fetch(site.uri("/"), AGENT, Duration.ofSeconds(10));

        assertThat(robots.allows(site.uri("/x"))).isEqualTo(allowed);
        assertThat(robots.unreachable()).isEqualTo(allowed ? null : gopl.common.Http.statusText(status));
    }

    @Test
    void anUnreachableSiteDisallowsAll() {
        var robots = Robots.fetch(URI.create("http://127.0.0.1:1/"), AGENT, Duration.ofSeconds(10));
        assertThat(robots.allows(URI.create("http://127.0.0.1:1/x"))).isFalse();
        assertThat(robots.unreachable()).isEqualTo("connection refused");
    }

    /** A robots.txt that drips a byte at a time is cut off by a deadline for the whole body: unreachable. */
    @Test
    void aDrippingRobotsTxtIsCutOffByTheDeadline() throws Exception {
        site.hang("/robots.txt");
        var robots = Robots.fetch(site.uri("/"), AGENT, Duration.ofMillis(700));

        assertThat(robots.allows(site.uri("/x"))).isFalse();
        assertThat(robots.unreachable()).isEqualTo("timed out after 700ms");
        CrawlerTest.await(() -> site.disconnects.get() == 1);
    }

    @Test
    void onlyTheFirst512KiBAreRead() {
        var big = "User-agent: *\nDisallow: /early\n# " + "x".repeat(Robots.MAX_SIZE) + "\nDisallow: /late\n";
        site.respond("/robots.txt", Duration.ZERO, 200, "text/plain", big);
        var robots = Robots.fetch(site.uri("/"), AGENT, Duration.ofSeconds(10));

        assertThat(robots.text()).hasSize(Robots.MAX_SIZE);
        assertThat(robots.allows(site.uri("/early"))).isFalse();
        assertThat(robots.allows(site.uri("/late"))).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"gopl-mirror/1.0, true", "curl/8, false"})
    void anEmptyDisallowAllowsEverything(String userAgent, boolean allowed) {
        var robots = Robots.parse("User-agent: gopl-mirror\nDisallow:\n\nUser-agent: *\nDisallow: /\n", userAgent);
        assertThat(robots.allows(URI.create("http://h/x"))).isEqualTo(allowed);
    }
}
