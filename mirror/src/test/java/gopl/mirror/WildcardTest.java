package gopl.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class WildcardTest {
    @ParameterizedTest
    @CsvSource({"*.pdf, a.pdf, true", "*.pdf, a.pdf.html, false", "a?c, abc, true", "a?c, ac, false", "[a-c]x, bx, true",
        "[!a-c]x, bx, false", "[!a-c]x, dx, true", "*, '', true", "a*b*c, aXbYc, true", "a*b*c, aXcYb, false",
        "\\*.txt, *.txt, true", "\\*.txt, a.txt, false", "[]]x, ]x, true", "[x, [x, true"})
    void matchesAsFnmatch(String pattern, String name, boolean matches) {
        assertThat(Wildcard.matches(pattern, name)).isEqualTo(matches);
    }

    @ParameterizedTest
    @CsvSource({"do*/s?ip, docs/skip, true", "do*/s?ip, docs/a/skip, false", "*, docs, true", "*, docs/sub, false"})
    void aSlashOnlyMatchesASlashInDirectories(String pattern, String path, boolean matches) {
        assertThat(Wildcard.matchesPath(pattern, path)).isEqualTo(matches);
    }

    /** A pattern of many stars against a long name a site chose: linear work per star, not exponential. */
    @Test
    void manyStarsAgainstALongNameEndAtOnce() {
        var pattern = "*a".repeat(30) + "*b";
        var name = "a".repeat(8000);
        assertTimeoutPreemptively(Duration.ofSeconds(1), () -> assertThat(Wildcard.matches(pattern, name)).isFalse());
    }
}
