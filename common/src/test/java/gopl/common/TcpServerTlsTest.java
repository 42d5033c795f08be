package gopl.common;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import gopl.common.testing.Certificates;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** TLS on a TcpServer's port: the handshake before the handler, and clients that do not speak TLS. */
@Timeout(60)
class TcpServerTlsTest {
    @TempDir
    static Path dir;

    static Certificates.Pair pair;
    static SSLContext serverContext;

    private final List<AutoCloseable> open = new ArrayList<>();
    private final AtomicInteger handled = new AtomicInteger();

    @BeforeAll
    static void makeCertificate() {
        pair = Certificates.selfSigned(dir, "server", "EC");
        serverContext = Tls.server(pair.certificate(), pair.key());
    }

    @AfterEach
    void closeAll() throws Exception {
        for (var closeable : open.reversed()) {
            closeable.close();
        }
    }

    /** Serves each connection one line: what the client sent, in upper case; then the handler returns. */
    private TcpServer serve(TcpServer server) {
        open.add(server);
        Thread.ofVirtual().start(() -> server.serve(socket -> {
            handled.incrementAndGet();
            var line = new BufferedReader(new InputStreamReader(socket.getInputStream(), UTF_8)).readLine();
            socket.getOutputStream().write((line.toUpperCase() + "\n").getBytes(UTF_8));
        }));
        return server;
    }

    private Socket plain(int port) throws IOException {
        var socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(20_000);
        open.add(socket);
        return socket;
    }

    private SSLSocket secure(int port) throws IOException {
        var context = Tls.client(pair.certificate());
        var socket = (SSLSocket) context.getSocketFactory().createSocket(plain(port), "localhost", port, true);
        socket.setSSLParameters(Tls.parameters(context));
        return socket;
    }

    private static String exchange(Socket socket, String line) throws IOException {
        socket.getOutputStream().write((line + "\n").getBytes(UTF_8));
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), UTF_8)).readLine();
    }

    @Test
    void aTlsPortBesideAPlainOneServesBothAndEndsWithACloseNotify() throws IOException {
        var server = serve(TcpServer.listen("localhost", 0).listenTls("localhost", 0, serverContext));
        assertThat(server.secondAddress()).isEqualTo("localhost:" + server.secondPort());
        assertThat(exchange(plain(server.port()), "plain")).isEqualTo("PLAIN");
        var tls = secure(server.secondPort());
        assertThat(exchange(tls, "secure")).isEqualTo("SECURE");
        assertThat(tls.getSession().getProtocol()).isEqualTo("TLSv1.3");
        assertThat(tls.getInputStream().read()).as("a clean end of the TLS stream").isEqualTo(-1);
        assertThat(server.stats().bytesIn()).as("TLS bytes are counted too").isGreaterThan(300);
    }

    @Test
    void theFirstPortCanSpeakTlsOnly() throws IOException {
        var server = serve(TcpServer.listen("localhost", 0).tls(serverContext));
        assertThat(server.isTls()).isTrue();
        assertThat(exchange(secure(server.port()), "secure")).isEqualTo("SECURE");
        assertThat(exchange(plain(server.port()), "plain")).isEqualTo(TlsHandshake.PLAIN_TEXT);
    }

    @Test
    void plainTextOnTheTlsPortIsToldInOneLineAndNeverReachesTheHandler() throws IOException {
        var server = serve(TcpServer.listen("localhost", 0).tls(serverContext));
        for (int i = 0; i < 5; i++) {
            var socket = plain(server.port());
            assertThat(exchange(socket, "GET / HTTP/1.0")).isEqualTo(TlsHandshake.PLAIN_TEXT);
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
        assertThat(handled).hasValue(0);
    }

    @Test
    void aSilentClientIsToldOnceAThirdOfTheHandshakeTimeHasPassed() throws IOException {
        var server = serve(TcpServer.listen("localhost", 0).handshakeTimeout(Duration.ofSeconds(1)).tls(serverContext));
        var socket = plain(server.port()); // a plain-text chat client waits for the server to speak first
        var reply = new BufferedReader(new InputStreamReader(socket.getInputStream(), UTF_8));
        assertThat(reply.readLine()).isEqualTo(TlsHandshake.PLAIN_TEXT);
        assertThat(reply.read()).isEqualTo(-1);
        assertThat(handled).hasValue(0);
    }

    @Test
    void aHandshakeTrickledAByteAtATimeIsCutOffAtTheTimeout() throws Exception {
        var server = serve(TcpServer.listen("localhost", 0).handshakeTimeout(Duration.ofSeconds(1)).tls(serverContext));
        var socket = plain(server.port());
        long start = System.nanoTime();
        var trickle = Thread.ofVirtual().start(() -> {
            try {
                socket.getOutputStream().write(22); // a handshake record, then its header a byte at a time
                for (int i = 0; i < 1000; i++) {
                    Thread.sleep(100); // each byte well within the read timeout: only the total is too long
                    socket.getOutputStream().write(3);
                }
            } catch (IOException | InterruptedException e) {
                // The server hung up: what we expect.
            }
        });
        try {
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        } catch (SocketException e) {
            // Reset: the server closed with our bytes unread.
        }
        var took = Duration.ofNanos(System.nanoTime() - start);
        trickle.join();
        assertThat(took).as("cut off at the timeout, not after 100 s of trickling").isLessThan(Duration.ofSeconds(20));
        assertThat(handled).hasValue(0);
    }
}
