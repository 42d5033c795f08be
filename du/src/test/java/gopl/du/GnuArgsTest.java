package gopl.du;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The command line as people type it, read as GNU du's getopt_long reads it: clusters, attached
 * and separate values, abbreviations, options after the files, {@code --}. Each line runs in a
 * directory with files named like options, so a misread shows. Mistakes give GNU's message on
 * one line, and exit 2 (the tools' rule for usage errors) where GNU exits 1.
 */
class GnuArgsTest {
    @TempDir
    Path dir;

    @BeforeEach
    void tree() throws IOException {
        Gnu.assumeDu();
        for (var name : List.of("a/b/c", "atime")) {
            Files.createDirectories(dir.resolve(name));
        }
        Files.write(dir.resolve("a/b/c/data"), new byte[70_000]);
        Files.write(dir.resolve("a/f"), new byte[3_000]);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-h -d1 a", "-ah a", "-sh a atime", "--max-depth=1 a", "--max-depth 1 a", "-d1 a",
        "-d 1 a", "-hd1 a", "--max=1 a", "--sum a", "--summ -- -s", "a -s", "a -d 1 -h", "-- -d1", "-s -- -s -d1",
        "-t-4K -a a", "-t -4K -a a", "--threshold -4K -a a", "--thr=4K -a a", "-B1K a", "-B 1K a", "--block=1K a",
        "--block-size 1M a", "--app -s a", "--time atime", "--time=a -s a", "--time=st -s a", "--time-style=l --time a",
        "-ab -k a", "-bk a", "-kb a", "-a -0 a", "-s0 a", "-xs a", "-cs a atime", "--tot -s a", "--in -s a",
        "--dereference-a -s a", "--no-d -s a", "--null -s a", "--one -s a", "--sep a", "--si -s a", "-S -- a",
        "-l -s a a", "--count -s a a", "--exclude=c a", "--exclude c a", "--exclude=c -- a", "-X /dev/null a",
        "--exclude-f /dev/null a", "-d 010 a", "-d 0x1 a", "-d ' 1' a", "-t 0x1000 -a a", "-t 1KB -a a",
        "-t 1KiB -a a", "-t 1kD -a a", "-B 0x10 -s a", "-B 010K -s a", "-BK -s a", "-Bk -s a", "-B KiB -s a",
        "-B hu -s a", "-B si -s a", "-B \"'1\" -s a", "-s a/ a//", "-s -- ''", "-s ./a/../a"})
    void readsTheCommandLineAsGnuDu(String line) {
        Gnu.assertSame(args(line));
    }

    @ParameterizedTest
    @ValueSource(strings = {"--bogus", "--bogus=1", "-q", "-aq", "--tim a", "--ti=x a", "--exclu=x a", "-d", "-d x",
        "-d -1", "--max-depth", "--max-depth=", "--sum=3 a", "-a -s a", "-s -d 1 a", "-t", "-t x", "-t 1x",
        "--threshold=x", "-t -0", "-t 99999999999999999999", "--threshold=9E", "-B", "-B 0", "-B x", "-B 1x",
        "--block-size=99999999999999999999999", "-B 1Z", "-Be", "--time=mtime a", "--time= a", "--time=x a",
        "--time --time-style=bogus a", "--time --time-style=posix-iso a", "--time --time-style= a",
        "--files0-from=/dev/null a", "-X /no/such/file a", "--files0-from=/no/such/file"})
    void reportsMistakesAsGnuDuWordsThem(String line) {
        var args = args(line);
        var gnu = Gnu.du(args);
        var ours = Gnu.ours(args);
        assertThat(ours.stdout()).isEqualTo(gnu.stdout());
        if (ours.exitCode() == 2) {
            // A usage error: GNU's words on one line (its further lines folded in), then the tools' hint.
            var gnuLines = gnu.stderr().lines().filter(l -> !l.startsWith("Try 'du --help'")).toList();
            assertThat(ours.stderr()).startsWith(oneLine(gnuLines)).endsWith(" (see du --help)\n");
            assertThat(ours.stderr().lines().count()).isEqualTo(1);
            assertThat(gnu.exitCode()).isEqualTo(1);
        } else {
            assertThat(ours.stderr()).isEqualTo(gnu.stderr());
            assertThat(ours.exitCode()).isEqualTo(gnu.exitCode());
        }
    }

    /** GNU's lines as ours folds them: "invalid argument ... for ‘--time’; valid arguments are ...". */
    private static String oneLine(List<String> lines) {
        var first = lines.getFirst();
        return lines.size() > 1 && lines.get(1).equals("Valid arguments are:") ? first + "; valid arguments are"
                : lines.size() > 1 && lines.get(1).startsWith("file operands") ? first + "; " + lines.get(1) : first;
    }

    /** A line split as a shell would (single and double quotes only). */
    private Object[] args(String line) {
        var args = new ArrayList<String>();
        var word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (char c : line.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == ' ') {
                if (inWord) {
                    args.add(word.toString());
                }
                word.setLength(0);
                inWord = false;
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            args.add(word.toString());
        }
        // Files under the test's directory; "-s" and "-d1" after "--" stay relative names that do
        // not exist, so that both du must say they cannot access them.
        return args.stream().map(a -> a.startsWith("a") || a.startsWith("./a") ? dir + "/" + a : a).toArray();
    }
}
