package gopl.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TcpServerTest {
    private static String echoOnce(Socket client, String line) throws Exception {
        var out = new PrintWriter(client.getOutputStream(), true, StandardCharsets.UTF_8);
        var in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
        out.println(line);
        return in.readLine();
    }

    private static void echo(Socket socket) throws Exception {
        var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        var out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8);
        for (String line; (line = in.readLine()) != null; ) {
            out.println(line);
        }
    }

    @Test
    void servesManyClientsAtOnceEachOnItsOwnThread() throws Exception {
        try (var server = TcpServer.listen("localhost", 0)) {
            Thread.ofVirtual().start(() -> server.serve(TcpServerTest::echo));
            var clients = new ArrayList<Socket>();
            for (int i = 0; i < 200; i++) {
                clients.add(new Socket("localhost", server.port()));
            }
            // All 200 are open at once, so none can be waiting for another to finish.
            for (int i = 0; i < clients.size(); i++) {
                assertThat(echoOnce(clients.get(i), "hello " + i)).isEqualTo("hello " + i);
            }
            for (var client : clients) {
                client.close();
            }
            assertThat(server.acceptedCount()).isEqualTo(200);
        }
    }

    @Test
    void portInUseIsOneClearLine() {
        try (var first = TcpServer.listen("localhost", 0)) {
            assertThatThrownBy(() -> TcpServer.listen("localhost", first.port()))
                    .isInstanceOf(ToolException.class)
                    .hasMessage("cannot listen on localhost:" + first.port() + ": Address already in use");
        }
    }

    @Test
    void unknownHostIsOneClearLine() {
        assertThatThrownBy(() -> TcpServer.listen("no-such-host.invalid", 0))
                .hasMessage("cannot listen on no-such-host.invalid:0: unknown host");
    }

    @Test
    void closeStopsAcceptingAndClosesOpenConnections() throws Exception {
        var server = TcpServer.listen("localhost", 0);
        var handling = new CountDownLatch(1);
        var serving = Thread.ofVirtual().start(() -> server.serve(socket -> {
            handling.countDown();
            echo(socket);
        }));
        try (var client = new Socket("localhost", server.port())) {
            assertThat(handling.await(5, TimeUnit.SECONDS)).isTrue();
            server.close();
            assertThat(client.getInputStream().read()).isEqualTo(-1);
        }
        serving.join(5000);
        assertThat(serving.isAlive()).isFalse();
        assertThat(server.connectionCount()).isZero();
        assertThatThrownBy(() -> new Socket("localhost", server.port())).isInstanceOf(java.net.ConnectException.class);
    }

    @Test
    void aHandlerThatThrowsHarmsNoOtherClient() throws Exception {
        var errors = new java.util.concurrent.LinkedBlockingQueue<Throwable>();
        try (var server = TcpServer.listen("localhost", 0).onError(errors::add)) {
            Thread.ofVirtual().start(() -> server.serve(socket -> {
                var line = new BufferedReader(new InputStreamReader(socket.getInputStream())).readLine();
                if ("boom".equals(line)) {
                    throw new IllegalStateException("boom");
                }
                new PrintWriter(socket.getOutputStream(), true).println(line);
            }));
            try (var bad = new Socket("localhost", server.port()); var good = new Socket("localhost", server.port())) {
                assertThat(echoOnce(bad, "boom")).isNull();
                assertThat(echoOnce(good, "fine")).isEqualTo("fine");
            }
            // The socket closes before the error is reported, so wait for the report.
            assertThat(errors.poll(10, TimeUnit.SECONDS)).isNotNull().extracting(Throwable::getMessage).isEqualTo("boom");
            assertThat(errors).isEmpty();
        }
    }
}
