package gopl.netcat;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** --broker under abuse: a client that stops reading, and more clients than --max-conns. */
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BrokerIT {
    private static final int SOCKET_TIMEOUT = (int) Proc.TIMEOUT.toMillis();
    /** Far more than a stalled client's socket buffers and queue hold; the flood stops once it is dropped. */
    private static final long FLOOD_LIMIT = 1L << 30;

    private static Socket connect(int port) throws IOException {
        var socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(SOCKET_TIMEOUT);
        return socket;
    }

    @Test
    void aClientThatStopsReadingIsDroppedAndTheOthersCarryOn() throws Exception {
        try (var broker = Proc.ours("-l", "--broker", "-v", "127.0.0.1", "0")) {
            int port = broker.awaitPort();
            try (var stalled = connect(port); var talker = connect(port)) {
                broker.awaitErr("^Connection received");
                broker.awaitErr("^Connection received");
                var dropped = "netcat: 127.0.0.1:" + stalled.getLocalPort() + ": dropped, it stopped reading";
                var flood = new byte[64 * 1024];
                for (long sent = 0; !broker.errText().contains(dropped); sent += flood.length) {
                    assertThat(sent).as("flooded without the stalled client being dropped").isLessThan(FLOOD_LIMIT);
                    talker.getOutputStream().write(flood);
                }
                try (var newcomer = connect(port)) {
                    broker.awaitErr("^Connection received on localhost " + newcomer.getLocalPort() + "$");
                    talker.getOutputStream().write("still here\n".getBytes(UTF_8));
                    assertThat(Proc.readLine(newcomer)).isEqualTo("still here\n");
                }
            }
        }
    }

    @Test
    void clientsBeyondMaxConnsAreTurnedAway() throws Exception {
        try (var broker = Proc.ours("-l", "--broker", "-v", "-m", "1", "127.0.0.1", "0")) {
            int port = broker.awaitPort();
            try (var first = connect(port)) {
                broker.awaitErr("^Connection received");
                try (var second = connect(port)) {
                    assertThat(second.getInputStream().read()).isEqualTo(-1);
                    broker.awaitErr("^netcat: 127\\.0\\.0\\.1:" + second.getLocalPort() + ": refused: --max-conns 1 reached$");
                }
                broker.write("for the one\n");
                assertThat(new String(first.getInputStream().readNBytes(12), UTF_8)).isEqualTo("for the one\n");
            }
        }
    }
}
