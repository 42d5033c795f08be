package gopl.clockwall;

import static gopl.common.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import gopl.clock.ClockServer;
import gopl.common.Cli;
import gopl.common.TcpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ClockwallTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private CompletableFuture<Integer> wall(String... args) {
        return CompletableFuture.supplyAsync(() -> Cli.run(new ClockwallCommand(new PrintStream(out, true)),
                new PrintStream(out, true), new PrintStream(err, true), args));
    }

    private List<String> lines() {
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void scriptModePrintsAHeaderThenOneRowPerSecondInHeaderOrder() throws Exception {
        try (var ny = new FakeClock("10:00:00", 0); var tokyo = new FakeClock("00:00:00", 0)) {
            int status = wall("-n", "3", "NewYork=localhost:" + ny.port(), "Tokyo=127.0.0.1:" + tokyo.port()).get();
            assertThat(status).isZero();
            assertThat(lines()).hasSize(4);
            assertThat(lines().getFirst().split("\\s+")).containsExactly("NewYork", "Tokyo");
            for (var row : lines().subList(1, 4)) {
                assertThat(row.split("\\s+")).containsExactly("10:00:00", "00:00:00");
            }
        }
    }

    @Test
    void realClockServersInDifferentZonesShowTheirOwnTimes() throws Exception {
        try (var utc = TcpServer.listen("localhost", 0); var tokyo = TcpServer.listen("localhost", 0)) {
            Thread.ofVirtual().start(() -> new ClockServer(ZoneId.of("UTC")).serve(utc));
            Thread.ofVirtual().start(() -> new ClockServer(ZoneId.of("Asia/Tokyo")).serve(tokyo));
            assertThat(wall("-n", "2", "UTC=localhost:" + utc.port(), "Tokyo=localhost:" + tokyo.port()).get()).isZero();
        }
        for (var row : lines().subList(1, 3)) {
            var cells = row.split("\\s+");
            // The same instant, nine hours apart (give or take the second a slow tick may lag).
            var seconds = Duration.between(LocalTime.parse(cells[0]), LocalTime.parse(cells[1])).toSeconds();
            assertThat(Math.floorMod(Math.round(seconds / 3600.0), 24)).isEqualTo(9);
        }
    }

    @Test
    void aServerThatDiesShowsDownWhileOthersGoOnAndIsPickedUpWhenItReturns() throws Exception {
        var status = new AtomicInteger(-1);
        try (var steady = new FakeClock("11:11:11", 0)) {
            var flaky = new FakeClock("22:22:22", 0);
            int port = flaky.port();
            var args = new String[] {"--max-backoff", "200ms", "A=localhost:" + steady.port(), "B=localhost:" + port};
            var wall = Thread.ofVirtual().start(() -> status.set(Cli.run(new ClockwallCommand(new PrintStream(out, true)),
                    new PrintStream(out, true), new PrintStream(err, true), args)));
            eventually(PATIENCE, "a row with B's time", () -> columnB().contains("22:22:22"));
            flaky.close();
            eventually(PATIENCE, "a row with B down", () -> columnB().contains("down"));
            try (var back = new FakeClock("33:33:33", port)) {
                eventually(PATIENCE, "a row with B's new time", () -> columnB().contains("33:33:33"));
                wall.interrupt(); // as Ctrl-C does
                assertThat(wall.join(PATIENCE)).isTrue();
            }
        }
        assertThat(status).hasValue(Cli.INTERRUPTED);
        assertThat(rows()).allSatisfy(row -> assertThat(row[0]).isEqualTo("11:11:11"));
        var b = columnB();
        assertThat(b).startsWith("22:22:22").contains("down").endsWith("33:33:33");
        // In order: up, then down, then up again, never back to the dead server's time.
        assertThat(b.lastIndexOf("22:22:22")).isLessThan(b.indexOf("down"));
        assertThat(b.lastIndexOf("down")).isLessThan(b.indexOf("33:33:33"));
    }

    /** The rows printed so far (whole lines only), split into columns. */
    private List<String[]> rows() {
        var text = out.toString(StandardCharsets.UTF_8);
        var whole = text.substring(0, text.lastIndexOf('\n') + 1).lines().toList();
        return whole.stream().skip(1).map(row -> row.split("\\s+")).toList();
    }

    private List<String> columnB() {
        return rows().stream().map(row -> row[1]).toList();
    }

    @Test
    void anUnreachableServerShowsDownFromTheStart() throws Exception {
        try (var up = new FakeClock("12:00:00", 0)) {
            var downPort = new FakeClock("x", 0);
            int port = downPort.port();
            downPort.close();
            assertThat(wall("-n", "2", "Up=localhost:" + up.port(), "Gone=localhost:" + port).get()).isZero();
        }
        assertThat(lines().get(2).split("\\s+")).containsExactly("12:00:00", "down");
    }

    @Test
    void whateverAServerSendsStaysOneBoundedToken() {
        assertThat(ClockFeed.sanitize("  12:00:00\r")).isEqualTo("12:00:00");
        assertThat(ClockFeed.sanitize("hello world\u0007")).isEqualTo("hello_world_");
        assertThat(ClockFeed.sanitize("")).isEqualTo("?");
        assertThat(ClockFeed.sanitize("x".repeat(1000))).hasSize(24);
    }
}
