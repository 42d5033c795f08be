package gopl.common.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import gopl.common.Proxies;
import gopl.common.Tls;
import gopl.common.testing.Certificates;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TLS context is asked for at the first https connection, never for http (making the default
 * one reads and parses the CA certificates: most of fetch's start-up once), and the server's
 * certificate is checked by it.
 */
@Timeout(60)
class TlsOnDemandTest {
    @TempDir
    Path dir;

    private final AtomicInteger made = new AtomicInteger();
    private HttpServer server;
    private Connections connections;

    @AfterEach
    void stop() {
        if (connections != null) {
            connections.close();
        }
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void anHttpRunNeverAsksForTheContext() throws Exception {
        server = serve(HttpServer.create(loopback(), 0));
        assertThat(get(connections(SSLContext.getDefault()), "http")).isEqualTo("hello");
        assertThat(made).hasValue(0);
    }

    @Test
    void anHttpsRunHandshakesWithTheContextMadeOnce() throws Exception {
        var pair = Certificates.selfSigned(dir, "server", "EC");
        server = serve(https(pair));
        var client = connections(Tls.client(pair.certificate()));
        assertThat(made).hasValue(0);
        assertThat(get(client, "https")).isEqualTo("hello");
        assertThat(get(client, "https")).isEqualTo("hello");
        assertThat(made).hasValue(1);
    }

    /** By default, the JDK's CA certificates: a self-signed one is refused. */
    @Test
    void anUntrustedCertificateIsRefused() throws Exception {
        server = serve(https(Certificates.selfSigned(dir, "server", "EC")));
        connections = new Connections(Proxies.NONE);
        assertThatThrownBy(() -> get(connections, "https")).isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("PKIX path building failed")
                .satisfies(e -> assertThat(Connections.describe(e, Duration.ofSeconds(5))).isEqualTo("TLS: certificate not trusted (issued by an unknown CA, or self-signed)"));
    }

    private Connections connections(SSLContext real) {
        connections = new Connections(Proxies.NONE, () -> {
            made.incrementAndGet();
            return real;
        });
        return connections;
    }

    private String get(Connections client, String scheme) throws Exception {
        return get(client, URI.create(scheme + "://localhost:" + server.getAddress().getPort() + "/"));
    }

    private static String get(Connections client, URI uri) throws Exception {
        var route = client.route(uri);
        var exchange = client.exchange(route, RequestHead.of("GET", uri, route, Map.of()), System.nanoTime() + 10_000_000_000L);
        try (var body = exchange.connection().body(exchange.head(), true)) {
            return new String(body.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            client.release(exchange.connection());
        }
    }

    private static InetSocketAddress loopback() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    private static <S extends HttpServer> S serve(S server) {
        server.createContext("/", exchange -> {
            var body = "hello".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (var out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return server;
    }

    private static HttpsServer https(Certificates.Pair pair) throws Exception {
        var server = HttpsServer.create(loopback(), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(Tls.server(pair.certificate(), pair.key())));
        return server;
    }
}
