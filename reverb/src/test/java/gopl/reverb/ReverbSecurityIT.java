package gopl.reverb;

import static gopl.common.testing.ServerAttacks.assertCapsHold;
import static gopl.common.testing.ServerAttacks.awaitBytesIn;
import static gopl.common.testing.ServerAttacks.closeAll;
import static gopl.common.testing.ServerAttacks.firstLine;
import static gopl.common.testing.ServerAttacks.listeningPort;
import static gopl.common.testing.ServerAttacks.stallWithPartialLines;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import gopl.common.testing.ToolProcess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Issue 13's attacks on the real reverb jar: each must fail. */
@Timeout(120)
class ReverbSecurityIT {
    private static final Pattern BYTES_IN = Pattern.compile("stats: .* (\\d+) bytes in");
    private static final int LINE = 64 * 1024;

    @Test
    void connectionFloodsAreRefusedWithOneLineAndLoggedOnce() throws Exception {
        try (var reverb = ToolProcess.start("-port", "0", "--delay", "0", "--max-per-ip", "3", "--max-connections", "5")) {
            int port = listeningPort(reverb, "reverb");
            var account = assertCapsHold(reverb, port, 3, 5, 200, socket -> {
                socket.getOutputStream().write("ping\n".getBytes(UTF_8));
                assertThat(firstLine(socket)).startsWith("\t ");
            });
            System.out.println("reverb, connection flood: " + account);
        }
    }

    @Test
    void clientsStallingOnLongLinesCannotRunTheServerOutOfMemory() throws Exception {
        // Issue 20's heap cap scaled down: 1,000 clients (20 addresses) each hold a 60,000-byte
        // shout without its newline, 64 to 128 KiB apiece without an input budget: 60 MB and more in a 40 MB heap.
        int clients = Integer.getInteger("reverb.stallers", 1000);
        var partial = "x".repeat(60_000).getBytes(UTF_8);
        try (var reverb = ToolProcess.start(List.of("-Xmx40m", "-XX:+UseSerialGC"),
                "-port", "0", "--delay", "0", "--idle", "1m", "--stats", "100ms")) {
            int port = listeningPort(reverb, "reverb");
            var stalled = stallWithPartialLines(port, clients, 50, partial);
            try {
                awaitBytesIn(reverb, (long) clients * partial.length, Duration.ofSeconds(60));
                try (var shouter = new Shouter(port)) {
                    shouter.shout("Hello?");
                    assertThat(shouter.line()).isEqualTo("\t HELLO?");
                    assertThat(shouter.line()).isEqualTo("\t Hello?");
                    assertThat(shouter.line()).isEqualTo("\t hello?");
                }
                assertThat(reverb.stderrText()).doesNotContain("OutOfMemoryError");
                System.out.printf("reverb -Xmx40m, %,d clients stalled on a %,d-byte line: others still get their echoes%n",
                        clients, partial.length);
            } finally {
                closeAll(stalled);
            }
        }
    }

    @Test
    void linesOfInvalidUtf8AreChargedForWhatTheirEchoesHold() throws Exception {
        // An echo of 64 KiB of 0xFF holds 448 KiB (each byte is U+FFFD, 3 bytes, in either case),
        // so the 1 MiB budget admits 2 at once: the server reads at most the third and waits.
        var line = new byte[LINE + 1];
        Arrays.fill(line, (byte) 0xff);
        line[LINE] = '\n';
        long most = mostBytesRead(line, 20, 1, "--delay", "30s");
        System.out.printf("reverb, 20 lines of 64 KiB of invalid UTF-8 from one client: the server read %,d bytes (%.1f lines)%n",
                most, most / (double) line.length);
        assertThat(most).isLessThanOrEqualTo(3L * line.length + 512);
    }

    @Test
    void allClientsTogetherStayWithinTheEchoMemory() throws Exception {
        // 10 clients, each with room for 5 echoes of a 60,000-byte shout (3 x 60,000 bytes held
        // each); --echo-memory 2M admits 11 echoes in all, and each waiting client has read one more.
        var line = ("x".repeat(60_000) + "\n").getBytes(UTF_8);
        long most = mostBytesRead(line, 40, 10, "--delay", "30s", "--echo-memory", "2M");
        System.out.printf("reverb, 10 clients flooding 60 KB lines with --echo-memory 2M: the server read %,d bytes (%.1f lines)%n",
                most, most / (double) line.length);
        assertThat(most).isLessThanOrEqualTo((11L + 10) * line.length + 10 * 512);
    }

    /** Has {@code clients} clients send {@code count} copies of the line; the most bytes reverb read in 3 s. */
    private static long mostBytesRead(byte[] line, int count, int clients, String... options) throws Exception {
        var args = new java.util.ArrayList<>(java.util.List.of("-port", "0", "--stats", "50ms", "--idle", "1m"));
        args.addAll(Arrays.asList(options));
        try (var reverb = ToolProcess.start(args.toArray(String[]::new))) {
            int port = listeningPort(reverb, "reverb");
            var sockets = new java.util.ArrayList<Socket>();
            try {
                for (int i = 0; i < clients; i++) {
                    var socket = new Socket("localhost", port);
                    sockets.add(socket);
                    Thread.ofVirtual().start(() -> {
                        try {
                            for (int n = 0; n < count; n++) {
                                socket.getOutputStream().write(line);
                            }
                        } catch (IOException e) {
                            // Closed at the end of the test.
                        }
                    });
                }
                long most = 0;
                for (long until = System.nanoTime() + Duration.ofSeconds(3).toNanos(); System.nanoTime() < until; ) {
                    var matcher = BYTES_IN.matcher(reverb.stderrText());
                    while (matcher.find()) {
                        most = Math.max(most, Long.parseLong(matcher.group(1)));
                    }
                    Thread.sleep(50);
                }
                return most;
            } finally {
                for (var socket : sockets) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void aClientThatNeverReadsItsEchoesIsDroppedEvenWithNoIdleTimeout() throws Exception {
        try (var reverb = ToolProcess.start("-port", "0", "--delay", "0", "--idle", "0", "--write-timeout", "1s")) {
            int port = listeningPort(reverb, "reverb");
            var deaf = new Socket();
            deaf.setReceiveBufferSize(4096);
            deaf.connect(new InetSocketAddress("localhost", port));
            long connected = System.nanoTime();
            try (deaf) {
                Thread.ofVirtual().start(() -> {
                    try {
                        var shout = ("w".repeat(60_000) + "\n").getBytes(UTF_8);
                        for (int i = 0; i < 1000; i++) {
                            deaf.getOutputStream().write(shout);
                        }
                    } catch (IOException e) {
                        // Dropped, as it should be.
                    }
                });
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (!reverb.stderrText().contains("dropped: it took nothing sent to it for 1s")) {
                    assertThat(System.nanoTime()).as("dropped in time; stderr: " + reverb.stderrText()).isLessThan(deadline);
                    Thread.sleep(20);
                }
                System.out.printf("reverb --idle 0, a client that never reads its echoes: dropped %d ms after connecting%n",
                        Duration.ofNanos(System.nanoTime() - connected).toMillis());
            }
            // The reading side ends too, once the dropped socket fails its next read: a moment later.
            reverb.awaitStderr(Pattern.compile("127\\.0\\.0\\.1:\\d+ vanished"), Duration.ofSeconds(20));
        }
    }
}
