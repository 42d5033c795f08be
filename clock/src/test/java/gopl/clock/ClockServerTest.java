package gopl.clock;

import static org.assertj.core.api.Assertions.assertThat;

import gopl.common.TcpServer;
import gopl.common.testing.Eventually;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ClockServerTest {
    private final List<TcpServer> servers = new ArrayList<>();

    private int start(ZoneId zone) {
        var listener = TcpServer.listen("localhost", 0);
        servers.add(listener);
        Thread.ofVirtual().start(() -> new ClockServer(zone).serve(listener));
        return listener.port();
    }

    @AfterEach
    void stop() {
        servers.forEach(TcpServer::close);
    }

    private static BufferedReader reader(Socket socket) throws Exception {
        socket.setSoTimeout(10_000);
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
    }

    private static LocalTime parse(String line) {
        assertThat(line).matches("\\d\\d:\\d\\d:\\d\\d");
        return LocalTime.parse(line);
    }

    /** Seconds from a to b on a 24-hour dial, in [-43200, 43200). */
    private static long dialSeconds(LocalTime a, LocalTime b) {
        long d = Duration.between(a, b).toSeconds();
        return Math.floorMod(d + 43_200, 86_400) - 43_200;
    }

    @Test
    void twoServersInDifferentZonesTellTheirOwnTime() throws Exception {
        int utc = start(ZoneId.of("UTC"));
        int tokyo = start(ZoneId.of("Asia/Tokyo")); // UTC+9, no daylight saving
        try (var a = new Socket("localhost", utc); var b = new Socket("localhost", tokyo)) {
            var utcTime = parse(reader(a).readLine());
            var tokyoTime = parse(reader(b).readLine());
            assertThat(dialSeconds(LocalTime.now(ZoneId.of("UTC")), utcTime)).isBetween(-3L, 3L);
            assertThat(dialSeconds(utcTime, tokyoTime)).isBetween(9 * 3600L - 3, 9 * 3600L + 3);
        }
    }

    @Test
    void ticksComeOncePerSecondOnTheSecond() throws Exception {
        int port = start(ZoneId.of("UTC"));
        try (var socket = new Socket("localhost", port)) {
            var in = reader(socket);
            var previous = parse(in.readLine()); // the immediate line on connect
            long earliest = 1000;
            for (int tick = 0; tick < 3; tick++) {
                var next = parse(in.readLine());
                earliest = Math.min(earliest, System.currentTimeMillis() % 1000);
                assertThat(dialSeconds(previous, next)).isEqualTo(1);
                previous = next;
            }
            // Aligned to the wall clock: the ticks land early in the second, not at a random phase.
            // The earliest of three, so that one late wake-up of this reader on a busy machine does
            // not count against the server.
            assertThat(earliest).isLessThan(500);
        }
    }

    @Test
    void manyConcurrentClientsEachGetConsecutiveSeconds() throws Exception {
        int port = start(ZoneId.of("UTC"));
        int clients = 300;
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var tasks = new ArrayList<Callable<Long>>();
            for (int i = 0; i < clients; i++) {
                tasks.add(() -> {
                    try (var socket = new Socket("localhost", port)) {
                        var in = reader(socket);
                        in.readLine();
                        var a = parse(in.readLine());
                        var b = parse(in.readLine());
                        return dialSeconds(a, b);
                    }
                });
            }
            for (var result : pool.invokeAll(tasks)) {
                assertThat(result.get()).isEqualTo(1);
            }
        }
    }

    @Test
    void aClientThatLeavesIsCleanedUpAndOthersGoOn() throws Exception {
        int port = start(ZoneId.of("UTC"));
        var listener = servers.getFirst();
        try (var stays = new Socket("localhost", port)) {
            var in = reader(stays);
            in.readLine();
            try (var leaves = new Socket("localhost", port)) {
                reader(leaves).readLine();
                assertThat(listener.connectionCount()).isEqualTo(2);
            }
            // The server notices on its next write or two.
            Eventually.eventually(Duration.ofSeconds(10), "the leaver is gone", () -> listener.connectionCount() <= 1);
            assertThat(listener.connectionCount()).isEqualTo(1);
            parse(in.readLine());
        }
    }

    @Test
    @Timeout(60)
    void aClientThatNeverReadsIsDroppedAndOthersGoOn() throws Exception {
        // A tick every millisecond fills the never-reader's socket buffers within a second or so.
        var listener = TcpServer.listen("localhost", 0).writeTimeout(Duration.ofMillis(300));
        servers.add(listener);
        Thread.ofVirtual().start(() -> new ClockServer(ZoneId.of("UTC"), Duration.ofMillis(1)).serve(listener));
        var deaf = new Socket();
        deaf.setReceiveBufferSize(1024);
        deaf.connect(new InetSocketAddress("localhost", listener.port()));
        try (deaf; var reader = new Socket("localhost", listener.port())) {
            var in = reader(reader);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (listener.stats().timedOut() == 0 && System.nanoTime() < deadline) {
                assertThat(in.readLine()).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d\\d\\d"); // the reader is served meanwhile
            }
            assertThat(listener.stats().timedOut()).as("the never-reader was dropped").isEqualTo(1);
            assertThat(in.readLine()).isNotNull();
        }
    }

    @Test
    void subSecondIntervalsShowMilliseconds() throws Exception {
        var listener = TcpServer.listen("localhost", 0);
        servers.add(listener);
        Thread.ofVirtual().start(() -> new ClockServer(ZoneId.of("UTC"), Duration.ofMillis(250)).serve(listener));
        try (var socket = new Socket("localhost", listener.port())) {
            var in = reader(socket);
            in.readLine();
            var a = LocalTime.parse(in.readLine());
            var b = LocalTime.parse(in.readLine());
            assertThat(Duration.between(a, b)).isEqualTo(Duration.ofMillis(250));
            assertThat(a.getNano() % 250_000_000).as("on the quarter second").isZero();
        }
    }

    @Test
    void tzVariableIsReadLikeTheCLibraryReadsIt() {
        assertThat(ClockCommand.zoneFromEnvironment("Asia/Tokyo")).isEqualTo(ZoneId.of("Asia/Tokyo"));
        assertThat(ClockCommand.zoneFromEnvironment(":Europe/London")).isEqualTo(ZoneId.of("Europe/London"));
        assertThat(ClockCommand.zoneFromEnvironment(null)).isEqualTo(ZoneId.systemDefault());
    }
}
