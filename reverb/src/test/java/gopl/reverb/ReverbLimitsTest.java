package gopl.reverb;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import gopl.common.TcpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a client's shouts may cost the server: memory per client and in all, and a stuck socket. */
@Timeout(60)
class ReverbLimitsTest {
    private final List<AutoCloseable> open = new ArrayList<>();
    private ReverbServer reverb;
    private TcpServer listener;

    private int start(ReverbServer server, Duration writeTimeout) {
        reverb = server;
        listener = TcpServer.listen("localhost", 0).writeTimeout(writeTimeout);
        open.add(listener);
        Thread.ofVirtual().start(() -> reverb.serve(listener));
        return listener.port();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (var closeable : open.reversed()) {
            closeable.close();
        }
    }

    private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("never happened: " + what).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    /** The most echoes in flight seen over a second, once at least {@code least} are. */
    private long mostEchoesInFlight(long least) throws InterruptedException {
        eventually(least + " echoes in flight", () -> reverb.echoesInFlight() >= least);
        long most = 0;
        for (long until = System.nanoTime() + Duration.ofSeconds(1).toNanos(); System.nanoTime() < until; ) {
            most = Math.max(most, reverb.echoesInFlight());
            Thread.sleep(5);
        }
        return most;
    }

    private Shouter shouter(int port) throws IOException {
        var shouter = new Shouter(port);
        open.add(shouter);
        return shouter;
    }

    private static void sendInBackground(Shouter shouter, byte[] bytes) {
        Thread.ofVirtual().start(() -> {
            try {
                shouter.send(bytes);
            } catch (IOException ignored) {
                // Cut off at the end of the test.
            }
        });
    }

    /** 20 lines of 64 KiB of bytes that are not UTF-8: each decodes to 65,536 U+FFFD. */
    private static byte[] invalidUtf8Lines() {
        var line = new byte[Client.MAX_LINE + 1];
        Arrays.fill(line, (byte) 0xff);
        line[Client.MAX_LINE] = '\n';
        var lines = new byte[line.length * 20];
        for (int i = 0; i < 20; i++) {
            System.arraycopy(line, 0, lines, i * line.length, line.length);
        }
        return lines;
    }

    /** What an echo of one such line holds until it is out: the shout and its upper and lower case. */
    private static long heldByOneEcho() {
        var shout = new byte[Client.MAX_LINE];
        Arrays.fill(shout, (byte) 0xff);
        var text = new String(shout, UTF_8);
        return shout.length + text.toUpperCase(Locale.ROOT).getBytes(UTF_8).length
                + text.toLowerCase(Locale.ROOT).getBytes(UTF_8).length;
    }

    @Test
    void invalidUtf8IsChargedForWhatItsEchoesReallyHold() throws Exception {
        int port = start(new ReverbServer(Duration.ofSeconds(30), Duration.ofSeconds(60)), Duration.ZERO);
        sendInBackground(shouter(port), invalidUtf8Lines());
        long most = mostEchoesInFlight(1);
        // Each U+FFFD is 3 bytes in UTF-8: an echo holds 7 times what was shouted.
        assertThat(most * heldByOneEcho()).as(most + " echoes in flight").isLessThanOrEqualTo(Echoes.BUDGET);
    }

