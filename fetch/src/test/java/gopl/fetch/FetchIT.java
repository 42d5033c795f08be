package gopl.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import gopl.common.testing.ToolProcess;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The real jar: body bytes on stdout, URLs from stdin for --all, and nothing left hanging. */
class FetchIT {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final TestServer server = new TestServer();

    FetchIT() throws Exception {}

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void theWinnersBodyGoesToStdout() {
        server.respond("/fast", Duration.ZERO, 200, "héllo\n");

        var result = ToolProcess.run(PATIENCE, new byte[0], server.silentUrl(), server.url("/fast"));
        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("héllo\n");
        assertThat(result.stderr()).startsWith("fetch: " + server.url("/fast") + " won in ");
    }

    @Test
    void fetchAllReadsUrlsFromStdinAndNeverHangs() {
        server.respond("/a", Duration.ZERO, 200, "abc").hang("/hang");
        var list = server.url("/a") + "\n" + server.url("/hang") + "\n" + server.silentUrl() + "\n";

        var result = ToolProcess.run(PATIENCE, list.getBytes(StandardCharsets.UTF_8), "--all", "--timeout", "5s", "--input", "-");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stdout()).containsPattern("\\d\\.\\d\\ds +3 " + server.url("/a") + "\n").containsPattern("elapsed\n$");
        assertThat(result.stderr()).contains(server.url("/hang") + ": timed out after 5s", server.silentUrl() + ": timed out after 5s");
    }

    @Test
    void helpAndVersion() {
        ToolProcess.assertHelpAndVersion("fetch", "--all");
    }
}
