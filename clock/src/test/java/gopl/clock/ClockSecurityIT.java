package gopl.clock;

import static gopl.common.testing.ServerAttacks.assertCapsHold;
import static gopl.common.testing.ServerAttacks.firstLine;
import static gopl.common.testing.ServerAttacks.listeningPort;
import static org.assertj.core.api.Assertions.assertThat;

import gopl.common.testing.ToolProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Issue 13's attacks on the real clock jar: each must fail. */
@Timeout(120)
class ClockSecurityIT {
    private static final String TIME = "\\d\\d:\\d\\d:\\d\\d";

    @Test
    void connectionFloodsAreRefusedWithOneLineAndLoggedOnce() throws Exception {
        try (var clock = ToolProcess.start("-port", "0", "--max-per-ip", "3", "--max-connections", "5")) {
            int port = listeningPort(clock, "clock");
            var account = assertCapsHold(clock, port, 3, 5, 200, socket -> assertThat(firstLine(socket)).matches(TIME));
            System.out.println("clock, connection flood: " + account);
        }
    }

    @Test
    void aClientThatNeverReadsIsDropped() throws Exception {
        // Ticking every millisecond, the never-reader's socket buffers fill in about a second;
        // at one tick a second the same takes hours, and without a write timeout it is never dropped.
        try (var clock = ToolProcess.start("-port", "0", "--interval", "1ms", "--write-timeout", "1s")) {
            int port = listeningPort(clock, "clock");
            var deaf = new Socket();
            deaf.setReceiveBufferSize(1024);
            long connected = System.nanoTime();
            deaf.connect(new InetSocketAddress("localhost", port));
            try (deaf) {
                var dropped = awaitLog(clock, "dropped: it took nothing sent to it for 1s");
                System.out.printf("clock, never-reading client: dropped %d ms after connecting: %s%n",
                        Duration.ofNanos(System.nanoTime() - connected).toMillis(), dropped);
                deaf.setSoTimeout(20_000);
                assertThat(drain(deaf)).as("what was buffered, then the end").isPositive();
            }
        }
    }

    private static String awaitLog(ToolProcess tool, String text) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            var line = tool.stderrText().lines().filter(l -> l.contains(text)).findFirst();
            if (line.isPresent()) {
                return line.get();
            }
            assertThat(System.nanoTime()).as("logged: " + text + "; stderr: " + tool.stderrText()).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** Reads to the end of the stream (or a reset); the bytes read. */
    private static long drain(Socket socket) throws IOException {
        try {
            return socket.getInputStream().transferTo(OutputStream.nullOutputStream());
        } catch (java.net.SocketException e) {
            return 1; // reset: the server closed with our unread data in flight
        }
    }
}