    @Test
    void noCharacterTakesMoreThanThreeBytesPerByteInEitherCase() {
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            if (Character.isSurrogate((char) cp) && cp <= 0xFFFF) {
                continue;
            }
            var text = Character.toString(cp);
            int bytes = text.getBytes(UTF_8).length;
            assertThat(text.toUpperCase(Locale.ROOT).getBytes(UTF_8).length).as("upper case of U+%04X", cp).isLessThanOrEqualTo(3 * bytes);
            assertThat(text.toLowerCase(Locale.ROOT).getBytes(UTF_8).length).as("lower case of U+%04X", cp).isLessThanOrEqualTo(3 * bytes);
        }
        var lines = Echoes.lines(new byte[] {(byte) 0xff, 'a'});
        assertThat(lines.stream().mapToInt(line -> line.length).sum()).isEqualTo(Echoes.MOST_PER_BYTE * 2 - 2 * 2);
    }

    @Test
    void allClientsTogetherStayWithinTheServersBudget() throws Exception {
        var budget = 4 * Echoes.BUDGET; // room for four clients' full budgets
        int port = start(new ReverbServer(Duration.ofSeconds(30), Duration.ofSeconds(60), budget), Duration.ZERO);
        var line = ("x".repeat(60_000) + "\n").getBytes(UTF_8);
        var flood = new byte[line.length * 40];
        for (int i = 0; i < 40; i++) {
            System.arraycopy(line, 0, flood, i * line.length, line.length);
        }
        for (int i = 0; i < 10; i++) {
            sendInBackground(shouter(port), flood);
        }
        long most = mostEchoesInFlight(4 * (Echoes.BUDGET / (3 * 60_000 + 1024)));
        assertThat(most * (3 * 60_000L + 1024)).as(most + " echoes in flight").isLessThanOrEqualTo(budget);
    }

    @Test
    void aClientThatNeverReadsIsDroppedEvenWithoutAnIdleTimeout() throws Exception {
        int port = start(new ReverbServer(Duration.ZERO, Duration.ZERO), Duration.ofMillis(300));
        var socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("localhost", port));
        var deaf = new Shouter(socket);
        open.add(deaf);
        sendInBackground(deaf, ("w".repeat(60_000) + "\n").repeat(200).getBytes(UTF_8));
        eventually("the deaf client is dropped", () -> listener.stats().timedOut() == 1);
        eventually("its echoes have ended", () -> reverb.echoesInFlight() == 0);
        eventually("the connection is gone", () -> listener.connectionCount() == 0);
        var next = shouter(port);
        next.shout("ok");
        assertThat(next.line()).isEqualTo("\t OK");
    }

    @Test
    void withTheInputBudgetSpentALineThatSpansReadsIsCutAndShortOnesStillEcho() throws Exception {
        int port = start(new ReverbServer(Duration.ZERO, Duration.ofSeconds(60)).inputMemory(0), Duration.ZERO);
        try (var shouter = new Shouter(port)) {
            shouter.shout("x".repeat(3000)); // spans reads of the 128-byte buffer: nothing kept
            assertThat(List.of(shouter.line(), shouter.line(), shouter.line())).containsOnly("\t ");
            shouter.shout("short");
            assertThat(List.of(shouter.line(), shouter.line(), shouter.line())).containsExactly("\t SHORT", "\t short", "\t short");
        }
    }

    @Test
    void theInputBudgetIsWholeAgainOnceClientsHaveGoneHoweverTheyWent() throws Exception {
        // An idle timeout of seconds, not milliseconds: the held lines must still be there when
        // the poll below looks, on a loaded machine too (300 ms failed there once).
        int port = start(new ReverbServer(Duration.ZERO, Duration.ofSeconds(3)).inputMemory(1 << 20), Duration.ZERO);
        try (var shouter = new Shouter(port); var idle = new Socket("localhost", port); var vanishing = new Socket("localhost", port)) {
            var line = "y".repeat(100_000); // cut to 64 KiB
            shouter.shout(line);
            assertThat(shouter.line()).isEqualTo("\t " + "Y".repeat(Client.MAX_LINE));
            idle.getOutputStream().write("w".repeat(4000).getBytes(UTF_8)); // and no newline: idle
            vanishing.getOutputStream().write("v".repeat(4000).getBytes(UTF_8));
            eventually("lines held", () -> reverb.inputMemoryLeft() < (1 << 20) - 8000);
            vanishing.setSoLinger(true, 0);
            vanishing.close(); // a reset
            assertThat(idle.getInputStream().read()).as("closed when idle").isEqualTo(-1);
        }
        eventually("the whole budget given back", () -> reverb.inputMemoryLeft() == 1 << 20);
    }
}
