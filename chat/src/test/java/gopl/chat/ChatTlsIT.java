package gopl.chat;

import static org.assertj.core.api.Assertions.assertThat;

import gopl.common.testing.Certificates;
import gopl.common.testing.ToolProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code --tls-cert}/{@code --tls-key}: the real jar with the real TLS clients people use for a
 * line chat (openssl s_client, ncat --ssl, our netcat --ssl), on the port or on a second one, and
 * every mistake as one line.
 */
@Timeout(180)
class ChatTlsIT {
    private static final Pattern TLS_ONLY = Pattern.compile("chat listening on localhost:(\\d+) with TLS \\(");
    private static final Pattern TWO_PORTS = Pattern.compile("chat listening on localhost:(\\d+), and with TLS on localhost:(\\d+) \\(");

    @TempDir
    static Path dir;

    static Certificates.Pair pair;
    static String cert;
    static String key;

    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeAll
    static void makeCertificate() {
        pair = Certificates.selfSigned(dir, "server", "EC");
        cert = pair.certificate().toString();
        key = pair.key().toString();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (var closeable : open.reversed()) {
            closeable.close();
        }
    }

    private Matcher start(Pattern listening, String... args) {
        var chat = ToolProcess.start(args);
        open.add(chat);
        return chat.awaitStderr(listening, Duration.ofSeconds(30));
    }

    private Peer join(Peer peer, String name) {
        open.add(peer);
        peer.expect("Welcome! What is your name?");
        peer.say(name);
        assertThat(peer.next()).startsWith("You are " + name + ".");
        return peer;
    }

    private static Peer openssl(int port) {
        return new Peer(List.of("openssl", "s_client", "-quiet", "-connect", "127.0.0.1:" + port));
    }

    private static Peer ncat(int port) {
        return new Peer(List.of("ncat", "--ssl", "127.0.0.1", String.valueOf(port)));
    }

    /** Our netcat, from the test class path, checking the certificate against the one we made. */
    private static Peer netcat(int port) {
        var command = new ArrayList<>(ToolProcess.java());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "gopl.netcat.NetcatCommand",
                "--ssl", "--ssl-trustfile", cert, "localhost", String.valueOf(port)));
        return new Peer(command);
    }

    @Test
    void opensslNcatAndOurNetcatChatOverTls() {
        int port = Integer.parseInt(start(TLS_ONLY, "-port", "0", "--tls-cert", cert, "--tls-key", key).group(1));
        var alice = join(openssl(port), "alice");
        var bob = join(ncat(port), "bob");
        var carol = join(netcat(port), "carol");
        alice.skipTo("carol has arrived");
        bob.skipTo("carol has arrived");

        alice.say("hello over TLS");
        for (var peer : List.of(alice, bob, carol)) {
            peer.expect("alice: hello over TLS");
        }
        carol.say("/msg alice just for you");
        alice.expect("carol (privately): just for you");
        carol.expect("carol (privately to alice): just for you");
        bob.say("and everyone");
        bob.expect("bob: and everyone"); // bob's next line: the private one never reached him
        alice.expect("bob: and everyone");
    }

    @Test
    void aSecondPortSpeaksTlsBesideThePlainOne() {
        var ports = start(TWO_PORTS, "-port", "0", "--tls-port", "0", "--tls-cert", cert, "--tls-key", key);
        int plainPort = Integer.parseInt(ports.group(1));
        int tlsPort = Integer.parseInt(ports.group(2));
        var alice = join(new Peer(plainPort), "alice");
        var bob = join(openssl(tlsPort), "bob");
        alice.skipTo("bob has arrived");
        bob.say("from the TLS side");
        bob.expect("bob: from the TLS side");
        alice.expect("bob: from the TLS side");
        alice.say("from the plain side");
        bob.expect("alice: from the plain side");
    }

    @Test
    void aPlainTextClientOnTheTlsPortIsToldInOneLine() {
        var chat = ToolProcess.start("-port", "0", "--tls-cert", cert, "--tls-key", key);
        open.add(chat);
        int port = Integer.parseInt(chat.awaitStderr(TLS_ONLY, Duration.ofSeconds(30)).group(1));
        try (var plain = new Peer(port)) {
            plain.say("alice"); // as from nc: it types its name first
            plain.expect("This port speaks TLS: connect with a TLS client (openssl s_client, ncat --ssl, netcat --ssl).");
            plain.expect(Peer.EOF);
        }
        chat.awaitStderr(Pattern.compile("refusing a connection on the TLS port: 127\\.0\\.0\\.1:\\d+ spoke plain text"),
                Duration.ofSeconds(20));
        var alice = join(ncat(port), "alice"); // and the next, a TLS client, is served
        alice.say("/who");
        alice.expect("1 here: alice");
    }

    @Test
    void badCertificateOrKeyFilesAreOneLineAndExitOne() {
        var other = Certificates.selfSigned(dir, "other", "EC").key().toString();
        var missing = dir.resolve("missing.pem").toString();
        assertFails(missing, key, "chat: cannot read certificate " + missing + ": no such file");
        assertFails(cert, missing, "chat: cannot read private key " + missing + ": no such file");
        assertFails(cert, other, "chat: " + other + " is not the key of the certificate in " + cert);
        assertFails(key, cert, "chat: " + key + " has no PEM certificate (-----BEGIN CERTIFICATE-----)");
    }

    private static void assertFails(String certificate, String privateKey, String message) {
        var result = ToolProcess.run("-port", "0", "--tls-cert", certificate, "--tls-key", privateKey);
        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(1);
        assertThat(result.stderr()).isEqualTo(message + "\n");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--tls-cert x.pem                       | chat: --tls-cert and --tls-key go together: give both",
        "--tls-port 8443                        | chat: --tls-port needs --tls-cert and --tls-key",
        "--tls-port 70000 --tls-cert a --tls-key b | chat: port 70000 is out of range (0-65535)",
        "-port 8443 --tls-port 8443 --tls-cert a --tls-key b | chat: --tls-port must differ from --port",
    })
    void usageErrorsAreOneLineAndExitTwo(String args, String message) {
        ToolProcess.assertUsageError(args, message);
    }
}
