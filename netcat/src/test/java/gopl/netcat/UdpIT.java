package gopl.netcat;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code -u} both ways against OpenBSD nc, in the same test: the same datagrams on the wire (each
 * read of stdin is one, at most 16 KiB), the same bytes out, and the same endings ({@code -w}
 * idle, {@code -q}, an ICMP refusal). Tests wait on datagrams and on what the tools say, never on time.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UdpIT {
    private static final int SOCKET_TIMEOUT = (int) Proc.TIMEOUT.toMillis();

    /** A UDP echo server that also records every datagram it got, in order. */
    private static final class Echo implements AutoCloseable {
        final DatagramSocket socket;
        final List<byte[]> received = new ArrayList<>();
        private final Thread thread;

        Echo() throws Exception {
            socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
            thread = Thread.ofVirtual().start(this::serve);
        }

        private void serve() {
            var buffer = new byte[65536];
            try {
                while (true) {
                    var packet = new DatagramPacket(buffer, buffer.length);
                    socket.receive(packet);
                    synchronized (received) {
                        received.add(Arrays.copyOf(buffer, packet.getLength()));
                    }
                    socket.send(new DatagramPacket(buffer, packet.getLength(), packet.getSocketAddress()));
                }
            } catch (Exception closed) {
                // Closed by the test.
            }
        }

        List<Integer> sizes() {
            synchronized (received) {
                return received.stream().map(datagram -> datagram.length).toList();
            }
        }

        @Override
        public void close() throws InterruptedException {
            socket.close();
            thread.join();
        }
    }

    private record Exchange(List<Integer> datagrams, Proc.Result result) {}

    /** A client run to its -w idle end against a fresh echo server. */
    private static Exchange client(Function<String[], Proc> tool, byte[] stdin) throws Exception {
        try (var echo = new Echo()) {
            var port = String.valueOf(echo.socket.getLocalPort());
            var result = tool.apply(new String[] {"-u", "-w", "1", "127.0.0.1", port}).run(stdin);
            return new Exchange(echo.sizes(), result);
        }
    }

    @Test
    void eachReadOfStdinIsOneDatagramAndRepliesReachStdout() throws Exception {
        var theirs = client(args -> Proc.real("nc", args), "x\ny\n".getBytes(UTF_8));
        var ours = client(Proc::ours, "x\ny\n".getBytes(UTF_8));
        assertThat(ours.datagrams()).isEqualTo(theirs.datagrams()).isEqualTo(List.of(4));
        Proc.assertSame(ours.result(), theirs.result());
        assertThat(ours.result().text()).isEqualTo("x\ny\n");
    }

    @Test
    void aLargeInputGoesOutInNcsSixteenKibDatagrams() throws Exception {
        var data = new byte[100_000];
        new Random(19).nextBytes(data);
        var theirs = client(args -> Proc.real("nc", args), data);
        var ours = client(Proc::ours, data);
        assertThat(ours.datagrams()).isEqualTo(theirs.datagrams())
                .isEqualTo(List.of(16384, 16384, 16384, 16384, 16384, 16384, 1696));
        assertThat(ours.result().out()).isEqualTo(data);
        assertThat(ours.result().status()).isEqualTo(theirs.result().status()).isZero();
    }

    /** -u -l: the first datagram's sender becomes the peer, stdin answers it, and -w ends the quiet session. */
    private static List<String> listener(Function<String[], Proc> tool) throws Exception {
        try (var server = tool.apply(new String[] {"-u", "-l", "-v", "-w", "1", "127.0.0.1", "0"});
             var client = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            client.setSoTimeout(SOCKET_TIMEOUT);
            int port = server.awaitPort();
            client.connect(InetAddress.getLoopbackAddress(), port);
            client.send(new DatagramPacket("hello\n".getBytes(UTF_8), 6));
            var received = server.awaitErr("^Connection received on (\\S+) (\\d+)$");
            assertThat(received.group(2)).isEqualTo(String.valueOf(client.getLocalPort()));
            server.write("reply\n");
            var reply = new DatagramPacket(new byte[100], 100);
            client.receive(reply);
            var result = server.finish(Proc.TIMEOUT);
            return List.of(result.text(), new String(reply.getData(), 0, reply.getLength(), UTF_8),
                    received.group(1), String.valueOf(result.status()));
        }
    }

    @Test
    void listenerAnswersTheFirstSenderAsNcDoes() throws Exception {
        var theirs = listener(args -> Proc.real("nc", args));
        var ours = listener(Proc::ours);
        assertThat(ours).isEqualTo(theirs).isEqualTo(List.of("hello\n", "reply\n", "localhost", "0"));
    }

    /** -u -l -k: datagrams from several senders, all to stdout. */
    private static String fromEveryone(Function<String[], Proc> tool) throws Exception {
        try (var server = tool.apply(new String[] {"-u", "-l", "-k", "-v", "127.0.0.1", "0"});
             var one = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             var two = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            int port = server.awaitPort();
            one.send(new DatagramPacket("one\n".getBytes(UTF_8), 4, InetAddress.getLoopbackAddress(), port));
            server.awaitOut("one\n");
            two.send(new DatagramPacket("two\n".getBytes(UTF_8), 4, InetAddress.getLoopbackAddress(), port));
            server.awaitOut("one\ntwo\n");
            return server.kill().text();
        }
    }

    @Test
    void keepOpenTakesDatagramsFromEveryoneAsNcDoes() throws Exception {
        assertThat(fromEveryone(Proc::ours)).isEqualTo(fromEveryone(args -> Proc.real("nc", args)))
                .isEqualTo("one\ntwo\n");
    }

    @Test
    void aRefusalEndsTheInputQuietlyAsNcDoes() throws Exception {
        int closed;
        try (var probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            closed = probe.getLocalPort();
        }
        String[] args = {"-u", "127.0.0.1", String.valueOf(closed)};
        var theirs = Proc.real("nc", args).run("anyone?\n".getBytes(UTF_8));
        var ours = Proc.ours(args).run("anyone?\n".getBytes(UTF_8));
        Proc.assertSame(ours, theirs);
        assertThat(ours.status()).isZero();
    }

    @Test
    void quitZeroLeavesRightAfterSendingAsNcDoes() throws Exception {
        for (var tool : List.<Function<String[], Proc>>of(args -> Proc.real("nc", args), Proc::ours)) {
            try (var silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                silent.setSoTimeout(SOCKET_TIMEOUT);
                var port = String.valueOf(silent.getLocalPort());
                var result = tool.apply(new String[] {"-u", "-q", "0", "127.0.0.1", port}).run("ping\n".getBytes(UTF_8));
                assertThat(result.status()).isZero();
                var packet = new DatagramPacket(new byte[100], 100);
                silent.receive(packet);
                assertThat(new String(packet.getData(), 0, packet.getLength(), UTF_8)).isEqualTo("ping\n");
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the datagram never came", e);
            }
        }
    }
}
