package gopl.du;

import static org.assertj.core.api.Assertions.assertThat;

import gopl.common.testing.Eventually;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --export}: read back by the real ncdu and gdu, which must see exactly what they see when
 * they scan the tree themselves; and {@code --import}, which must print what GNU du prints for
 * the directory. On the hostile trees of {@link Trees} (but the one of more than 10,000 entries,
 * which ncdu lists in directory order where fts sorts it).
 */
class ExportTest {
    private static final List<String> TREES = List.of("links", "sparse", "names", "symlinks", "deep", "overlap",
            "order/mixed");

    @TempDir
    static Path base;

    @BeforeAll
    static void build() {
        Gnu.assumeDu();
        Trees.build(base);
    }

    @AfterAll
    static void removeTheDeepTree() {
        Gnu.sh(base, "rm -rf deep");
    }

    private static Path tree(String name) throws IOException {
        return base.resolve(name).toRealPath();
    }

    /** Our export of a tree, as a file. */
    private static Path export(String name, Object... options) throws IOException {
        var file = Files.createTempFile(base, "export", ".json");
        var args = new ArrayList<Object>(List.of("--export", file));
        args.addAll(List.of(options));
        args.add(tree(name));
        var run = Gnu.ours(args.toArray());
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        return file;
    }

    /** An export as ncdu understands it: loaded with ncdu -f and written again, without the metadata. */
    private static String throughNcdu(Path export) {
        var run = Gnu.run(List.of("ncdu", "-f", export.toString(), "-o", "-"));
        assertThat(run.exitCode()).as("ncdu -f: %s", run.stderr()).isZero();
        return run.stdout().replaceFirst("^\\[1,2,\\{[^}]*\\}", "[1,2,{}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"links", "sparse", "names", "symlinks", "deep", "overlap", "order/mixed"})
    void ncduReadsOurExportAsItsOwnScan(String name) throws IOException {
        Gnu.assume("ncdu", "ncdu");
        var ncdus = Files.createTempFile(base, "ncdu", ".json");
        var scan = Gnu.run(List.of("ncdu", "-0", "-o", ncdus.toString(), tree(name).toString()));
        assertThat(scan.exitCode()).as(scan.stderr()).isZero();
        assertThat(throughNcdu(export(name))).isEqualTo(throughNcdu(ncdus));
    }

    @ParameterizedTest
    @ValueSource(strings = {"links", "sparse", "names", "symlinks", "overlap", "order/mixed"})
    void gduReadsOurExportAsItReadsNcdus(String name) throws IOException {
        Gnu.assume("gdu", "gdu");
        Gnu.assume("ncdu", "ncdu");
        var ncdus = Files.createTempFile(base, "ncdu", ".json");
        Gnu.run(List.of("ncdu", "-0", "-o", ncdus.toString(), tree(name).toString()));
        var ours = export(name);
        for (var options : List.of(List.of("-n", "-p", "--no-prefix"), List.of("-n", "-p", "-a", "--no-prefix"),
                List.of("-n", "-p", "-s", "--no-prefix"))) {
            var gduOurs = gdu(options, ours);
            assertThat(gduOurs.exitCode()).as(gduOurs.stderr()).isZero();
            assertThat(gduOurs.stdout()).as("gdu %s", options).isEqualTo(gdu(options, ncdus).stdout()).isNotEmpty();
        }
    }

    private static Gnu.Run gdu(List<String> options, Path file) {
        var command = new ArrayList<>(List.of("gdu"));
        command.addAll(options);
        command.addAll(List.of("-f", file.toString()));
        return Gnu.run(command);
    }

    @Test
    void importPrintsWhatGnuDuPrintsForTheDirectory() throws IOException {
        for (var name : TREES) {
            var ours = export(name);
            var ncdus = Files.createTempFile(base, "ncdu", ".json");
            Gnu.run(List.of("ncdu", "-0", "-o", ncdus.toString(), tree(name).toString()));
            for (var options : List.of("", "-a", "-s", "-d1", "-h", "-ab", "-S", "-c", "--inodes", "-t 8K",
                    "-a --exclude=g1*", "-sh --si", "-l")) {
                var args = new ArrayList<Object>();
                for (var option : options.split(" ")) {
                    if (!option.isEmpty()) {
                        args.add(option);
                    }
                }
                var gnu = Gnu.du(concat(args, tree(name)));
                assertThat(Gnu.ours(concat(args, "--import=" + ours)).stdout()).as("du %s on %s", options, name)
                        .isEqualTo(gnu.stdout());
                if (Files.size(ncdus) > 0) { // ncdu's own export, hard links and all, reads the same
                    assertThat(Gnu.ours(concat(args, "--import=" + ncdus)).stdout())
                            .as("du %s --import (ncdu's) on %s", options, name).isEqualTo(gnu.stdout());
                }
            }
        }
    }

    private static Object[] concat(List<Object> args, Object last) {
        var all = new ArrayList<>(args);
        all.add(last);
        return all.toArray();
    }

    @Test
    void ncduBrowsesTheExportInATerminal() throws IOException {
        Gnu.assume("ncdu", "ncdu");
        Gnu.assume("tmux", "tmux");
        var export = export("links");
        var session = "du-export-" + ProcessHandle.current().pid();
        var started = Gnu.run(List.of("tmux", "new-session", "-d", "-s", session, "-x", "100", "-y", "20",
                "ncdu -f " + export), null, Map.of("TERM", "xterm"));
        assertThat(started.exitCode()).as(started.stderr()).isZero();
        try {
            var screen = new String[1];
            Eventually.eventually(Duration.ofSeconds(30), "ncdu draws the export", () -> {
                screen[0] = Gnu.run(List.of("tmux", "capture-pane", "-t", session, "-p")).stdout();
                return screen[0].contains("Total disk usage");
            });
            var gnuTotal = Gnu.du("-sh", tree("links")).stdout().split("\t")[0];
            assertThat(screen[0]).contains("[imported]", "--- " + tree("links") + " ", "/a", "/b",
                    "Total disk usage: " + gnuTotal.replace("K", ".0 KiB"));
        } finally {
            Gnu.run(List.of("tmux", "kill-session", "-t", session));
        }
    }

    @Test
    void anExportToStdoutReplacesTheLinesAndACutShortOneIsStillJson() throws IOException {
        var run = Gnu.ours("-o", "-", "-s", tree("overlap"));
        assertThat(run.stdout()).startsWith("[1,2,{\"progname\":\"du\"").endsWith("]]\n")
                .contains("{\"name\":\"" + tree("overlap") + "\"").doesNotContain("\t");
        var broken = Files.writeString(base.resolve("broken.json"), "[1,2,{},\n[{\"name\":\"/x\"},\n{\"name\":\"f\",\"asize\":5",
                StandardCharsets.UTF_8);
        var imported = Gnu.ours("--import", broken);
        assertThat(imported.exitCode()).isEqualTo(1);
        assertThat(imported.stderr()).isEqualTo("du: cannot import " + broken
                + ": not an ncdu export (unexpected end of file at byte 46)\n");
    }

    @Test
    void hostileImportsAreRefusedInBoundedTimeAndMemory() throws IOException {
        var nested = base.resolve("nested.json");
        Files.writeString(nested, "[1,2,{\"x\":" + "[".repeat(2_000_000) + "]]");
        var deep = base.resolve("deep.json");
        Files.writeString(deep, "[1,2,{},[{\"name\":\"/r\"}" + ",[{\"name\":\"dddddddd\"}".repeat(150_000)
                + "]".repeat(150_001) + "]");
        var longName = base.resolve("long.json");
        Files.writeString(longName, "[1,2,{},[{\"name\":\"" + "x".repeat(1_000_000) + "\"}]]");
        var bigNumber = base.resolve("number.json");
        Files.writeString(bigNumber, "[1,2,{},[{\"name\":\"/r\",\"asize\":" + "9".repeat(100_000) + "}]]");
        for (var file : Map.of(nested, "nested deeper than 1000", deep, "a path longer than 1048576 bytes",
                longName, "a string longer than 65536 bytes", bigNumber, "a number too large").entrySet()) {
            var run = Gnu.ours("-s", "--import", file.getKey());
            assertThat(run.exitCode()).as(run.stderr()).isEqualTo(1);
            assertThat(run.stderr()).contains(file.getValue());
        }
    }
}
