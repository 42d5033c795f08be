package gopl.ftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(10)
class GlobTest {
    private static final List<String> NAMES = List.of("a", "b", "ab", "abc", "abd", "aXc", "a.txt", "b.txt", "txt",
            "report-2024.pdf", "report-2025.pdf", ".hidden", "a[b", "x]y", "héllo", "日本語.txt", "a-b", "zz", "😀.png", "a*b", "a?b");

    /** Patterns whose meaning Java's own glob shares: the same names must match. */
    @ParameterizedTest
    @ValueSource(strings = {"*", "a*", "*.txt", "a?c", "?", "??", "*b*", "a*c", "[ab]*", "[!a]*", "[a-c]??", "report-202[45].pdf",
        "*-*", "*.[tp]??", "[a-b]", "h?llo", "*本*", "*.png", "?.png", "a\\*b", "a\\?b", "*[0-9]*", "**", "a**c"})
    void matchesWhatJavasGlobMatches(String pattern) {
        var glob = Glob.compile(pattern);
        var java = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        for (var name : NAMES) {
            assertThat(glob.matches(name)).as(pattern + " on " + name).isEqualTo(!name.isEmpty() && java.matches(Path.of(name)));
        }
    }

    @ParameterizedTest
    @CsvSource({
        "a[b, a[b, true",
        "a[b, ab, false",
        "[]]*, ]x, true",
        "[!]]*, ]x, false",
        "[^a]*, b, true",
        "[^a]*, a, false",
        "[z-a], m, false",
        "'', '', true",
        "*, '', true",
        "?, '', false",
    })
    void shellCornerCases(String pattern, String name, boolean matches) {
        assertThat(Glob.compile(pattern).matches(name)).isEqualTo(matches);
    }

    @Test
    void theIssuesBombIsAnsweredAtOnce() {
        var name = "a".repeat(40);
        assertThat(Glob.compile("*".repeat(40) + "#").matches(name)).isFalse();
        assertThat(Glob.compile("*a".repeat(40) + "#").matches(name)).isFalse();
        assertThat(Glob.compile("*a".repeat(40)).matches(name)).isTrue();
        assertThat(Glob.compile("*a".repeat(41)).matches(name)).isFalse();
    }

    @Test
    void theLongestPatternAgainstTheLongestNameIsOneQuickPass() {
        var name = "a".repeat(255);
        var worst = Glob.compile("*" + "?".repeat(253) + "b"); // 255 characters, every position alive at every step
        for (int i = 0; i < 10_000; i++) { // 10,000 directory entries' worth: linear time finishes well within the timeout
            assertThat(worst.matches(name)).isFalse();
        }
        assertThat(Glob.compile("a".repeat(255)).matches(name)).isTrue();
    }

    @Test
    void aPatternLongerThanAFileNameIsRefused() {
        assertThatThrownBy(() -> Glob.compile("*".repeat(256))).isInstanceOf(Glob.TooLong.class);
        assertThat(Glob.isPattern("a*")).isTrue();
        assertThat(Glob.isPattern("[x]")).isTrue();
        assertThat(Glob.isPattern("plain.txt")).isFalse();
    }
}
