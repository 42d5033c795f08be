package gopl.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import gopl.common.testing.Eventually;
import gopl.common.testing.ToolProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The real jar, end to end: usage, a whole mirror, Ctrl-C, and progress on a terminal. */
class MirrorIT {
    @TempDir
    Path tmp;

    TestSite site;

    @BeforeEach
    void start() throws IOException {
        site = new TestSite();
    }

    @AfterEach
    void stop() {
        site.close();
    }

    private void serveManyPages(int count, Duration delay) {
        var links = new StringBuilder("<link rel=stylesheet href=site.css>");
        for (int i = 0; i < count; i++) {
            links.append("<a href=\"p").append(i).append(".html\">").append(i).append("</a>\n");
            site.html("/p" + i + ".html", "<img src=\"img/" + i + ".png\"><a href=\"/\">home</a>");
            site.file("/img/" + i + ".png", "image/png", TestSite.bytes("png " + i));
        }
        site.html("/", links.toString()).css("/site.css", "body { background: url(bg.png) }")
                .file("/bg.png", "image/png", TestSite.bytes("bg")).delay(delay);
    }

    @Test
    void helpAndVersion() {
        ToolProcess.assertHelpAndVersion("mirror", "--output", "-depth", "--concurrency", "--no-adjust-extension");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            ftp://example.com/                    | 'ftp://example.com/' is not an http(s) URL
            -depth x http://127.0.0.1:1/          | 'x' is not a depth
            --concurrency 0 http://127.0.0.1:1/   | --concurrency must be at least 1
            --timeout 5 http://127.0.0.1:1/       | '5' is not a duration
            --bogus http://127.0.0.1:1/           | Unknown option: '--bogus'
            -c 5 http://127.0.0.1:1/              | one URL only, not 5 http://127.0.0.1:1/ (-c is wget's --continue here
            ''                                    | Missing required parameter: 'URL'
            """)
    void usageErrorsAreOneLineAndExit2(String args, String message) {
        var result = ToolProcess.run(args.isEmpty() ? new String[0] : args.split(" "));
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).startsWith("mirror: ").contains(message).hasLineCount(1);
    }

    @Test
    void unreachableSiteIsOneLineAndExit1() {
        var result = ToolProcess.run("-P", tmp.toString(), "http://127.0.0.1:1/");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("http://127.0.0.1:1/: ").contains("mirror: could not mirror").doesNotContain("Exception");
    }

    @Test
    void mirrorsASiteAndPrintsASummary() throws IOException {
        serveManyPages(50, Duration.ZERO);

        var result = ToolProcess.run(Duration.ofSeconds(60), new byte[0], "-P", tmp.toString(), "-depth=1", site.url("/"));

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stderr().strip()).hasLineCount(1)
                .matches("mirror: saved 103 files \\(.*\\) in [0-9.]+s; start page: .*/127\\.0\\.0\\.1:\\d+/index\\.html");
        var host = tmp.resolve("127.0.0.1:" + site.port());
        assertThat(MirrorTest.filesUnder(host)).hasSize(103).contains("index.html", "p49.html", "img/49.png", "bg.png");
        assertThat(MirrorTest.walk(host.resolve("index.html")).reached()).hasSize(103);
    }

    @Test
    void ctrlCStopsPromptlyKeepingWholeFiles() throws Exception {
        serveManyPages(300, Duration.ofMillis(200));
        try (var tool = ToolProcess.start("-P", tmp.toString(), "--concurrency", "2", site.url("/"))) {
            Eventually.eventually(Duration.ofSeconds(30), "eight requests", () -> site.requests().size() >= 8);
            tool.sendInterrupt();
            var result = tool.waitFor(Duration.ofSeconds(15));

            assertThat(result.exitCode()).isEqualTo(130);
            assertThat(result.stderr()).contains("mirror: interrupted: saved").doesNotContain("Exception");
        }
        var host = tmp.resolve("127.0.0.1:" + site.port());
        var saved = MirrorTest.filesUnder(host);
        assertThat(saved).contains("index.html").hasSizeLessThan(300).noneMatch(name -> name.contains(".part"));
        for (var name : saved) {
            var content = Files.readString(host.resolve(name));
            assertThat(content).matches(name.endsWith(".html") ? "(?s).*(299</a>\n|home</a>)" : "png \\d+|bg|body .*");
        }
    }

    @Test
    void showsProgressOnATerminal() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "needs script(1) from util-linux to run on a terminal");
        serveManyPages(30, Duration.ofMillis(100));
        var command = new ArrayList<String>();
        for (var arg : ToolProcess.command("-P", tmp.toString(), "--concurrency", "2", site.url("/"))) {
            command.add("'" + arg.replace("'", "'\\''") + "'");
        }
        var script = new ProcessBuilder(List.of("script", "-qec", String.join(" ", command), "/dev/null"))
                .redirectErrorStream(true).start();
        script.getOutputStream().close();
        var output = new String(script.getInputStream().readAllBytes());
        assertThat(script.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(script.exitValue()).as(output).isZero();
        assertThat(output).containsPattern("\r(\033\\[K)?mirror: \\d+ saved, \\d+ queued, [0-9.]+ (B|KiB)").contains("mirror: saved 63 files");
    }
}
