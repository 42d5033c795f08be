package gopl.crawler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gopl.common.Proxies;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The crawl's own HTTP/1.1 client against servers that frame bodies every way HTTP allows. */
@Timeout(30)
class HttpConnectionTest {
    private final Connections connections = new Connections(null, Proxies.NONE);
    private final Fetcher fetcher = new Fetcher(connections, new Fetcher.Options(Duration.ofSeconds(5), 1 << 20, false, 1 << 20,
            "test/1", uri -> true, false, null, uri -> Map.of("X-Extra", "1"), null));

    @AfterEach
    void close() {
        connections.close();
    }

    @Test
    void keepsTheConnectionAliveAcrossRequests() throws Exception {
        try (var server = new RawServer(request -> "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello")) {
            for (int i = 0; i < 5; i++) {
                var response = fetcher.get(server.uri("/" + i), fetcher.deadline());
                assertThat(new String(response.body().bytes(), StandardCharsets.UTF_8)).isEqualTo("hello");
            }
            assertThat(server.connections.get()).isEqualTo(1);
            assertThat(server.requests).hasSize(5);
            assertThat(server.requests.getFirst()).startsWith("GET /0 HTTP/1.1\r\n").contains("Host: 127.0.0.1:" + server.port() + "\r\n")
                    .contains("User-Agent: test/1\r\n").contains("X-Extra: 1\r\n");
        }
    }

    @Test
    void readsChunkedBodiesWithExtensionsAndTrailers() throws Exception {
        try (var server = new RawServer(request -> "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n")) {
            for (int i = 0; i < 2; i++) {
                var response = fetcher.get(server.uri("/"), fetcher.deadline());
                assertThat(new String(response.body().bytes(), StandardCharsets.UTF_8)).isEqualTo("hello, world");
            }
            assertThat(server.connections.get()).isEqualTo(1);
        }
    }

    @Test
    void aBodyUpToTheEndOfTheConnectionIsReadAndTheConnectionNotReused() throws Exception {
        try (var server = new RawServer(request -> "HTTP/1.0 200 OK\r\n\r\nuntil the end", true)) {
            for (int i = 0; i < 2; i++) {
                assertThat(new String(fetcher.get(server.uri("/"), fetcher.deadline()).body().bytes(), StandardCharsets.UTF_8))
                        .isEqualTo("until the end");
            }
            assertThat(server.connections.get()).isEqualTo(2);
        }
    }

    /** A server that closes a kept-alive connection while it is idle: the next request goes out again on a new one. */
    @Test
    void aConnectionClosedWhileIdleIsReplaced() throws Exception {
        try (var server = new RawServer(request -> "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", true)) {
            fetcher.get(server.uri("/a"), fetcher.deadline());
            var response = fetcher.get(server.uri("/b"), fetcher.deadline());
            assertThat(response.status()).isEqualTo(200);
            assertThat(server.connections.get()).isEqualTo(2);
        }
    }

    @Test
    void aShortRedirectBodyIsSkippedAndTheConnectionKept() throws Exception {
        try (var server = new RawServer(request -> request.startsWith("GET /old")
                ? "HTTP/1.1 301 Moved\r\nLocation: /new\r\nContent-Length: 6\r\n\r\nmoved!"
                : "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nnew")) {
            var moved = fetcher.get(server.uri("/old"), fetcher.deadline());
            assertThat(moved.isRedirect()).isTrue();
            assertThat(moved.location()).isEqualTo("/new");
            assertThat(new String(fetcher.get(server.uri("/new"), fetcher.deadline()).body().bytes(), StandardCharsets.UTF_8))
                    .isEqualTo("new");
            assertThat(server.connections.get()).isEqualTo(1);
        }
    }

    @Test
    void aResponseThatIsNotHttpFailsTheUrl() throws Exception {
        try (var server = new RawServer(request -> "SSH-2.0-OpenSSH\r\n", true)) {
            assertThatThrownBy(() -> fetcher.get(server.uri("/"), fetcher.deadline()))
                    .hasMessageStartingWith("not an HTTP/1.x response: SSH-2.0");
        }
    }

    @Test
    void aBodyCutShortFailsTheUrl() throws Exception {
        try (var server = new RawServer(request -> "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this", true)) {
            assertThatThrownBy(() -> fetcher.get(server.uri("/"), fetcher.deadline())).hasMessage("response body cut short");
        }
    }

    /** A loopback server answering each request (read up to its blank line) with the text the function gives. */
    private static final class RawServer implements AutoCloseable {
        interface Answer {
            String to(String request);
        }

        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final Answer answer;
        private final boolean closeAfterEach;
        final AtomicInteger connections = new AtomicInteger();
        final List<String> requests = new CopyOnWriteArrayList<>();

        RawServer(Answer answer) throws IOException {
            this(answer, false);
        }

        RawServer(Answer answer, boolean closeAfterEach) throws IOException {
            this.answer = answer;
            this.closeAfterEach = closeAfterEach;
            Thread.ofVirtual().start(this::accept);
        }

        int port() {
            return socket.getLocalPort();
        }

        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + port() + path);
        }

        private void accept() {
            try {
                while (true) {
                    var client = socket.accept();
                    connections.incrementAndGet();
                    Thread.ofVirtual().start(() -> serve(client));
                }
            } catch (IOException e) {
                // Closed: the test is over.
            }
        }

        private void serve(Socket client) {
            try (client) {
                var in = client.getInputStream();
                for (String request; (request = readRequest(in)) != null; ) {
                    requests.add(request);
                    client.getOutputStream().write(answer.to(request).getBytes(StandardCharsets.ISO_8859_1));
                    client.getOutputStream().flush();
                    if (closeAfterEach) {
                        return;
                    }
                }
            } catch (IOException e) {
                // The client went away.
            }
        }

        private static String readRequest(InputStream in) throws IOException {
            var request = new StringBuilder();
            for (int c; (c = in.read()) >= 0; ) {
                request.append((char) c);
                if (request.toString().endsWith("\r\n\r\n")) {
                    return request.toString();
                }
            }
            return null;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
