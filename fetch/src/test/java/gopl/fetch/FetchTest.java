package gopl.fetch;

import static gopl.fetch.TestServer.await;
import static org.assertj.core.api.Assertions.assertThat;

import gopl.common.Proxies;
import gopl.common.http.Connections;
import gopl.common.testing.InProcess;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** fetch in process against a loopback server: the race, its losers, fetchall and its deadlines. */
class FetchTest {
    private final TestServer server = new TestServer();
    private final InProcess io = new InProcess();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    FetchTest() throws Exception {}

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private int run(String... args) {
        var command = new FetchCommand();
        command.body = body;
        return io.run(command, args);
    }

    private String stdout() {
        return io.stdout();
    }

    private String stderr() {
        return io.stderr();
    }

    @Test
    void theFirst2xxWinsAndTheLosersAreDisconnected() throws Exception {
        server.respond("/fast", Duration.ofMillis(200), 200, "fast body")
                .respond("/missing", Duration.ZERO, 404, "no")
                .late("/late", Duration.ofMillis(1500));
        var connections = new Connections(Proxies.NONE); // not closed: the cancellations alone must close the connections
        var race = new FirstResponse(connections, Duration.ofMinutes(1));

        var winner = race.race(List.of(server.uri("/missing"), server.uri("/late"), server.uri("/fast")));
        assertThat(winner.uri()).isEqualTo(server.uri("/fast"));
        assertThat(winner.losers()).isEqualTo(2);
        assertThat(new String(winner.response().body().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("fast body");
        // /late answers after the race: its first writes fail because the client has hung up.
        await(() -> server.disconnects.get() == 1);
    }

    @Test
    void theLoserThatNeverAnswersIsDisconnectedToo() throws Exception {
        server.respond("/fast", Duration.ofMillis(100), 200, "fast");
        var connections = new Connections(Proxies.NONE);

        var winner = new FirstResponse(connections, Duration.ofMinutes(1)).race(
                List.of(java.net.URI.create(server.silentUrl()), server.uri("/fast")));
        assertThat(winner.uri()).isEqualTo(server.uri("/fast"));
        await(() -> server.silentClosed.get() == 1);
    }

    @Test
    void theCommandWritesTheWinnersBodyAndNamesItOnStderr() {
        server.respond("/slow", Duration.ofSeconds(3), 200, "slow").respond("/fast", Duration.ofMillis(50), 200, "fast\n")
                .respond("/error", Duration.ZERO, 500, "oops");

        assertThat(run(server.url("/slow"), server.url("/error"), server.url("/fast"))).isZero();
        assertThat(body.toString(StandardCharsets.UTF_8)).isEqualTo("fast\n");
        assertThat(stderr()).matches("fetch: " + server.url("/fast") + " won in \\d+(\\.\\d+)?m?s \\(status 200; 2 others cancelled\\)\n");
        assertThat(stdout()).isEmpty();
    }

    @Test
    void verboseTellsWhatBecameOfTheOthers() {
        server.respond("/slow", Duration.ofSeconds(3), 200, "slow").respond("/fast", Duration.ofMillis(300), 200, "fast")
                .respond("/error", Duration.ZERO, 500, "oops");

        assertThat(run("-v", server.url("/slow"), server.url("/error"), server.url("/fast"))).isZero();
        assertThat(stderr().lines().skip(1)).containsExactly(
                "fetch: " + server.url("/slow") + ": cancelled",
                "fetch: " + server.url("/error") + ": 500 Internal Server Error");
    }

    @Test
    void whenEveryUrlFailsEachErrorIsReportedAndTheExitIs1() {
        server.respond("/error", Duration.ZERO, 500, "oops");

        assertThat(run(server.url("/missing"), server.url("/error"), "http://127.0.0.1:1/", "--timeout", "5s", server.silentUrl())).isEqualTo(1);
        assertThat(stderr().lines()).containsExactly(
                "fetch: " + server.url("/missing") + ": 404 Not Found",
                "fetch: " + server.url("/error") + ": 500 Internal Server Error",
                "fetch: http://127.0.0.1:1/: connection refused",
                "fetch: " + server.silentUrl() + ": timed out after 5s");
        assertThat(body.size()).isZero();
    }

    @Test
    void aWinnerWhoseBodyStallsIsAbandonedAfterTheTimeout() {
        server.stall("/stall", "first bytes");

        assertThat(run("--timeout", "5s", server.url("/stall"))).isEqualTo(1);
        assertThat(stderr()).contains("fetch: " + server.url("/stall") + ": body failed after 11 bytes: no data for 5s");
        assertThat(body.toString(StandardCharsets.UTF_8)).isEqualTo("first bytes");
    }

    @Test
    void fetchAllPrintsALinePerUrlAndTheTotal() {
        server.respond("/a", Duration.ofMillis(300), 200, "x".repeat(1234)).respond("/b", Duration.ZERO, 200, "yy");

        assertThat(run("--all", server.url("/a"), server.url("/b"))).isZero();
        var lines = stdout().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).matches("\\d+\\.\\d\\ds +2 " + server.url("/b")); // the fast one first
        assertThat(lines.get(1)).matches("\\d+\\.\\d\\ds +1234 " + server.url("/a"));
        assertThat(lines.get(2)).matches("\\d+\\.\\d\\ds elapsed");
    }

    @Test
    void fetchAllGivesUpOnHangingUrlsAtTheTimeoutAndClosesThem() throws Exception {
        server.respond("/ok", Duration.ZERO, 200, "ok").hang("/hang1").hang("/hang2");
        var runner = Thread.ofVirtual().start(() -> run("--all", "--timeout", "5s",
                server.url("/hang1"), server.silentUrl(), server.url("/ok"), server.url("/hang2"), server.url("/missing")));

        assertThat(runner.join(Duration.ofSeconds(30))).as("fetch --all finished").isTrue();
        assertThat(stdout()).contains(" 2 " + server.url("/ok") + "\n").containsPattern("elapsed\n$");
        assertThat(stderr().lines()).hasSize(4)
                .anyMatch(line -> line.startsWith("fetch: " + server.url("/missing") + ": 404 Not Found ("))
                .anyMatch(line -> line.startsWith("fetch: " + server.url("/hang1") + ": timed out after 5s ("))
                .anyMatch(line -> line.startsWith("fetch: " + server.url("/hang2") + ": timed out after 5s ("))
                .anyMatch(line -> line.startsWith("fetch: " + server.silentUrl() + ": timed out after 5s ("));
        await(() -> server.disconnects.get() == 2 && server.silentClosed.get() == 1);
    }

    @Test
    void fetchAllBoundsTheRequestsInFlightAndReadsUrlsFromAFile(@TempDir Path dir) throws Exception {
        var list = new StringBuilder("# twelve pages\n\n");
        for (int i = 0; i < 12; i++) {
            server.respond("/p" + i, Duration.ofMillis(150), 200, "page");
            list.append(server.url("/p" + i)).append('\n');
        }
        var file = Files.writeString(dir.resolve("urls.txt"), list);

        assertThat(run("--all", "--concurrency", "3", "--input", file.toString())).isZero();
        assertThat(stdout().lines()).hasSize(13);
        assertThat(server.maxActive.get()).isLessThanOrEqualTo(3).isGreaterThanOrEqualTo(2);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ftp://example.com/ | 'ftp://example.com/' is not an http(s) URL",
        "--timeout=0 | --timeout must be more than 0",
        "--timeout=soon | 'soon' is not a duration",
        "--concurrency=0 | --concurrency must be at least 1",
        "-c=3 | Unknown option: '-c=3'",
        "-H=nocolon | -H 'nocolon' is not NAME: VALUE",
        "-H=Connection:close | -H: fetch cannot send Connection",
        "--retry=-1 | --retry must not be negative",
        "--retry-delay=soon | --retry-delay: 'soon' is not seconds or a duration",
        "--bogus | Unknown option",
    })
    void usageErrorsAreOneLineAndExit2(String arg, String message) {
        assertThat(run(arg, "http://127.0.0.1:1/")).isEqualTo(2);
        assertThat(stderr()).startsWith("fetch: ").contains(message).hasLineCount(1);
    }

    @Test
    void noUrlAtAllIsAUsageError() {
        assertThat(run("--all")).isEqualTo(2);
        assertThat(stderr()).contains("no URL given");
    }

    @Test
    void aMissingInputFileIsOneLine() {
        assertThat(run("--all", "--input", "/no/such/file")).isEqualTo(1);
        assertThat(stderr()).isEqualTo("fetch: cannot read /no/such/file: no such file\n");
    }
}
