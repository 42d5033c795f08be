package gopl.common;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import jdk.net.ExtendedSocketOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a hostile peer can do to the accept loop: too many connections, never reading. */
@Timeout(60)
class TcpServerLimitsTest {
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (var closeable : open.reversed()) {
            closeable.close();
        }
    }

    /** A server that echoes each connection's bytes until the client closes it. */
    private TcpServer echoing(String host) {
        var server = TcpServer.listen(host, 0);
        open.add(server);
        Thread.ofVirtual().start(() -> server.serve(socket -> socket.getInputStream().transferTo(socket.getOutputStream())));
        return server;
    }

    /** {@code count} connections from {@code from}, each checked to be served. */
    private List<Socket> served(TcpServer server, String from, int count) throws IOException {
        var held = new ArrayList<Socket>();
        for (int i = 0; i < count; i++) {
            held.add(connect(server.port(), from));
            assertServed(held.getLast());
        }
        return held;
    }

    private Socket connect(int port, String from) throws IOException {
        var socket = new Socket();
        open.add(socket);
        socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        socket.setSoTimeout(20_000);
        return socket;
    }

    private static String firstLine(Socket socket) throws IOException {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), UTF_8)).readLine();
    }

    /** Echoes a line, proving the connection was let in and is being served. */
    private static void assertServed(Socket socket) throws IOException {
        socket.getOutputStream().write("ping\n".getBytes(UTF_8));
        assertThat(firstLine(socket)).isEqualTo("ping");
    }

    private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("never happened: " + what).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    @Test
    void aClientOverTheConnectionCapGetsOneLineAndIsClosed() throws Exception {
        var server = echoing("127.0.0.1").limit(3, 0);
        var held = served(server, "127.0.0.1", 3);
        var refused = connect(server.port(), "127.0.0.1");
        assertThat(firstLine(refused)).isEqualTo("Too many connections; try again later.");
        assertThat(refused.getInputStream().read()).isEqualTo(-1);
        assertThat(server.stats().refused()).isEqualTo(1);

        held.getFirst().close();
        eventually("the closed connection is forgotten", () -> server.connectionCount() == 2);
        assertServed(connect(server.port(), "127.0.0.1"));
        assertThat(server.stats().accepted()).isEqualTo(4);
    }

    @Test
    void thePerAddressCapRefusesOnlyTheAddressOverIt() throws Exception {
        var server = echoing("127.0.0.1").limit(0, 2);
        served(server, "127.0.0.2", 2);
        var refused = connect(server.port(), "127.0.0.2");
        assertThat(firstLine(refused)).isEqualTo("Too many connections from your address; try again later.");
        assertServed(connect(server.port(), "127.0.0.3"));
        assertThat(server.stats().refused()).isEqualTo(1);
        assertThat(server.connectionCount()).isEqualTo(3);
    }

    @Test
    void aRefusalReadsAsTheProtocolWantsIt() throws Exception {
        var server = echoing("127.0.0.1").limit(1, 0).refuseWith(reason -> "421 " + reason + "\r\n");
        assertServed(connect(server.port(), "127.0.0.1"));
        var refused = connect(server.port(), "127.0.0.1");
        assertThat(new String(refused.getInputStream().readAllBytes(), UTF_8)).isEqualTo("421 Too many connections; try again later.\r\n");
    }

    @Test
    void aFloodOfRefusedConnectionsLeavesTheServerServing() throws Exception {
        var server = echoing("127.0.0.1").limit(0, 5);
        var held = served(server, "127.0.0.4", 5);
        for (int i = 0; i < 500; i++) {
            try (var refused = new Socket()) {
                refused.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.4"), 0));
                refused.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
            }
        }
        assertServed(connect(server.port(), "127.0.0.5"));
        for (var socket : held) {
            assertServed(socket);
        }
        eventually("every refusal is counted", () -> server.stats().refused() == 500);
        assertThat(server.connectionCount()).isEqualTo(6);
    }

    @Test
    void aClientThatNeverReadsIsDroppedAfterTheWriteTimeout() throws Exception {
        var failures = new LinkedBlockingQueue<Exception>();
        var server = TcpServer.listen("localhost", 0).writeTimeout(Duration.ofMillis(300));
        open.add(server);
        Thread.ofVirtual().start(() -> server.serve(socket -> {
            var chunk = new byte[64 * 1024];
            try {
                while (true) {
                    socket.getOutputStream().write(chunk); // blocks for good once the client's window is full
                }
            } catch (IOException e) {
                failures.add(e);
            }
        }));
        var deaf = new Socket();
        open.add(deaf);
        deaf.setReceiveBufferSize(1024);
        deaf.connect(new InetSocketAddress("localhost", server.port()));
        assertThat(failures.poll(20, TimeUnit.SECONDS)).as("the stuck write failed").isInstanceOf(SocketException.class);
        eventually("the connection is gone", () -> server.connectionCount() == 0);
        assertThat(server.stats().timedOut()).isEqualTo(1);
    }

    @Test
    void aReaderThatKeepsUpIsNotDropped() throws Exception {
        var server = TcpServer.listen("localhost", 0).writeTimeout(Duration.ofSeconds(2));
        open.add(server);
        var total = 32L << 20;
        Thread.ofVirtual().start(() -> server.serve(socket -> {
            var chunk = new byte[1 << 20];
            for (long sent = 0; sent < total; sent += chunk.length) {
                socket.getOutputStream().write(chunk); // each write is far more than the socket buffers
            }
        }));
        try (var reader = new Socket("localhost", server.port())) {
            reader.setSoTimeout(20_000);
            assertThat(reader.getInputStream().transferTo(java.io.OutputStream.nullOutputStream())).isEqualTo(total);
        }
        assertThat(server.stats().timedOut()).isZero();
    }

    @Test
    void aVanishedPeerIsProbedForWithKeepalive() throws Exception {
        var seen = new LinkedBlockingQueue<List<Object>>();
        var server = TcpServer.listen("localhost", 0);
        open.add(server);
        Thread.ofVirtual().start(() -> server.serve(socket -> seen.add(List.of(socket.getKeepAlive(),
                socket.getOption(ExtendedSocketOptions.TCP_KEEPIDLE), socket.getOption(ExtendedSocketOptions.TCP_KEEPINTERVAL),
                socket.getOption(ExtendedSocketOptions.TCP_KEEPCOUNT)))));
        try (var client = new Socket("localhost", server.port())) {
            // Probes after 60 s of silence, 6 of them 10 s apart: a silent vanished peer is gone within 2 minutes.
            assertThat(seen.poll(20, TimeUnit.SECONDS)).containsExactly(true, 60, 10, 6);
        }
    }

    @Test
    void bytesAreCountedBothWays() throws Exception {
        var server = echoing("localhost");
        try (var client = new Socket("localhost", server.port())) {
            client.setSoTimeout(20_000);
            client.getOutputStream().write(new byte[1000]);
            assertThat(client.getInputStream().readNBytes(1000)).hasSize(1000);
        }
        eventually("the connection has ended", () -> server.connectionCount() == 0);
        var stats = server.stats();
        assertThat(stats.bytesIn()).isEqualTo(1000);
        assertThat(stats.bytesOut()).isEqualTo(1000);
        assertThat(stats.accepted()).isEqualTo(1);
        assertThat(stats.errors()).isZero();
    }
}
