package gopl.du;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code --sort=size} against GNU du piped through sort; and the inputs a user (or an attacker
 * who chose the file names) controls, each bounded: globs, exclude files, --files0-from names.
 */
class SortAndBoundsTest {
    @TempDir
    static Path base;

    @BeforeAll
    static void tree() {
        Gnu.assumeDu();
        Trees.build(base);
        Gnu.sh(base, "rm -rf deep");
    }

    @ParameterizedTest(name = "du {0} --sort=size = du {0} | {1}")
    @CsvSource(delimiter = '|', textBlock = """
            -ab          | sort -s -n -k1,1
            -a           | sort -s -n -k1,1
            -ah          | sort -s -h -k1,1
            -h -d1 -c    | sort -s -h -k1,1
            -a --inodes  | sort -s -n -k1,1
            -s           | sort -s -n -k1,1
            """)
    void sortsAsSortWouldAfterGnuDu(String options, String sort) {
        for (var root : List.of("links", "order/mixed", "overlap")) {
            var tree = base.resolve(root).toString();
            var gnu = Gnu.run(List.of("sh", "-c", "du " + options + " '" + tree + "' | " + sort));
            var args = (options + " --sort=size " + tree).split(" ");
            assertThat(Gnu.ours((Object[]) args).stdout()).as("du %s on %s", options, root).isEqualTo(gnu.stdout());
        }
    }

    @Test
    void sortingKeepsTheTotalLastAndTiesInDusOrder() {
        var tree = base.resolve("links/a");
        var run = Gnu.ours("-ab", "-c", "--sort=size", tree);
        var lines = run.stdout().lines().toList();
        assertThat(lines.getLast()).endsWith("\ttotal");
        var sizes = lines.stream().limit(lines.size() - 1).map(l -> Long.parseLong(l.split("\t")[0])).toList();
        assertThat(sizes).isSorted();
        // g0 and the empty directory... share size 0 and come in du's order.
        var zeroes = lines.stream().filter(l -> l.startsWith("0\t")).toList();
        var duOrder = Gnu.du("-ab", tree).stdout().lines().filter(l -> l.startsWith("0\t")).toList();
        assertThat(zeroes).isEqualTo(duOrder);
    }

    @Test
    @Timeout(20)
    void aGlobCostsTimeLinearInThePathNotExponential() throws IOException {
        // A backtracking matcher takes 2^20 steps and more on this pattern; fnmatch's single star
        // backtrack takes pattern x path steps.
        var name = "a".repeat(200);
        var dir = Files.createDirectories(base.resolve("globs/" + name + "/" + name));
        Files.write(dir.resolve(name), new byte[10]);
        var pattern = "*a".repeat(20) + "*b";
        for (int i = 0; i < 20; i++) {
            Gnu.ours("-a", "--exclude=" + pattern, base.resolve("globs"));
        }
        Gnu.assertSame("-a", "--exclude=" + pattern, base.resolve("globs"));
        Gnu.assertSame("-a", "--exclude=*a*a*a*[!b]", base.resolve("globs"));
    }

    @Test
    @Timeout(30)
    void anEndlessExcludeFileOrANameWithoutEndIsCutOff() throws IOException {
        var patterns = Gnu.ours("-X", "/dev/zero", base.resolve("links"));
        assertThat(patterns.stderr()).isEqualTo("du: /dev/zero: File too large (see du --help)\n");
        assertThat(patterns.exitCode()).isEqualTo(2);
        var noNul = base.resolve("one-long-name");
        Files.writeString(noNul, "x".repeat(200_000));
        var longName = Gnu.ours("--files0-from=" + noNul);
        assertThat(longName.stderr()).isEqualTo("du: " + noNul + ": a file name longer than 65536 bytes\n");
        assertThat(longName.exitCode()).isEqualTo(1);
    }
}
