package gopl.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import gopl.common.testing.Certificates;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The client's TLS is made on its first https connection, and it is the TLS it stands in for. */
@Timeout(60)
class DeferredTlsTest {
    private static final char[] PASSWORD = "throwaway".toCharArray();

    static {
        // FetchCommand's static initialiser sets system properties the JDK's HTTP client reads once
        // per JVM (-H 'Host: ...' allowed); as in a real run, it must come before any client here,
        // or this class, run first, would leave them unset for the other tests in this JVM.
        try {
            MethodHandles.lookup().ensureInitialized(FetchCommand.class);
        } catch (IllegalAccessException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @TempDir
    Path dir;

    private final AtomicInteger made = new AtomicInteger();
    private HttpServer server;
    private HttpClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.shutdownNow();
        }
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void anHttpRunNeverMakesTheRealContext() throws Exception {
        server = serve(HttpServer.create(loopback(), 0));
        var response = send(client(SSLContext.getDefault()), "http");
        assertThat(response.body()).isEqualTo("hello");
        assertThat(made).hasValue(0);
    }

    @Test
    void anHttpsRunHandshakesWithTheRealContextMadeOnce() throws Exception {
        var store = Certificates.keystore(dir, "server", "EC", new String(PASSWORD));
        server = serve(https(store));
        client = client(trusting(store));
        assertThat(made).hasValue(0);
        assertThat(send(client, "https").body()).isEqualTo("hello");
        assertThat(send(client, "https").body()).isEqualTo("hello");
        assertThat(made).hasValue(1);
    }

    @Test
    void theRealContextStillChecksTheCertificate() throws Exception {
        var store = Certificates.keystore(dir, "server", "EC", new String(PASSWORD));
        server = serve(https(store));
        // The JDK's CA certificates: the self-signed one is no more trusted than without the stand-in.
        assertThatThrownBy(() -> send(client(SSLContext.getDefault()), "https"))
                .isInstanceOf(SSLHandshakeException.class).hasMessageContaining("PKIX path building failed");
        assertThat(made).hasValue(1);
    }

    @Test
    void theClientOffersTheProtocolsTheDefaultContextOffers() throws Exception {
        assertThat(DeferredTls.parameters().getProtocols())
                .containsExactly(SSLContext.getDefault().getDefaultSSLParameters().getProtocols());
    }

    private HttpClient client(SSLContext real) {
        client = HttpClient.newBuilder().sslContext(DeferredTls.context(() -> {
            made.incrementAndGet();
            return real;
        })).sslParameters(DeferredTls.parameters()).build();
        return client;
    }

    private HttpResponse<String> send(HttpClient client, String scheme) throws Exception {
        var uri = URI.create(scheme + "://localhost:" + server.getAddress().getPort() + "/");
        return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
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

    private static HttpsServer https(Path store) throws Exception {
        var keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(load(store), PASSWORD);
        var context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        var server = HttpsServer.create(loopback(), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        return server;
    }

    private static SSLContext trusting(Path store) throws Exception {
        var trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("server", load(store).getCertificate("server"));
        var trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        var context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static KeyStore load(Path store) throws Exception {
        var keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, PASSWORD);
        }
        return keys;
    }
}
