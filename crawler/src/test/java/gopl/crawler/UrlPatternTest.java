package gopl.crawler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class UrlPatternTest {
    @Test
    void findsThePatternAnywhereInTheUrl() {
        var pattern = UrlPattern.compile("\\.pdf$|/private/");
        assertThat(pattern.find("http://h/a/b.pdf")).isTrue();
        assertThat(pattern.find("http://h/private/x")).isTrue();
        assertThat(pattern.find("http://h/a.pdf.html")).isFalse();
    }

    @Test
    void aBadPatternIsAMessageForTheUser() {
        assertThatThrownBy(() -> UrlPattern.compile("a(b")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'a(b' is not a regular expression: Unclosed group");
    }

    /**
     * A site's URL against a pattern that backtracks exponentially: java.util.regex alone takes
     * longer than the age of the universe on this; bounded, it gives up (no match) at once.
     */
    @Test
    void aUrlThatMakesThePatternBacktrackIsNoMatchWithinASecond() {
        var pattern = UrlPattern.compile("(a|aa)+$");
        var url = "http://h/" + "a".repeat(5000) + "!";
        assertTimeoutPreemptively(Duration.ofSeconds(1), () -> assertThat(pattern.find(url)).isFalse());
        assertThat(pattern.find("http://h/aaaa")).isTrue();
    }
}
