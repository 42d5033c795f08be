package gopl.common;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import gopl.common.testing.Certificates;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** PEM loading and TLS contexts, with certificates made by keytool (and openssl for its key forms) in the test. */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TlsTest {
    @TempDir
    static Path dir;

    static Certificates.Pair ec;
    static Certificates.Pair rsa;

    @BeforeAll
    static void makeCertificates() {
        ec = Certificates.selfSigned(dir, "ec", "EC");
        rsa = Certificates.selfSigned(dir, "rsa", "RSA");
    }

    /** Handshakes a client context with a server context over loopback and says what was negotiated, or why not. */
    private static String handshake(SSLContext server, SSLContext client, String name) throws Exception {
        try (var listener = (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0, 1,
                InetAddress.getLoopbackAddress())) {
            listener.setSSLParameters(Tls.parameters(server));
            var accepted = CompletableFuture.runAsync(() -> {
                try (var socket = listener.accept()) {
                    socket.setSoTimeout(30_000);
                    socket.getOutputStream().write("hi".getBytes(UTF_8));
                } catch (IOException e) {
                    // The client's side says what went wrong.
                }
            });
            var tcp = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
            // Layered with the name, as a client does: the name is what the certificate must match.
            try (var socket = (SSLSocket) client.getSocketFactory().createSocket(tcp, name, listener.getLocalPort(), true)) {
                socket.setSoTimeout(30_000);
                var parameters = Tls.parameters(client);
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                parameters.setServerNames(List.of(new SNIHostName(name)));
                socket.setSSLParameters(parameters);
                socket.startHandshake();
                var protocol = socket.getSession().getProtocol();
                assertThat(new String(socket.getInputStream().readNBytes(2), UTF_8)).isEqualTo("hi");
                return protocol;
            } catch (SSLException e) {
                return Tls.describe(e);
            } finally {
                accepted.get(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void serverFromPkcs8PemAcceptsAClientThatTrustsIt() throws Exception {
        for (var pair : List.of(ec, rsa)) {
            var server = Tls.server(pair.certificate(), pair.key());
            assertThat(handshake(server, Tls.client(pair.certificate()), "localhost")).isEqualTo("TLSv1.3");
        }
    }

    @Test
    void handshakeFailuresAreOneLineEach() throws Exception {
        var server = Tls.server(ec.certificate(), ec.key());
        assertThat(handshake(server, Tls.client(null), "localhost"))
                .isEqualTo("certificate not trusted (issued by an unknown CA, or self-signed)");
        assertThat(handshake(server, Tls.client(ec.certificate()), "other.example"))
                .startsWith("certificate is not for this host name");
        assertThat(handshake(server, Tls.trustingEveryone(), "other.example")).isEqualTo("TLSv1.3");
    }

    @Test
    void aPlainTextPeerIsNamedAsSuch() throws Exception {
        try (var plain = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            var answered = CompletableFuture.runAsync(() -> {
                try (var socket = plain.accept()) {
                    socket.getOutputStream().write("220 plain text here\r\n".getBytes(UTF_8));
                    socket.getInputStream().read();
                } catch (IOException e) {
                    // The client has gone.
                }
            });
            try (var socket = (SSLSocket) Tls.trustingEveryone().getSocketFactory()
                    .createSocket(InetAddress.getLoopbackAddress(), plain.getLocalPort())) {
                socket.setSoTimeout(30_000);
                assertThatThrownBy(socket::startHandshake).isInstanceOfSatisfying(SSLException.class,
                        e -> assertThat(Tls.describe(e)).isEqualTo("the peer does not speak TLS (plain text?)"));
            }
            answered.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void opensslsTraditionalKeyFormsLoadToo() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is not installed");
        for (var pair : List.of(ec, rsa)) {
            var traditional = dir.resolve(pair.key().getFileName() + ".traditional");
            run("openssl", "pkey", "-in", pair.key().toString(), "-traditional", "-out", traditional.toString());
            assertThat(Files.readString(traditional)).containsPattern("BEGIN (RSA|EC) PRIVATE KEY");
            var server = Tls.server(pair.certificate(), traditional);
            assertThat(handshake(server, Tls.client(pair.certificate()), "localhost")).isEqualTo("TLSv1.3");
        }
        var withParameters = dir.resolve("ecparam.pem"); // openssl ecparam -genkey writes EC PARAMETERS first
        run("openssl", "ecparam", "-name", "prime256v1", "-genkey", "-out", withParameters.toString());
        assertThat(Pem.readPrivateKey(withParameters).getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void badFilesAreOneLineNamingTheFile() throws Exception {
        var missing = dir.resolve("missing.pem");
        assertThatThrownBy(() -> Tls.server(missing, ec.key())).isInstanceOf(ToolException.class)
                .hasMessage("cannot read certificate " + missing + ": no such file");
        assertThatThrownBy(() -> Tls.server(ec.certificate(), missing))
                .hasMessage("cannot read private key " + missing + ": no such file");
        assertThatThrownBy(() -> Tls.server(ec.key(), ec.key()))
                .hasMessage(ec.key() + " has no PEM certificate (-----BEGIN CERTIFICATE-----)");
        assertThatThrownBy(() -> Tls.server(ec.certificate(), ec.certificate()))
                .hasMessage(ec.certificate() + " has no PEM private key (-----BEGIN PRIVATE KEY-----)");
        assertThatThrownBy(() -> Tls.server(ec.certificate(), rsa.key()))
                .hasMessage(rsa.key() + " is not the key of the certificate in " + ec.certificate());
        var other = Certificates.selfSigned(dir, "other", "EC");
        assertThatThrownBy(() -> Tls.server(ec.certificate(), other.key()))
                .hasMessage(other.key() + " is not the key of the certificate in " + ec.certificate());
        var encrypted = dir.resolve("encrypted.pem");
        Files.writeString(encrypted, Certificates.pem("ENCRYPTED PRIVATE KEY", new byte[] {48, 0}));
        assertThatThrownBy(() -> Pem.readPrivateKey(encrypted)).hasMessage(encrypted
                + " is an encrypted key, which is not supported; write it unencrypted with: openssl pkey -in "
                + encrypted + " -out key.pem");
        var dsa = dir.resolve("dsa.pem");
        Files.writeString(dsa, Certificates.pem("DSA PRIVATE KEY", new byte[] {48, 0}));
        assertThatThrownBy(() -> Pem.readPrivateKey(dsa)).hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
    }

    private static void run(String... command) throws Exception {
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        var output = new String(process.getInputStream().readAllBytes(), UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }

    @Test
    void serverFromPkcs12KeystoreWithItsPassword() throws Exception {
        var store = Certificates.keystore(dir, "keystore-ec", "EC", "store-pass");
        var server = Tls.server(store, "store-pass".toCharArray());
        assertThat(handshake(server, Tls.trustingEveryone(), "localhost")).isEqualTo("TLSv1.3");
    }

    @Test
    void keystoreFailuresAreOneLineNamingTheFile() throws Exception {
        var store = Certificates.keystore(dir, "keystore-rsa", "RSA", "right-pass");
        assertThatThrownBy(() -> Tls.server(store, "wrong".toCharArray()))
                .isInstanceOf(ToolException.class).hasMessage(store + ": wrong keystore password");
        var missing = dir.resolve("missing.p12");
        assertThatThrownBy(() -> Tls.server(missing, new char[0]))
                .hasMessage("cannot read keystore " + missing + ": no such file");
        assertThatThrownBy(() -> Tls.server(ec.certificate(), new char[0]))
                .isInstanceOf(ToolException.class).hasMessageStartingWith("cannot read keystore " + ec.certificate() + ":")
                .hasMessageNotContaining("\n");
    }
}
