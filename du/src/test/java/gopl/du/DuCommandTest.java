package gopl.du;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The command line: options as GNU du spells them, the output format, usage errors. */
class DuCommandTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            --bogus              | du: Unknown option: '--bogus' (see du --help)
            --interval=0         | du: --interval must be at least 1ms (see du --help)
            --interval=soon      | du: Invalid value for option '--interval': 'soon' is not a duration (examples: 500ms, 10s, 1m30s, 2h) (see du --help)
            -interval            | du: Missing required parameter for option '--interval' (DURATION) (see du --help)
            """)
    void usageErrorsAreOneLineAndExitTwo(String args, String message) {
        var run = Gnu.ours((Object[]) args.split(" "));
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).isEqualTo(message + "\n");
        assertThat(run.stdout()).isEmpty();
    }

    @Test
    void helpListsEveryOptionAndHIsHumanReadable() {
        var run = Gnu.ours("--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).contains("Usage: du", "-h, --human-readable", "-b, --bytes", "--apparent-size",
                "-c, --total", "--files", "-x, --one-file-system", "-v, --verbose", "--interval=DURATION",
                "--help", "--version", "Exit status");
        assertThat(Gnu.ours("-help").stdout()).isEqualTo(run.stdout());
        assertThat(Gnu.ours("--version").stdout()).startsWith("du ");
    }

    @Test
    void theLastUnitOptionWinsAsInGnuDu() throws IOException {
        Gnu.assumeDu();
        var file = Files.write(dir.resolve("f"), new byte[123_456]);
        for (var units : new String[] {"-hk", "-kh", "-bk", "-kb", "-mh", "-hm", "-bh", "-hb", "-b", "-m"}) {
            Gnu.assertSame(units, file);
            Gnu.assertSame(units, "--apparent-size", file);
        }
    }

    @Test
    void totalsNulTerminatorsAndFileCounts() throws IOException {
        var a = Files.createDirectories(dir.resolve("a"));
        Files.write(a.resolve("one"), new byte[1000]);
        Files.write(a.resolve("two"), new byte[2000]);
        var b = Files.write(dir.resolve("b"), new byte[500]);

        var run = Gnu.ours("-b", "-c", "-0", "--files", a, b);

        var dirSize = Files.size(a);
        assertThat(run.stdout()).isEqualTo((dirSize + 3000) + "\t2\t" + a + "\0" + "500\t1\t" + b + "\0"
                + (dirSize + 3500) + "\t3\ttotal\0");
        assertThat(run.exitCode()).isZero();
        assertThat(run.stderr()).isEmpty();
    }

    @Test
    void aMissingRootIsWarnedAboutAndTheOthersStillPrinted() throws IOException {
        var b = Files.write(dir.resolve("b"), new byte[500]);
        var run = Gnu.ours("-b", dir.resolve("nope"), b);
        assertThat(run.stdout()).isEqualTo("500\t" + b + "\n");
        assertThat(run.stderr()).isEqualTo("du: cannot access '" + dir.resolve("nope") + "': No such file or directory\n");
        assertThat(run.exitCode()).isEqualTo(1);
    }
}
