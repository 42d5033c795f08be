package gopl.du;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code -v}: ticks of running totals, plain or redrawn in place, and warnings that do not garble them. */
class ProgressTest {
    @TempDir
    Path dir;

    private List<Roots.Root> roots(String... names) throws IOException {
        var paths = new java.util.ArrayList<String>();
        for (var name : names) {
            paths.add(Files.createDirectories(dir.resolve(name)).toString());
        }
        return new DiskUsage(Inodes.best(m -> {}), false, m -> {}).roots(paths);
    }

    private static String waitForLines(StringWriter out, int lines) throws InterruptedException {
        for (int i = 0; i < 3000; i++) {
            synchronized (out) {
                if (out.toString().split("\n", -1).length > lines) {
                    return out.toString();
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("fewer than " + lines + " progress lines in 30s: " + out);
    }

    @Test
    void plainLinesEveryTickShowEachRootsRunningTotals() throws Exception {
        var roots = roots("src", "docs");
        var out = new StringWriter();
        var err = new PrintWriter(out);
        try (var progress = new Progress(roots, false, Duration.ofMillis(20), err, false, 80)) {
            waitForLines(out, 1);
            roots.get(0).add(2 * 1024 * 2, 0, 1234); // 2 MiB in 512-byte blocks
            waitForLines(out, 3);
        }
        var lines = out.toString().split("\n");
        var name0 = dir.resolve("src").toString();
        assertThat(lines[0]).matches("du: \\d+\\.\\ds  " + name0 + " 4\\.0K in 0 files  " + dir.resolve("docs") + " 4\\.0K in 0 files");
        assertThat(lines[lines.length - 1]).contains(name0 + " 2.1M in 1,234 files");
        assertThat(out.toString()).doesNotContain("\r");
    }

    @Test
    void onATerminalOneLineIsRedrawnAndWarningsClearItFirst() throws Exception {
        var roots = roots("a".repeat(100));
        var out = new StringWriter();
        var err = new PrintWriter(out);
        try (var progress = new Progress(roots, true, Duration.ofMillis(20), err, true, 60)) {
            for (int i = 0; i < 3000 && out.toString().split("\r").length < 4; i++) {
                Thread.sleep(10);
            }
            progress.warn("du: cannot read directory 'x': Permission denied");
        }
        var text = out.toString();
        assertThat(text).doesNotContain("\n" + "du: 0").startsWith("\r");
        assertThat(text.split("\r").length).isGreaterThan(3);
        // Each drawn line fits the 60 columns and ends with an ellipsis where cut.
        for (var drawn : text.split("\r")) {
            var line = drawn.replace("\033[K", "").strip();
            assertThat(line.length()).isLessThanOrEqualTo(59);
        }
        assertThat(text).contains("…");
        assertThat(text).containsOnlyOnce("du: cannot read directory 'x': Permission denied\n");
        int warning = text.indexOf("du: cannot read");
        assertThat(text.substring(0, warning)).endsWith("\r" + (text.contains("\033[K") ? "\033[K" : " ".repeat(59) + "\r"));
    }
}
