package gopl.netcat;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import gopl.common.testing.Certificates;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --ssl} both ways with the real ncat and openssl: our TLS listener with ncat's and
 * s_client's clients, our client with ncat's and s_server's listeners (and ncat's own client
 * beside ours, on the same server script), and each failure as one line.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TlsIT {
    @TempDir
    static Path dir;

    static Certificates.Pair pair;
    static String cert;
    static String key;

    @BeforeAll
    static void makeCertificate() {
        pair = Certificates.selfSigned(dir, "server", "EC");
        cert = pair.certificate().toString();
        key = pair.key().toString();
    }

    private static int freePort() throws Exception {
        try (var probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort(); // for ncat and s_server, which do not say what port 0 picked
        }
    }

    /**
     * Each side sends a line; the listener's stdin ends only once the client's line is in, since
     * ncat's client quits as soon as the server half-closes, and s_client -quiet never half-closes.
     * Gives what the client printed, and what the listener printed.
     */
    private static List<String> exchange(Proc server, Proc client) throws Exception {
        server.write("from the server\n");
        client.write("from the client\n").closeStdin();
        server.awaitOut("from the client\n");
        server.closeStdin();
        var got = client.finish(Proc.TIMEOUT);
        var result = server.finish(Proc.TIMEOUT);
        return List.of(got.text(), result.text());
    }

    private static List<String> ourServer(IntFunction<Proc> client) throws Exception {
        try (var server = Proc.ours("-l", "-v", "--ssl", "--ssl-cert", cert, "--ssl-key", key, "127.0.0.1", "0")) {
            int port = server.awaitPort();
            try (var connected = client.apply(port)) {
                return exchange(server, connected);
            }
        }
    }

    @Test
    void ourListenerServesNcatAndOpensslClients() throws Exception {
        var expected = List.of("from the server\n", "from the client\n");
        assertThat(ourServer(port -> Proc.real("ncat", "--ssl", "127.0.0.1", String.valueOf(port))))
                .isEqualTo(expected);
        assertThat(ourServer(port -> Proc.real("openssl", "s_client", "-quiet", "-connect", "127.0.0.1:" + port)))
                .isEqualTo(expected);
        assertThat(ourServer(port -> Proc.real("openssl", "s_client", "-quiet", "-tls1_2",
                "-connect", "127.0.0.1:" + port))).isEqualTo(expected);
    }

    @Test
    void ourClientTalksToNcatsListener() throws Exception {
        int port = freePort();
        try (var server = Proc.real("ncat", "-v", "-l", "--ssl", "--ssl-cert", cert, "--ssl-key", key,
                "127.0.0.1", String.valueOf(port))) {
            server.awaitErr("Listening on");
            try (var client = Proc.ours("--ssl", "--ssl-trustfile", cert, "127.0.0.1", String.valueOf(port))) {
                assertThat(exchange(server, client)).isEqualTo(List.of("from the server\n", "from the client\n"));
            }
        }
    }

    @Test
    void ourClientTalksToOpensslServer() throws Exception {
        try (var server = Proc.real("openssl", "s_server", "-naccept", "1", "-cert", cert, "-key", key,
                "-accept", "127.0.0.1:0")) {
            int port = Integer.parseInt(server.awaitOut("ACCEPT 127\\.0\\.0\\.1:(\\d+)\n").group(1));
            server.write("from s_server\n"); // stdin stays open: s_server hangs up when it ends
            try (var client = Proc.ours("--ssl", "--ssl-trustfile", cert, "localhost", String.valueOf(port))) {
                client.write("from the client\n");
                assertThat(new String(client.awaitOut(14), UTF_8)).isEqualTo("from s_server\n");
                server.awaitOut("from the client\n");
                client.closeStdin();
                // Our close_notify reached s_server (it says DONE and hangs up) before its stdin ends:
                // ended at once, s_server could close with that record unread, and reset the connection.
                server.awaitOut("DONE\n");
                server.closeStdin();
                assertThat(client.finish(Proc.TIMEOUT).status()).isZero();
            }
        }
    }

    @Test
    void theCertificateIsCheckedUnlessToldNot() throws Exception {
        try (var server = Proc.ours("-l", "-k", "-v", "--ssl", "--ssl-cert", cert, "--ssl-key", key, "127.0.0.1", "0")) {
            var port = String.valueOf(server.awaitPort());
            var untrusted = Proc.ours("--ssl", "127.0.0.1", port).run(new byte[0]);
            assertThat(untrusted.status()).isEqualTo(1);
            assertThat(untrusted.err()).isEqualTo("netcat: TLS with 127.0.0.1:" + port + ": certificate not trusted"
                    + " (issued by an unknown CA, or self-signed); --ssl-trustfile FILE trusts its CA, --ssl-noverify any\n");
            var ncat = Proc.real("ncat", "--ssl-verify", "127.0.0.1", port).run(new byte[0]);
            assertThat(ncat.status()).isEqualTo(untrusted.status());
            var wrongName = Proc.ours("--ssl-trustfile", cert, "--ssl-servername", "other.example", "127.0.0.1", port)
                    .run(new byte[0]);
            assertThat(wrongName.err()).startsWith("netcat: TLS with 127.0.0.1:" + port
                    + ": certificate is not for this host name");
            var unchecked = Proc.ours("--ssl-noverify", "127.0.0.1", port).run("hi\n".getBytes(UTF_8));
            assertThat(unchecked.status()).as(unchecked.err()).isZero();
            server.awaitOut("hi\n");
        }
    }

    @Test
    void plainTextOnEitherSideIsOneLine() throws Exception {
        try (var server = Proc.ours("-l", "-k", "-v", "--ssl", "--ssl-cert", cert, "--ssl-key", key, "127.0.0.1", "0")) {
            int port = server.awaitPort();
            Proc.real("nc", "-N", "127.0.0.1", String.valueOf(port)).run("GET / HTTP/1.0\r\n\r\n".getBytes(UTF_8));
            server.awaitErr("^netcat: 127\\.0\\.0\\.1:\\d+: the peer does not speak TLS \\(plain text\\?\\)$");
            // -k goes on to the next client.
            var next = Proc.ours("--ssl-trustfile", cert, "127.0.0.1", String.valueOf(port)).run("next\n".getBytes(UTF_8));
            assertThat(next.status()).as(next.err()).isZero();
            server.awaitOut("next\n");
        }
        try (var plain = Proc.real("nc", "-l", "-v", "127.0.0.1", "0")) {
            int port = plain.awaitPort();
            plain.write("220 welcome\r\n");
            var client = Proc.ours("--ssl", "127.0.0.1", String.valueOf(port)).run(new byte[0]);
            assertThat(client.status()).isEqualTo(1);
            assertThat(client.err()).isEqualTo("netcat: TLS with 127.0.0.1:" + port
                    + ": the peer does not speak TLS (plain text?)\n");
        }
    }

    private record BadFiles(String certificate, String key, String message) {}

    @Test
    void badCertificateOrKeyFilesAreOneLine() throws Exception {
        var other = Certificates.selfSigned(dir, "other", "EC").key().toString();
        var missing = dir.resolve("missing.pem").toString();
        for (var bad : List.of(
                new BadFiles(missing, key, "cannot read certificate " + missing + ": no such file"),
                new BadFiles(cert, missing, "cannot read private key " + missing + ": no such file"),
                new BadFiles(cert, other, other + " is not the key of the certificate in " + cert))) {
            var result = Proc.ours("-l", "--ssl", "--ssl-cert", bad.certificate(), "--ssl-key", bad.key(), "0")
                    .run(new byte[0]);
            assertThat(result.status()).isEqualTo(1);
            assertThat(result.err()).isEqualTo("netcat: " + bad.message() + "\n");
        }
    }
}
