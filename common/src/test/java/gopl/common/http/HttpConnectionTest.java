package gopl.common.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gopl.common.Proxies;
import gopl.common.testing.RawHttpServer;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The shared HTTP/1.1 client against raw servers: bodies framed every way HTTP allows, and the ways servers get it wrong. */
@Timeout(30)
class HttpConnectionTest {
    private final Connections connections = new Connections(Proxies.NONE);

    @AfterEach
    void close() {
        connections.close();
    }

    /** One request; the body read whole (if asked for and expected) and the connection released. */
    private String fetch(String method, URI uri) throws IOException {
        var route = connections.route(uri);
        var exchange = connections.exchange(route, RequestHead.of(method, uri, route, Map.of("User-Agent", "test/1")), deadline());
        try (var body = exchange.connection().body(exchange.head(), !method.equals("HEAD"))) {
            var text = exchange.head().status() + " " + new String(body.readAllBytes(), StandardCharsets.UTF_8);
            connections.release(exchange.connection());
            return text;
        } catch (IOException e) {
            connections.discard(exchange.connection());
            throw e;
        }
    }

    private static long deadline() {
        return System.nanoTime() + Duration.ofSeconds(10).toNanos();
    }

    @Test
    void theRequestHeadNamesTheHostAndTheFields() throws Exception {
        try (var server = new RawHttpServer(request -> "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")) {
            assertThat(fetch("GET", server.uri("/a?b=c"))).isEqualTo("200 ok");
            assertThat(server.requests.getFirst()).isEqualTo("GET /a?b=c HTTP/1.1\r\nHost: 127.0.0.1:" + server.port()
                    + "\r\nUser-Agent: test/1\r\n\r\n");
        }
    }

    /** A HEAD answer says how long the body would be, and sends none: the next request on the connection is not confused. */
    @Test
    void aHeadAnswerWithAContentLengthHasNoBody() throws Exception {
        try (var server = new RawHttpServer(request -> request.startsWith("HEAD")
                ? "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"
                : "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nbody")) {
            assertThat(fetch("HEAD", server.uri("/"))).isEqualTo("200 ");
            assertThat(fetch("GET", server.uri("/"))).isEqualTo("200 body");
            assertThat(fetch("HEAD", server.uri("/"))).isEqualTo("200 ");
            assertThat(server.connections).hasValue(1);
        }
    }

    @Test
    void answers204And304HaveNoBodyWhateverTheirHeadsSay() throws Exception {
        try (var server = new RawHttpServer(request -> request.startsWith("GET /none")
                ? "HTTP/1.1 204 No Content\r\nContent-Length: 50\r\n\r\n"
                : request.startsWith("GET /same") ? "HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n"
                : "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nnew")) {
            assertThat(fetch("GET", server.uri("/none"))).isEqualTo("204 ");
            assertThat(fetch("GET", server.uri("/same"))).isEqualTo("304 ");
            assertThat(fetch("GET", server.uri("/"))).isEqualTo("200 new");
            assertThat(server.connections).hasValue(1);
        }
    }

    @Test
    void chunkedBodiesWithExtensionsAndTrailersKeepTheConnection() throws Exception {
        try (var server = new RawHttpServer(request -> "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: t\r\nX-Other: u\r\n\r\n")) {
            assertThat(fetch("GET", server.uri("/"))).isEqualTo("200 hello, world");
            assertThat(fetch("GET", server.uri("/"))).isEqualTo("200 hello, world");
            assertThat(server.connections).hasValue(1);
        }
    }

    @Test
    void aServerThatClosesMidBodyIsAnError() throws Exception {
        try (var length = new RawHttpServer(request -> "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this", true);
                var chunked = new RawHttpServer(request -> "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n64\r\nonly this", true)) {
            assertThatThrownBy(() -> fetch("GET", length.uri("/"))).isInstanceOf(EOFException.class).hasMessage("response body cut short");
            assertThatThrownBy(() -> fetch("GET", chunked.uri("/"))).isInstanceOf(EOFException.class)
                    .hasMessage("response body cut short");
        }
    }

    @Test
    void aServerThatClosesBeforeAnsweringIsOneClearError() throws Exception {
        try (var server = new RawHttpServer(request -> "", true)) {
            assertThatThrownBy(() -> fetch("GET", server.uri("/"))).hasMessage("the server closed the connection");
            assertThat(Connections.describe(new EOFException("the server closed the connection"), Duration.ofSeconds(1)))
                    .isEqualTo("the server closed the connection");
        }
    }

    /** Headers without end: refused at 128 KiB, at once, with one line that says so. */
    @Test
    void aHeadLargerThanTheBoundIsRefused() throws Exception {
        var flood = "HTTP/1.1 200 OK\r\n" + ("X-Flood: " + "a".repeat(1000) + "\r\n").repeat(200); // 200 KB, no end
        try (var server = new RawHttpServer(request -> flood)) {
            assertThatThrownBy(() -> fetch("GET", server.uri("/"))).hasMessage("response headers larger than 128 KiB");
        }
        var oneLine = "HTTP/1.1 200 OK\r\nX-Long: " + "a".repeat(20_000);
        try (var server = new RawHttpServer(request -> oneLine)) {
            assertThatThrownBy(() -> fetch("GET", server.uri("/"))).hasMessage("response header line longer than 16 KiB");
        }
    }

    /** A body that stops coming: each read waits the idle time at most, however far off the deadline is. */
    @Test
    void anIdleTimeoutEndsAStalledBody() throws Exception {
        try (var server = new RawHttpServer(request -> "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nfirst")) {
            var uri = server.uri("/");
            var route = connections.route(uri);
            var exchange = connections.exchange(route, RequestHead.of("GET", uri, route, Map.of()),
                    System.nanoTime() + Duration.ofMinutes(10).toNanos());
            exchange.connection().idleTimeout(Duration.ofSeconds(1));
            var body = exchange.connection().body(exchange.head(), true);
            assertThat(body.readNBytes(5)).asString(StandardCharsets.UTF_8).isEqualTo("first");
            assertThatThrownBy(body::read).isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void theRequestTargetIsAbsoluteThroughAProxyWithItsCredentials() throws Exception {
        try (var proxy = new RawHttpServer(request -> "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")) {
            var env = Map.of("http_proxy", "http://me:pw@127.0.0.1:" + proxy.port());
            try (var viaProxy = new Connections(Proxies.of(env))) {
                var uri = URI.create("http://www.example.test/page");
                var route = viaProxy.route(uri);
                var exchange = viaProxy.exchange(route, RequestHead.of("GET", uri, route, Map.of()), deadline());
                assertThat(exchange.head().status()).isEqualTo(200);
            }
            assertThat(proxy.requests.getFirst()).isEqualTo("GET http://www.example.test/page HTTP/1.1\r\nHost: www.example.test\r\n"
                    + "Proxy-Authorization: Basic bWU6cHc=\r\n\r\n");
        }
    }
}
