package gopl.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RobotsTest {
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
        var robots = Robots.parse(ROBOTS, "gopl-mirror/0.1.0");
        assertThat(robots.allows(URI.create("http://h" + path))).isEqualTo(allowed);
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

    @ParameterizedTest
    @CsvSource({"gopl-mirror/1.0, true", "curl/8, false"})
    void anEmptyDisallowAllowsEverything(String userAgent, boolean allowed) {
        var robots = Robots.parse("User-agent: gopl-mirror\nDisallow:\n\nUser-agent: *\nDisallow: /\n", userAgent);
        assertThat(robots.allows(URI.create("http://h/x"))).isEqualTo(allowed);
    }
}
