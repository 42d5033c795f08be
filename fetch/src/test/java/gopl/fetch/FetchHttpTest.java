package gopl.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import gopl.common.Tls;
import gopl.common.testing.Certificates;
import gopl.common.testing.InProcess;
import gopl.common.testing.RawHttpServer;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fetch on its own HTTP/1.1 client: the framings and failures a swap of clients could get wrong, each one line or the right bytes. */
class FetchHttpTest {
    private InProcess io;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    private int fetch(String... args) {
        var command = new FetchCommand();
        command.body = body;
        command.environment = java.util.Map.of();
        io = new InProcess(); // each run's output on its own
        return io.run(command, args);
    }

    private String written() {
        return body.toString(StandardCharsets.ISO_8859_1);
    }

    /** -I: the answer says how long the body would be and sends none; fetch prints the head and is done, not waiting for it. */
    @Test
    void aHeadAnswerWithAContentLengthEndsAtItsHead() throws Exception {
        try (var server = new RawHttpServer(request -> "HTTP/1.1 200 OK\r\nContent-Length: 5000\r\nX-Test: t\r\n\r\n")) {
            assertThat(fetch("-I", "--timeout", "30s", server.uri("/f").toString())).isZero();
            assertThat(written()).isEqualTo("HTTP/1.1 200 OK\r\ncontent-length: 5000\r\nx-test: t\r\n\r\n");
            assertThat(server.requests.getFirst()).startsWith("HEAD /f HTTP/1.1\r\n");
        }
    }

    @Test
    void a204WinsWithAnEmptyBody() throws Exception {
        try (var server = new RawHttpServer(request -> "HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n")) {
            assertThat(fetch("--timeout", "30s", server.uri("/").toString())).isZero();
            assertThat(body.size()).isZero();
        }
    }

    @Test
    void aChunkedBodyWithTrailersIsWrittenWhole() throws Exception {
        try (var server = new RawHttpServer(request -> "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "6\r\nhello \r\n5;x=y\r\nworld\r\n0\r\nX-Checksum: abc\r\n\r\n")) {
            assertThat(fetch(server.uri("/").toString())).isZero();
            assertThat(written()).isEqualTo("hello world");
        }
    }

    @Test
    void aServerThatClosesMidBodyFailsTheRunInOneLine() throws Exception {
        try (var server = new RawHttpServer(request -> "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this", true)) {
            var url = server.uri("/").toString();
            assertThat(fetch(url)).isEqualTo(1);
            assertThat(io.stderr().lines().skip(1)).containsExactly("fetch: " + url + ": body failed after 9 bytes: response body cut short");

            assertThat(fetch("--all", url)).isEqualTo(1);
            assertThat(io.stderr()).matches("fetch: " + url + ": response body cut short \\(\\d+\\.\\d\\ds\\)\n");
        }
    }

    /** Headers without end: one line at 128 KiB, not a hang and not a heap filled with them. */
    @Test
    void aHeadLargerThanTheBoundIsOneLine() throws Exception {
        var flood = "HTTP/1.1 200 OK\r\n" + ("X-Flood: " + "a".repeat(1000) + "\r\n").repeat(300);
        try (var server = new RawHttpServer(request -> flood)) {
            var url = server.uri("/").toString();
            assertThat(fetch("--timeout", "30s", url)).isEqualTo(1);
            assertThat(io.stderr()).isEqualTo("fetch: " + url + ": response headers larger than 128 KiB\n");
        }
    }

    /** Redirects: followed up to five times, as the JDK's client did; a sixth answer of 302 is the failure. */
    @Test
    void redirectsAreFollowedFiveTimesAtMost() throws Exception {
        try (var server = new RawHttpServer(request -> {
            int hop = Integer.parseInt(request.substring(5, request.indexOf(' ', 5)));
            return hop == 5 ? "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nhop5"
                    : "HTTP/1.1 302 Found\r\nLocation: /" + (hop + 1) + "\r\nContent-Length: 0\r\n\r\n";
        }); var endless = new RawHttpServer(request -> "HTTP/1.1 302 Found\r\nLocation: /again\r\nContent-Length: 0\r\n\r\n")) {
            assertThat(fetch(server.uri("/0").toString())).isZero();
            assertThat(written()).isEqualTo("hop5");
            assertThat(server.connections).as("the redirects kept the connection").hasValue(1);

            assertThat(fetch(endless.uri("/").toString())).isEqualTo(1);
            assertThat(io.stderr()).isEqualTo("fetch: " + endless.uri("/") + ": 302 Found\n");
            assertThat(endless.requests).hasSize(6);
        }
    }

    /** fetchall keeps a site's connection alive from one URL to the next. */
    @Test
    void fetchAllReusesConnections() throws Exception {
        try (var server = new RawHttpServer(request -> "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")) {
            assertThat(fetch("--all", "--concurrency", "1", server.uri("/a").toString(), server.uri("/b").toString(),
                    server.uri("/c").toString())).isZero();
            assertThat(io.stdout().lines()).hasSize(4);
            assertThat(server.connections).hasValue(1);
        }
    }

    /** https with the JDK's CA certificates: a self-signed server is refused, in one line. */
    @Test
    void anUntrustedCertificateIsRefusedInOneLine(@TempDir Path dir) throws Exception {
        var pair = Certificates.selfSigned(dir, "server", "EC");
        var server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(Tls.server(pair.certificate(), pair.key())));
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        try {
            var url = "https://localhost:" + server.getAddress().getPort() + "/";
            assertThat(fetch("--timeout", "30s", url)).isEqualTo(1);
            assertThat(io.stderr()).isEqualTo("fetch: " + url + ": TLS: certificate not trusted (issued by an unknown CA, or self-signed)\n");
        } finally {
            server.stop(0);
        }
    }
}
