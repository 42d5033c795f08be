package gopl.reverb;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import gopl.common.TcpServer;
import gopl.common.testing.Eventually;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** reverb in-process, driven over loopback by raw sockets. */
class ReverbServerTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private TcpServer listener;
    private ReverbServer reverb;

    private int start(Duration delay, Duration idle) {
        reverb = new ReverbServer(delay, idle);
        listener = TcpServer.listen("localhost", 0);
        Thread.ofVirtual().start(() -> reverb.serve(listener));
        return listener.port();
    }

    @AfterEach
    void stop() {
        if (listener != null) {
            listener.close();
        }
    }

    private static void eventually(String what, BooleanSupplier condition) {
        Eventually.eventually(PATIENCE, what, condition);
    }

    @Test
    void echoesUpperAsItWasAndLowerEachAfterTheDelay() throws Exception {
        int port = start(Duration.ofMillis(150), Duration.ofSeconds(10));
        try (var client = new Shouter(port)) {
            long shouted = System.nanoTime();
            client.shout("Hello, World");
            assertThat(client.line()).isEqualTo("\t HELLO, WORLD");
            long first = System.nanoTime() - shouted;
            assertThat(client.line()).isEqualTo("\t Hello, World");
            assertThat(client.line()).isEqualTo("\t hello, world");
            long last = System.nanoTime() - shouted;
            assertThat(Duration.ofNanos(first)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
            assertThat(Duration.ofNanos(last)).isGreaterThanOrEqualTo(Duration.ofMillis(450));
        }
    }

    @Test
    void crLfAndAFinalLineWithoutNewlineAreShoutsToo() throws Exception {
        int port = start(Duration.ZERO, Duration.ofSeconds(10));
        try (var client = new Shouter(port)) {
            client.send("Telnet\r\n".getBytes(UTF_8));
            assertThat(client.line()).isEqualTo("\t TELNET");
            assertThat(client.line()).isEqualTo("\t Telnet");
            assertThat(client.line()).isEqualTo("\t telnet");
            client.send("Bye".getBytes(UTF_8)).halfClose();
            assertThat(client.line()).isEqualTo("\t BYE");
            assertThat(client.line()).isEqualTo("\t Bye");
            assertThat(client.line()).isEqualTo("\t bye");
            assertThat(client.line()).isNull();
        }
    }

    @Test
    void echoesOfDifferentShoutsOverlap() throws Exception {
        int port = start(Duration.ofMillis(500), Duration.ofSeconds(10));
        try (var client = new Shouter(port)) {
            client.shout("Hi").shout("Yo");
            // One after the other would give HI, Hi, hi, YO...; together, both upper cases come first.
            var lines = new ArrayList<String>();
            for (int i = 0; i < 6; i++) {
                lines.add(client.line());
            }
            assertThat(lines.subList(0, 2)).containsExactlyInAnyOrder("\t HI", "\t YO");
            assertThat(lines.subList(2, 4)).containsExactlyInAnyOrder("\t Hi", "\t Yo");
            assertThat(lines.subList(4, 6)).containsExactlyInAnyOrder("\t hi", "\t yo");
        }
    }

    @Test
    void linesFromConcurrentEchoesNeverMix() throws Exception {
        int port = start(Duration.ZERO, Duration.ofSeconds(10));
        try (var client = new Shouter(port)) {
            var shouts = new ByteArrayOutputStream();
            for (int i = 0; i < 100; i++) {
                shouts.writeBytes(("abcdefghij".charAt(i % 10) + "").repeat(20_000).getBytes(UTF_8));
                shouts.write('\n');
            }
            Thread.ofVirtual().start(() -> {
                try {
                    client.send(shouts.toByteArray());
                } catch (IOException ignored) {
                    // Seen below as missing lines.
                }
            });
            for (int i = 0; i < 300; i++) {
                var line = client.line();
                assertThat(line).hasSize(20_002).startsWith("\t ");
                assertThat(line.substring(2).chars().distinct().count()).as("one letter per line").isEqualTo(1);
            }
        }
    }

    @Test
    void closesAfterHalfCloseOnlyOnceEveryEchoIsOut() throws Exception {
        int port = start(Duration.ofMillis(300), Duration.ofSeconds(10));
        try (var client = new Shouter(port)) {
            client.shout("one").shout("two").halfClose();
            var lines = new ArrayList<String>();
            for (String line; (line = client.line()) != null; ) {
                lines.add(line);
            }
            assertThat(lines).containsExactlyInAnyOrder(
                    "\t ONE", "\t one", "\t one", "\t TWO", "\t two", "\t two");
        }
        eventually("the connection is gone", () -> listener.connectionCount() == 0);
    }

    @Test
    void halfCloseWithNoEchoesPendingClosesAtOnce() throws Exception {
        int port = start(Duration.ofSeconds(10), Duration.ofSeconds(60));
        try (var client = new Shouter(port)) {
            client.halfClose();
            assertThat(client.line()).isNull();
        }
    }

    @Test
    void idleClientIsDisconnectedWhileAShoutingOneStays() throws Exception {
        int port = start(Duration.ofMillis(20), Duration.ofSeconds(1));
        try (var silent = new Shouter(port); var talker = new Shouter(port)) {
            for (int i = 0; i < 10; i++) { // 2.5s of shouts 250ms apart, well past the idle second
                talker.shout("still here " + i);
                assertThat(talker.line()).isEqualTo("\t STILL HERE " + i);
                assertThat(talker.line()).isEqualTo("\t still here " + i);
                assertThat(talker.line()).isEqualTo("\t still here " + i);
                Thread.sleep(250);
            }
            eventually("only the talker is left", () -> listener.connectionCount() == 1);
            assertThat(silent.closedByServer()).isTrue();
            talker.shout("last").halfClose();
            assertThat(talker.line()).isEqualTo("\t LAST");
        }
    }

    @Test
    void idleClockCountsWholeShoutsNotTrickledBytes() throws Exception {
        int port = start(Duration.ZERO, Duration.ofMillis(500));
        try (var trickler = new Shouter(port)) {
            var sending = new AtomicBoolean(true);
            Thread.ofVirtual().start(() -> {
                try {
                    while (sending.get()) {
                        trickler.send(new byte[] {'z'}); // never a newline
                        Thread.sleep(50);
                    }
                } catch (IOException | InterruptedException e) {
                    // Disconnected, as it should be.
                }
            });
            eventually("the trickler is disconnected", () -> listener.connectionCount() == 0);
            sending.set(false);
            assertThat(trickler.closedByServer()).isTrue();
        }
    }

    @Test
    void pendingEchoesEndCleanlyOnIdleDisconnect() throws Exception {
        // The echo would take 15s; idle disconnects after 300ms and must cancel it.
        int port = start(Duration.ofSeconds(5), Duration.ofMillis(300));
        try (var client = new Shouter(port)) {
            client.shout("anyone?");
            eventually("the echo has started", () -> reverb.echoesInFlight() == 1);
            assertThat(client.line()).as("no echo, just the end").isNull();
            eventually("the echo thread has ended", () -> reverb.echoesInFlight() == 0);
            // TcpServer forgets a connection just after closing it, so this may lag the EOF.
            eventually("the connection is forgotten", () -> listener.connectionCount() == 0);
        }
    }

    @Test
    void veryLongLineIsCutAndHarmsNobody() throws Exception {
        int port = start(Duration.ofMillis(20), Duration.ofSeconds(10));
        var huge = new byte[4 << 20];
        Arrays.fill(huge, (byte) 'a');
        try (var hog = new Shouter(port); var other = new Shouter(port)) {
            var sent = Thread.ofVirtual().start(() -> {
                try {
                    hog.send(huge).shout("").shout("short");
                } catch (IOException ignored) {
                    // Seen below as a missing echo.
                }
            });
            other.shout("meanwhile");
            assertThat(other.line()).isEqualTo("\t MEANWHILE");
            var lines = new ArrayList<String>();
            for (int i = 0; i < 6; i++) {
                lines.add(summary(hog.line()));
            }
            // The two shouts echo at the same time, so their lines may come in either order.
            assertThat(lines).containsExactlyInAnyOrder("A x 65536", "a x 65536", "a x 65536",
                    "\t SHORT", "\t short", "\t short");
            sent.join();
        }
    }

    /** A long echo line as "letter x count", if it is one letter repeated; short lines as they are. */
    private static String summary(String line) {
        if (line.length() < 100) {
            return line;
        }
        var body = line.substring(2);
        boolean uniform = body.chars().allMatch(c -> c == body.charAt(0));
        return uniform && line.startsWith("\t ") ? body.charAt(0) + " x " + body.length() : "mixed line";
    }

    @Test
    void binaryGarbageComesBackAsItWasInTheMiddleLine() throws Exception {
        int port = start(Duration.ZERO, Duration.ofSeconds(10));
        var garbage = new byte[5000];
        new Random(4).nextBytes(garbage);
        for (int i = 0; i < garbage.length; i++) {
            garbage[i] = garbage[i] == '\n' || garbage[i] == '\r' ? 0 : garbage[i];
        }
        try (var client = new Shouter(port)) {
            client.send(garbage).send(new byte[] {'\n'});
            assertThat(client.lineBytes()).isNotNull();
            var asItWas = client.lineBytes();
            assertThat(Arrays.copyOfRange(asItWas, 2, asItWas.length)).isEqualTo(garbage);
            assertThat(client.lineBytes()).isNotNull();
            client.shout("still fine");
            assertThat(client.line()).isEqualTo("\t STILL FINE");
        }
    }

    @Test
    void clientsVanishingMidEchoHarmNobody() throws Exception {
        int port = start(Duration.ofMillis(200), Duration.ofSeconds(10));
        try (var survivor = new Shouter(port)) {
            for (int i = 0; i < 50; i++) {
                var ghost = new Shouter(port);
                ghost.shout("boo " + i);
                ghost.reset();
            }
            survivor.shout("Still here?");
            assertThat(survivor.line()).isEqualTo("\t STILL HERE?");
            eventually("the ghosts' echoes have ended", () -> reverb.echoesInFlight() == 1);
            eventually("only the survivor is connected", () -> listener.connectionCount() == 1);
            assertThat(survivor.line()).isEqualTo("\t Still here?");
        }
        eventually("no echo is left", () -> reverb.echoesInFlight() == 0);
    }

    @Test
    void aFloodIsSlowedDownNotServedWithoutLimit() throws Exception {
        int port = start(Duration.ofMillis(200), Duration.ofSeconds(30));
        var most = new AtomicLong();
        try (var flooder = new Shouter(port); var other = new Shouter(port)) {
            Thread.ofVirtual().start(() -> {
                try {
                    flooder.send("x\n".repeat(200_000).getBytes(UTF_8));
                } catch (IOException ignored) {
                    // Reset at the end of the test.
                }
            });
            long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (System.nanoTime() < until) {
                most.accumulateAndGet(reverb.echoesInFlight(), Math::max);
                Thread.sleep(10);
            }
            other.shout("Hello");
            assertThat(other.line()).isEqualTo("\t HELLO");
            flooder.reset();
        }
        // Each echo costs its shout plus 1 KiB against the client's 1 MiB budget.
        assertThat(most.get()).isBetween(100L, (long) Echoes.BUDGET / 1024);
        eventually("the flood's echoes are cancelled", () -> reverb.echoesInFlight() == 0);
    }

    @Test
    void clientThatNeverReadsItsEchoesIsDisconnected() throws Exception {
        int port = start(Duration.ZERO, Duration.ofMillis(500));
        var socket = new Socket();
        socket.setReceiveBufferSize(4096); // fill up fast
        socket.connect(new InetSocketAddress("localhost", port));
        try (var deaf = new Shouter(socket)) {
            var line = ("w".repeat(60_000) + "\n").getBytes(UTF_8);
            Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < 1000; i++) {
                        deaf.send(line);
                    }
                } catch (IOException ignored) {
                    // Disconnected, as it should be.
                }
            });
            eventually("the deaf client is disconnected", () -> listener.connectionCount() == 0);
        }
        try (var next = new Shouter(port)) {
            next.shout("ok");
            assertThat(next.line()).isEqualTo("\t OK");
        }
        eventually("no echo is left", () -> reverb.echoesInFlight() == 0);
    }
}
