package gopl.ftp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13's attacks on what a client can take (CPU, sessions, time, passwords, passive ports),
 * each shown to fail. {@link LimitsTest} runs them on an in-process server, {@link FtpSecurityIT}
 * on the real jar. Every server here has the write account {@link TestServer#USER}.
 */
@Timeout(120)
abstract class AttackCases {
    @TempDir
    Path root;

    /** A server sharing {@code root}, with these options added. */
    abstract FtpUnderTest start(Path root, String... options) throws Exception;

    static final InetAddress ME = address("127.0.0.1");
    static final InetAddress NEIGHBOUR = address("127.0.0.2");

    private static InetAddress address(String literal) {
        return InetAddress.ofLiteral(literal);
    }

    /** Four sessions send the glob bomb over and over; a normal client still lists and downloads. */
    @Test
    void globBombsDoNotFreezeTheServer() throws Exception {
        Files.writeString(root.resolve(Attacks.BOMBED_NAME), "a");
        var file = new byte[100_000];
        new Random(13).nextBytes(file);
        Files.write(root.resolve("file.bin"), file);
        try (var server = start(root)) {
            Attacks.visit(server.port(), "file.bin", Duration.ofSeconds(20)); // a warm-up: what is timed below is the attack, not the JIT
            try (var bombs = new Attacks.Flood(server.port(), 4, Attacks.GLOB_BOMB)) {
                visitUnderBombs(server, bombs, file);
            }
        }
    }

    /** A normal client's visit while the bombs go off: it gets its listing and file, and the bombs are answered too. */
    private void visitUnderBombs(FtpUnderTest server, Attacks.Flood bombs, byte[] file) throws Exception {
        long start = System.nanoTime();
        var visit = Attacks.visit(server.port(), "file.bin", Duration.ofSeconds(10));
        checkVisitTime(Duration.ofNanos(System.nanoTime() - start));
        assertThat(visit.file()).isEqualTo(file);
        assertThat(visit.listing()).contains(Attacks.BOMBED_NAME, "file.bin");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (bombs.replies() < 8 && System.nanoTime() < deadline) {
            Thread.sleep(10); // a bounded poll: each bomb is answered at once
        }
        assertThat(bombs.replies()).isGreaterThanOrEqualTo(8);
    }

    /** The visit's time, under the bombs; the jar test holds it to the second. */
    void checkVisitTime(Duration took) {}

    @Test
    void oneAddressGetsNoMoreThanItsShareOfSessions() throws Exception {
        try (var server = start(root, "--max-per-ip", "3")) {
            var mine = Attacks.connect(server.port(), ME, 4);
            assertThat(mine.stream().map(c -> c.greeting.substring(0, 3))).containsExactly("220", "220", "220", "421");
            assertThat(mine.getLast().greeting).contains("from your address");
            try (var neighbour = RawControl.open(server.port(), NEIGHBOUR, Duration.ofSeconds(20))) {
                assertThat(neighbour.greeting).startsWith("220");
                neighbour.expect("USER anonymous", 331);
                neighbour.expect("PASS x", 230);
            }
            mine.getFirst().expect("QUIT", 221);
            for (var c : mine) {
                c.close();
            }
            assertThat(openWhenThereIsRoom(server.port())).startsWith("220"); // a session that ended frees its place
        }
    }

    /** The greeting of a connection from {@link #ME}, retried (a bounded poll) while the server has not yet seen a session end. */
    private static String openWhenThereIsRoom(int port) throws Exception {
        for (int i = 0; i < 200; i++) {
            try (var c = RawControl.open(port, ME, Duration.ofSeconds(20))) {
                if (c.greeting.startsWith("220")) {
                    return c.greeting;
                }
            }
            Thread.sleep(20);
        }
        return "no room";
    }

    @Test
    void aConnectionThatNeverLogsInIsClosedWhateverItSends() throws Exception {
        try (var server = start(root, "--login-timeout", "500ms")) {
            var replies = Attacks.noopWithoutLogin(server.port(), Duration.ofMillis(50), 200); // 10 s of NOOPs at most
            assertThat(replies).hasSizeLessThan(200);
            assertThat(replies.getLast()).isNotNull().startsWith("421 Login timeout");
            try (var control = RawControl.anonymous(server.port())) {
                for (int i = 0; i < 20; i++) { // a second, twice the login timeout: a logged-in client stays
                    control.expect("NOOP", 200);
                    Thread.sleep(50);
                }
            }
        }
    }

    @Test
    void passwordGuessesFromManyConnectionsWaitTheirTurn() throws Exception {
        try (var server = start(root, "--delay-failed-login", "50ms")) {
            long start = System.nanoTime();
            var replies = Attacks.guessPasswords(server.port(), TestServer.USER, 10);
            var took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(replies).hasSize(10).allMatch(r -> r.startsWith("530"), "530");
            // One check at a time per address, the k-th failure pausing k times 50 ms: 50 ms (1 + 2 + ... + 10).
            assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(50 * 55));
        }
    }

    @Test
    void failedLoginsCountAcrossConnections() throws Exception {
        try (var server = start(root, "--delay-failed-login", "100ms", "--max-login-fails", "2")) {
            try (var first = RawControl.open(server.port())) {
                first.expect("USER " + TestServer.USER, 331);
                first.expect("PASS wrong", 530);
                first.expect("USER " + TestServer.USER, 331);
                first.expect("PASS wrong again", 421); // this connection's second failure closes it
            }
            try (var second = RawControl.open(server.port())) {
                second.expect("USER anonymous", 331);
                second.expect("PASS x", 230); // an anonymous login forgives nothing
                second.expect("USER " + TestServer.USER, 331);
                long start = System.nanoTime();
                second.expect("PASS a new connection", 530);
                // The address's third failure: 3 times 100 ms, not the 100 ms of a first failure.
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
                second.expect("USER " + TestServer.USER, 331);
                second.expect("PASS " + TestServer.PASSWORD, 230); // the password's owner is let in
            }
        }
    }

    @Test
    void aPassivePortThatNobodyConnectsToCloses() throws Exception {
        try (var server = start(root, "--accept-timeout", "500ms"); var control = RawControl.anonymous(server.port())) {
            var address = control.pasvAddress();
            assertThat(Attacks.stopsListeningWithin(address, Duration.ofSeconds(20))).isTrue();
            assertThat(control.send("NLST")).startsWith("425");
            assertThat(Attacks.transfer(control, "NLST")).isEmpty(); // one used at once works as ever
        }
    }

    @Test
    void oneAddressCannotHoldEveryPassivePort() throws Exception {
        int first = freePort();
        try (var server = start(root, "--passive-ports", first + "-" + (first + 3))) {
            var mine = Attacks.connect(server.port(), ME, 4);
            var replies = new ArrayList<String>();
            for (var c : mine) {
                c.expect("USER anonymous", 331);
                c.expect("PASS x", 230);
                replies.add(c.send("PASV"));
            }
            assertThat(replies.stream().filter(r -> r.startsWith("227"))).hasSize(1); // a quarter of 4 ports
            assertThat(replies.stream().filter(r -> r.startsWith("425"))).hasSize(3);
            try (var neighbour = RawControl.open(server.port(), NEIGHBOUR, Duration.ofSeconds(20))) {
                neighbour.expect("USER anonymous", 331);
                neighbour.expect("PASS x", 230);
                assertThat(Attacks.transfer(neighbour, "NLST")).isEmpty();
            }
            for (var c : mine) {
                c.close();
            }
        }
    }

    private static int freePort() throws Exception {
        try (var probe = new ServerSocket(0)) {
            return Math.min(probe.getLocalPort(), 65532);
        }
    }
}
