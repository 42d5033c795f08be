package gopl.du;

import static org.assertj.core.api.Assertions.assertThat;

import gopl.common.StatusLine;
import gopl.common.testing.Eventually;
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
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();

    private List<Roots.Root> roots(String... names) throws IOException {
        var roots = new java.util.ArrayList<Roots.Root>();
        for (var name : names) {
            var path = Files.createDirectories(dir.resolve(name)).toString();
            var root = new Roots.Root(path.getBytes(), roots.size());
            root.size.add(4096);
            roots.add(root);
        }
        return roots;
    }

    private String written() {
        synchronized (out.getBuffer()) {
            return out.toString();
        }
    }

    private void waitFor(String separator, int parts) {
        Eventually.eventually(PATIENCE, parts + " progress lines", () -> written().split(separator, -1).length > parts);
    }

    @Test
    void plainLinesEveryTickShowEachRootsRunningTotals() throws Exception {
        var roots = roots("src", "docs");
        try (var progress = new Progress(roots, Duration.ofMillis(20), StatusLine.off(new PrintWriter(out)))) {
            waitFor("\n", 1);
            roots.get(0).size.add(2 << 20);
            roots.get(0).files.add(1234);
            waitFor("\n", 3);
        }
        var lines = written().split("\n");
        var name0 = dir.resolve("src").toString();
        assertThat(lines[0]).matches("du: \\d+\\.\\ds  " + name0 + " 4\\.0K in 0 files  " + dir.resolve("docs") + " 4\\.0K in 0 files");
        assertThat(lines[lines.length - 1]).contains(name0 + " 2.1M in 1,234 files");
        assertThat(written()).doesNotContain("\r");
    }

    @Test
    void onATerminalOneLineIsRedrawnAndWarningsClearItFirst() throws Exception {
        var roots = roots("a".repeat(100));
        var status = new StatusLine(new PrintWriter(out), StatusLine.Mode.ANSI, 60);
        try (var progress = new Progress(roots, Duration.ofMillis(20), status)) {
            waitFor("\r", 3);
            progress.warn("du: cannot read directory 'x': Permission denied");
        }
        var text = written();
        assertThat(text).doesNotContain("\n" + "du: 0").startsWith("\r");
        // Each drawn line fits the 60 columns and ends with an ellipsis where cut.
        for (var drawn : text.split("\r")) {
            var line = drawn.replace("\033[K", "").strip();
            assertThat(line.length()).isLessThanOrEqualTo(59);
        }
        assertThat(text).contains("…");
        assertThat(text).containsOnlyOnce("du: cannot read directory 'x': Permission denied\n");
        int warning = text.indexOf("du: cannot read");
        assertThat(text.substring(0, warning)).endsWith("\r\033[K");
        assertThat(text).endsWith("\r\033[K"); // erased when done
    }
}
