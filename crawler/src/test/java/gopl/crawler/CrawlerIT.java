package gopl.crawler;

import static gopl.crawler.CrawlerTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import gopl.common.testing.ToolProcess;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The real jar: exactly-once output, and cancellation by SIGINT or a line on stdin. */
class CrawlerIT {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private final TestSite site = new TestSite();

    CrawlerIT() throws Exception {}

    @AfterEach
    void stop() throws Exception {
        site.close();
    }

    @Test
    void printsEachUrlOnce() {
        site.page("/", "/a", "/b").page("/a", "/", "/b").page("/b", "/a", "/c").page("/c", "/");

        var result = ToolProcess.run(PATIENCE, new byte[0], "-depth=3", site.uri("/").toString());
        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout().lines()).containsExactlyInAnyOrder(
                site.uri("/").toString(), site.uri("/a").toString(), site.uri("/b").toString(), site.uri("/c").toString());
    }

    @Test
    void sigintCancelsEveryRequestPrintsASummaryAndExits130() throws Exception {
        hangingSite();
        try (var tool = ToolProcess.start("--timeout", "10m", site.uri("/").toString())) {
            await(() -> site.hanging.get() == 3);

            tool.sendInterrupt();
            var result = tool.waitFor(PATIENCE);
            assertThat(result.exitCode()).isEqualTo(130);
            assertThat(result.stderr()).startsWith("crawler: cancelled: 5 URLs found, 2 fetched").hasLineCount(1);
            assertThat(result.stdout().lines()).containsExactlyInAnyOrder(
                    site.uri("/").toString(), site.uri("/a").toString(), site.uri("/h1").toString(),
                    site.uri("/h2").toString(), site.uri("/h3").toString());
            await(() -> site.disconnects.get() == 3);
        }
    }

    @Test
    void aLineOnStdinCancelsWithCancelOnInput() throws Exception {
        hangingSite();
        try (var tool = ToolProcess.start("--cancel-on-input", "--timeout", "10m", site.uri("/").toString())) {
            await(() -> site.hanging.get() == 3);

            var stdin = tool.process().getOutputStream();
            stdin.write("\n".getBytes(StandardCharsets.UTF_8));
            stdin.flush();
            var result = tool.waitFor(PATIENCE);
            assertThat(result.exitCode()).isEqualTo(130);
            assertThat(result.stderr()).startsWith("crawler: cancelled: ").hasLineCount(1);
            await(() -> site.disconnects.get() == 3);
        }
    }

    private void hangingSite() {
        site.page("/", "/a", "/h1", "/h2").page("/a", "/h3").hang("/h1").hang("/h2").hang("/h3");
    }
}
