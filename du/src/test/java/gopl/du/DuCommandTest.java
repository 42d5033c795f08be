package gopl.du;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The command line beyond GNU du's: our own options, help, and the one-line usage errors. */
class DuCommandTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            --interval=0         | du: --interval must be at least 1ms (see du --help)
            --interval=soon      | du: Invalid value for option '--interval': 'soon' is not a duration (examples: 500ms, 10s, 1m30s, 2h) (see du --help)
            -interval            | du: option '-interval' requires an argument (see du --help)
            --sort=name          | du: invalid argument ‘name’ for ‘--sort’; valid arguments are ‘size’, ‘none’ (see du --help)
            --import=x a         | du: --import reads its tree from the export: no FILE operands or --files0-from (see du --help)
            --export=x a b       | du: --export writes one tree: give one FILE (ncdu and gdu browse one directory) (see du --help)
            """)
    void usageErrorsAreOneLineAndExitTwo(String args, String message) {
        var run = Gnu.ours((Object[]) args.split(" "));
        assertThat(run.stderr()).isEqualTo(message.replace("‘", GnuSyntax.quote("").substring(0, 1))
                .replace("’", GnuSyntax.quote("").substring(1)) + "\n");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stdout()).isEmpty();
    }

    @Test
    void helpListsEveryOptionAndHIsHumanReadable() {
        var run = Gnu.ours("--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).contains("Usage: du", "-h, --human-readable", "-b, --bytes", "--apparent-size",
                "-a, --all", "-d, --max-depth=N", "-s, --summarize", "-S, --separate-dirs", "--exclude=PATTERN",
                "-X, --exclude-from=FILE", "-t, --threshold=SIZE", "--si", "-B, --block-size=SIZE", "--inodes",
                "--time[=WORD]", "--time-style=STYLE", "-L, --dereference", "-H", "-D, --dereference-args",
                "-l, --count-links", "--files0-from=F", "-c, --total", "--files", "-x, --one-file-system",
                "-o, --export=FILE", "--import=FILE", "--sort=KEY", "-v, --verbose", "--interval=DURATION",
                "--help", "--version", "Exit status");
        assertThat(Gnu.ours("-help").stdout()).isEqualTo(run.stdout());
        assertThat(Gnu.ours("--he").stdout()).isEqualTo(run.stdout());
        assertThat(Gnu.ours("--version").stdout()).startsWith("du ");
    }

    @Test
    void fileCountsTotalsAndNulTerminators() throws IOException {
        var a = Files.createDirectories(dir.resolve("a"));
        Files.write(a.resolve("one"), new byte[1000]);
        Files.write(a.resolve("two"), new byte[2000]);
        var b = Files.write(dir.resolve("b"), new byte[500]);

        var run = Gnu.ours("-sb", "-c", "-0", "--files", a, b);

        var dirSize = Files.size(a);
        assertThat(run.stdout()).isEqualTo((dirSize + 3000) + "\t2\t" + a + "\0" + "500\t1\t" + b + "\0"
                + (dirSize + 3500) + "\t3\ttotal\0");
        assertThat(run.exitCode()).isZero();
        assertThat(run.stderr()).isEmpty();
    }

    @Test
    void theBookSpellingsWork() throws IOException {
        var a = Files.createDirectories(dir.resolve("a"));
        var run = Gnu.ours("-v", "-interval=1s", "-s", a);
        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).endsWith("\t" + a + "\n");
        assertThat(run.stderr()).startsWith("du: ").contains(a + " ");
    }
}
