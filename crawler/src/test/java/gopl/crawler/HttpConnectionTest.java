package gopl.crawler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gopl.common.Proxies;
import gopl.common.http.Connections;
import gopl.common.testing.RawHttpServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The crawl's own HTTP/1.1 client against servers that frame bodies every way HTTP allows. */
@Timeout(30)
class HttpConnectionTest {
    private final Connections connections = new Connections(Proxies.NONE);
    private final Fetcher fetcher = new Fetcher(connections, new Fetcher.Options(Duration.ofSeconds(5), 1 << 20, false, 1 << 20,
            "test/1", uri -> true, false, null, uri -> Map.of("X-Extra", "1"), null));

    @AfterEach
    void close() {
        connections.close();
    }

    @Test
    void keepsTheConnectionAliveAcrossRequests() throws Exception {
        try (var server = new RawHttpServer(request -> "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello")) {
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
        try (var server = new RawHttpServer(request -> "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
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
        try (var server = new RawHttpServer(request -> "HTTP/1.0 200 OK\r\n\r\nuntil the end", true)) {
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
        try (var server = new RawHttpServer(request -> "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", true)) {
            fetcher.get(server.uri("/a"), fetcher.deadline());
            var response = fetcher.get(server.uri("/b"), fetcher.deadline());
            assertThat(response.status()).isEqualTo(200);
            assertThat(server.connections.get()).isEqualTo(2);
        }
    }

    @Test
    void aShortRedirectBodyIsSkippedAndTheConnectionKept() throws Exception {
        try (var server = new RawHttpServer(request -> request.startsWith("GET /old")
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
        try (var server = new RawHttpServer(request -> "SSH-2.0-OpenSSH\r\n", true)) {
            assertThatThrownBy(() -> fetcher.get(server.uri("/"), fetcher.deadline()))
                    .hasMessageStartingWith("not an HTTP/1.x response: SSH-2.0");
        }
    }

    @Test
    void aBodyCutShortFailsTheUrl() throws Exception {
        try (var server = new RawHttpServer(request -> "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this", true)) {
            assertThatThrownBy(() -> fetcher.get(server.uri("/"), fetcher.deadline())).hasMessage("response body cut short");
        }
    }
}
