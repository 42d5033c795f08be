package gopl.ftp;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gopl.common.Tls;
import gopl.common.testing.Certificates;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Explicit and implicit FTPS (RFC 4217) in-process, driven by hand with JSSE as the client: AUTH
 * TLS, PBSZ, PROT, protected transfers both ways, the session-reuse check against data
 * connections that do not resume the control connection's session, and --require-tls. The real
 * clients (curl, lftp, Python's ftplib) are in {@link FtpsClientsIT}.
 */
@Timeout(60)
class FtpsTest {
    @TempDir
    static Path keys;

    @TempDir
    Path root;

    static Certificates.Pair pem;
    static byte[] binary;

    @BeforeAll
    static void makeCertificate() {
        pem = Certificates.selfSigned(keys, "ftp", "EC");
        binary = new byte[1_500_007];
        new Random(17).nextBytes(binary);
    }

    private TestServer start(String... options) throws IOException {
        Files.write(root.resolve("data.bin"), binary);
        Files.createDirectories(root.resolve("up"));
        var args = new java.util.ArrayList<>(java.util.List.of("--tls-cert", pem.certificate().toString(), "--tls-key", pem.key().toString()));
        args.addAll(java.util.List.of(options));
        return TestServer.start(root, args.toArray(String[]::new));
    }

    private static void assertSameBytes(byte[] got) {
        assertThat(got.length).isEqualTo(binary.length);
        assertThat(Arrays.mismatch(got, binary)).as("first differing byte").isEqualTo(-1);
    }

    /** A client context of its own: a fresh session cache, as another program would have. */
    private static SSLContext client() {
        return Tls.trustingEveryone();
    }

    /** A control connection in TLS, logged in as the writer, with PBSZ 0 and PROT P. */
    private static RawControl protectedWriter(TestServer server, SSLContext context) throws IOException {
        var control = RawControl.open(server.port()).secure(context);
        control.expect("USER " + TestServer.USER, 331);
        control.expect("PASS " + TestServer.PASSWORD, 230);
        control.expect("PBSZ 0", 200);
        control.expect("PROT P", 200);
        control.expect("TYPE I", 200);
        return control;
    }

    @Test
    void protectedDownloadUploadAndListingResumingTheControlSession() throws Exception {
        var context = client();
        try (var server = start(); var control = protectedWriter(server, context)) {
            var address = control.pasvAddress();
            control.write("RETR data.bin\r\n".getBytes(UTF_8));
            try (var data = control.tlsData(address, context)) {
                assertThat(control.reply()).startsWith("150");
                assertSameBytes(data.readAll());
                assertThat(data.session().getProtocol()).isEqualTo("TLSv1.3");
            }
            assertThat(control.reply()).startsWith("226");

            address = control.pasvAddress();
            control.write("STOR up/copy.bin\r\n".getBytes(UTF_8));
            try (var data = control.tlsData(address, context)) {
                assertThat(control.reply()).startsWith("150");
                data.write(binary);
            }
            assertThat(control.reply()).startsWith("226");
            assertThat(root.resolve("up/copy.bin")).hasBinaryContent(binary);

            address = control.pasvAddress();
            control.write("NLST\r\n".getBytes(UTF_8));
            try (var data = control.tlsData(address, context)) {
                assertThat(control.reply()).startsWith("150");
                assertThat(new String(data.readAll(), UTF_8).split("\r\n")).containsExactlyInAnyOrder("data.bin", "up");
            }
            assertThat(control.reply()).startsWith("226");
            assertThat(control.send("STAT")).contains("Control connection in TLSv1.3", "PROT P");
        }
    }

    @Test
    void aDataConnectionWithAFreshSessionIsRefused() throws Exception {
        var context = client();
        try (var server = start(); var control = protectedWriter(server, context)) {
            var address = control.pasvAddress();
            control.write("RETR data.bin\r\n".getBytes(UTF_8));
            // Another program's full handshake on the data port: it gets nothing.
            try (var data = TlsClient.connect(client(), RawControl.connect(address, null), "127.0.0.1", server.port())) {
                assertThat(control.reply()).startsWith("150");
                assertThat(data.readAll()).isEmpty();
            } catch (SSLException e) {
                // or the connection dies under the handshake's last flight: nothing read either way
            }
            assertThat(control.reply()).startsWith("522 TLS session reuse required");
            assertThat(control.send("NOOP")).startsWith("200");
        }
    }

    @Test
    void aDataConnectionResumingAnotherClientsSessionIsRefused() throws Exception {
        var victim = client();
        var attacker = client();
        try (var server = start(); var control = protectedWriter(server, victim);
                var own = RawControl.open(server.port()).secure(attacker)) {
            own.expect("USER anonymous", 331); // the attacker's own session, with a ticket to resume
            own.expect("PASS x", 230);
            var address = control.pasvAddress();
            control.write("RETR data.bin\r\n".getBytes(UTF_8));
            // The attacker resumes its own session: a valid one, but not the victim's.
            try (var data = TlsClient.connect(attacker, RawControl.connect(address, null), "127.0.0.1", server.port())) {
                assertThat(data.session().getProtocol()).isEqualTo("TLSv1.3");
                assertThat(control.reply()).startsWith("150");
                assertThat(data.readAll()).isEmpty();
            } catch (SSLException e) {
                // refused either way
            }
            assertThat(control.reply()).startsWith("522");
        }
    }

    @Test
    void reuseCanBeRelaxedForClientsThatCannot() throws Exception {
        try (var server = start("--no-require-tls-reuse"); var control = protectedWriter(server, client())) {
            var address = control.pasvAddress();
            control.write("RETR data.bin\r\n".getBytes(UTF_8));
            try (var data = TlsClient.connect(client(), RawControl.connect(address, null), "127.0.0.1", server.port())) {
                assertThat(control.reply()).startsWith("150");
                assertSameBytes(data.readAll());
            }
            assertThat(control.reply()).startsWith("226");
        }
    }

    @Test
    void protCKeepsDataClearAndTheOrderIsChecked() throws Exception {
        try (var server = start(); var control = RawControl.open(server.port())) {
            assertThat(control.send("PBSZ 0")).startsWith("503");
            assertThat(control.send("FEAT")).contains(" AUTH TLS", " PBSZ", " PROT");
            assertThat(control.send("AUTH KERBEROS")).startsWith("504");
            control.secure(client());
            assertThat(control.send("AUTH TLS")).startsWith("503");
            assertThat(control.send("PROT P")).startsWith("503"); // PBSZ first
            control.expect("PBSZ 0", 200);
            assertThat(control.send("PROT S")).startsWith("536");
            assertThat(control.send("PROT Q")).startsWith("504");
            control.expect("PROT C", 200);
            control.expect("USER anonymous", 331);
            control.expect("PASS x", 230);
            control.expect("TYPE I", 200);
            try (var data = control.pasv()) {
                control.expect("RETR data.bin", 150);
                assertSameBytes(data.getInputStream().readAllBytes()); // in the clear
            }
            assertThat(control.reply()).startsWith("226");
        }
    }

    @Test
    void requireTlsRefusesUserBeforeAuthAndClearData() throws Exception {
        try (var server = start("--require-tls"); var control = RawControl.open(server.port())) {
            assertThat(control.send("USER anonymous")).startsWith("530 This server requires TLS");
            assertThat(control.send("PASS x")).startsWith("503");
            control.secure(client());
            control.expect("USER anonymous", 331);
            control.expect("PASS x", 230);
            control.expect("PASV", 227);
            assertThat(control.send("RETR data.bin")).startsWith("521");
            control.expect("PASV", 227);
            assertThat(control.send("LIST")).startsWith("521");
            control.expect("PBSZ 0", 200);
            control.expect("PROT C", 200);
            control.expect("PASV", 227);
            assertThat(control.send("NLST")).startsWith("521");
        }
    }

    @Test
    void plainTextSentAfterAuthBeforeTheHandshakeIsNeverACommand() throws Exception {
        try (var server = start(); var control = RawControl.open(server.port())) {
            // The STARTTLS injection: commands sent in the clear right behind AUTH.
            control.write("AUTH TLS\r\nUSER anonymous\r\n".getBytes(UTF_8));
            var reply = control.reply();
            if (reply.startsWith("234")) { // the server read AUTH alone: the rest reaches the handshake
                assertThatThrownBy(() -> RawControl.handshake(client(), control.socket, server.port())).isInstanceOf(IOException.class);
            } else {
                assertThat(reply).startsWith("421 Commands sent before the TLS handshake");
                assertThat(control.reply()).isNull();
            }
        }
    }

    @Test
    void implicitTlsSpeaksTlsFromTheFirstByteAndProtectsData() throws Exception {
        var context = client();
        try (var server = start("--implicit-tls-port", "0")) {
            int port = server.implicitPort();
            var tcp = new Socket(InetAddress.getLoopbackAddress(), port);
            try (var tls = RawControl.handshake(context, tcp, port)) {
                var in = new java.io.BufferedReader(new java.io.InputStreamReader(tls.getInputStream(), UTF_8));
                assertThat(in.readLine()).startsWith("220");
                tls.getOutputStream().write("USER anonymous\r\nPASS x\r\nSTAT\r\n".getBytes(UTF_8));
                assertThat(in.readLine()).startsWith("331");
                assertThat(in.readLine()).startsWith("230");
                var stat = new StringBuilder();
                for (String line; (line = in.readLine()) != null && !line.startsWith("211 "); ) {
                    stat.append(line).append('\n');
                }
                assertThat(stat).contains("PROT P");
            }
        }
    }

    @Test
    void plainClientsOnTheImplicitPortAreToldInOneLine() throws Exception {
        try (var server = start("--implicit-tls-port", "0")) {
            // One client speaks first, in plain text; the other waits for a greeting, as a plain FTP client does.
            for (var first : new String[] {"USER anonymous\r\n", ""}) {
                try (var plain = new Socket(InetAddress.getLoopbackAddress(), server.implicitPort())) {
                    plain.setSoTimeout(30_000);
                    plain.getOutputStream().write(first.getBytes(UTF_8));
                    var in = new java.io.BufferedReader(new java.io.InputStreamReader(plain.getInputStream(), UTF_8));
                    assertThat(in.readLine()).as(first).startsWith("421 This port speaks FTPS from the first byte");
                    assertThat(in.readLine()).isNull();
                }
            }
        }
    }
}
