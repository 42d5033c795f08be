package gopl.netcat;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import gopl.common.Cli;
import gopl.common.testing.Eventually;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** netcat run in-process against loopback servers: the copying, the endings and the errors. */
class NetcatTest {
    private record Run(int status, byte[] out, String err) {
        String text() {
            return new String(out, UTF_8);
        }
    }

    /** Stdin that stays open, as a terminal does, until closed. */
    private static final class OpenStdin extends InputStream {
        private final CountDownLatch closed = new CountDownLatch(1);

        @Override
        public int read() throws IOException {
            return read(new byte[1], 0, 1);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                closed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            return -1;
        }

        @Override
        public void close() {
            closed.countDown();
        }
    }

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private Future<Integer> start(InputStream stdin, boolean interactive, String... args) {
        var command = new NetcatCommand(stdin, out, interactive);
        var usage = new PrintStream(out, true, UTF_8);
        return CompletableFuture.supplyAsync(
                () -> Cli.run(command, usage, new PrintStream(err, true, UTF_8), args),
                runnable -> Thread.ofVirtual().start(runnable));
    }

    private Run netcat(InputStream stdin, boolean interactive, String... args) throws Exception {
        int status = start(stdin, interactive, args).get(30, SECONDS);
        return new Run(status, out.toByteArray(), err.toString(UTF_8));
    }

    private Run netcat(String stdin, String... args) throws Exception {
        return netcat(new ByteArrayInputStream(stdin.getBytes(UTF_8)), false, args);
    }

    @Test
    void lateEchoesArriveAfterStdinEndsThenNetcatExits() throws Exception {
        try (var server = Servers.start(Servers.reverb(Duration.ofMillis(200)))) {
            var run = netcat("Hello\nWorld\n", "localhost", String.valueOf(server.port()));
            assertThat(run.status()).isZero();
            // All six echoes came after stdin had ended, and the two shouts' echoes overlap.
            assertThat(run.text().lines()).containsExactlyInAnyOrder(
                    "\tHELLO", "\tHello", "\thello", "\tWORLD", "\tWorld", "\tworld");
            assertThat(run.err()).isEmpty();
        }
    }

    @Test
    void stdinEndClosesOnlyTheWriteHalf() throws Exception {
        // The server reads to end of stream, then answers: it can only if netcat still listens.
        try (var server = Servers.start(socket -> {
            long n = socket.getInputStream().transferTo(OutputStream.nullOutputStream());
            socket.getOutputStream().write(("got " + n + " bytes\n").getBytes(UTF_8));
        })) {
            var run = netcat("12345", "localhost:" + server.port());
            assertThat(run.status()).isZero();
            assertThat(run.text()).isEqualTo("got 5 bytes\n");
        }
    }

    @Test
    void everyByteValueRoundTrips() throws Exception {
        var bytes = new byte[256 * 64];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        try (var server = Servers.start(Servers::echo)) {
            var run = netcat(new ByteArrayInputStream(bytes), false, String.valueOf(server.port()));
            assertThat(run.status()).isZero();
            assertThat(run.out()).isEqualTo(bytes);
        }
    }

    @Test
    void serverClosingEndsAnInteractiveSessionAtOnce() throws Exception {
        try (var server = Servers.start(socket -> socket.getOutputStream().write("bye\n".getBytes(UTF_8)));
             var terminal = new OpenStdin()) {
            var run = netcat(terminal, true, "localhost", String.valueOf(server.port()));
            assertThat(run.status()).isZero();
            assertThat(run.text()).isEqualTo("bye\n");
        }
    }

    @Test
    void peerClosingFirstDoesNotCutShortAPipedUpload() throws Exception {
        var received = new CompletableFuture<Long>();
        // Like `netcat -l 9000 < /dev/null > file`: it half-closes at once, then reads everything.
        try (var server = Servers.start(socket -> {
            socket.shutdownOutput();
            received.complete(socket.getInputStream().transferTo(OutputStream.nullOutputStream()));
        })) {
            var upload = new byte[4 << 20];
            new Random(1).nextBytes(upload);
            var run = netcat(new ByteArrayInputStream(upload), false, "localhost", String.valueOf(server.port()));
            assertThat(run.status()).isZero();
            assertThat(received.get(30, SECONDS)).isEqualTo(upload.length);
        }
    }

    @Test
    void quitZeroLeavesRightAfterStdinEnds() throws Exception {
        var sawEnd = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        try (var server = Servers.start(socket -> {
            socket.getInputStream().transferTo(OutputStream.nullOutputStream());
            sawEnd.countDown();
            release.await(); // never closes on its own
        })) {
            var run = netcat("ping\n", "-q", "0", "localhost", String.valueOf(server.port()));
            assertThat(run.status()).isZero();
            assertThat(sawEnd.await(10, SECONDS)).isTrue();
            release.countDown();
        }
    }

    @Test
    void idleTimeoutEndsASilentSession() throws Exception {
        var release = new CountDownLatch(1);
        try (var server = Servers.start(socket -> release.await());
             var terminal = new OpenStdin()) {
            var run = netcat(terminal, true, "-v", "-w", "300ms", "localhost", String.valueOf(server.port()));
            release.countDown();
            assertThat(run.status()).isZero();
            assertThat(run.err()).endsWith("netcat: nothing moved for 300ms; closed\n");
        }
    }

    @Test
    void idleClockRestartsWithEveryByte() throws Exception {
        // Ten bytes 150ms apart outlast a 500ms idle timeout many times over.
        try (var server = Servers.start(socket -> {
            for (int i = 0; i < 10; i++) {
                Thread.sleep(150);
                socket.getOutputStream().write('0' + i);
            }
            socket.getInputStream().read(); // then silence; netcat's -w must end it
        });
             var terminal = new OpenStdin()) {
            var run = netcat(terminal, true, "-w", "0.5", "localhost", String.valueOf(server.port()));
            assertThat(run.status()).isZero();
            assertThat(run.text()).isEqualTo("0123456789");
        }
    }

    @Test
    void listenModeAcceptsOneClientAndCopiesBothWays() throws Exception {
        var stdin = new ByteArrayInputStream("from netcat\n".getBytes(UTF_8));
        var netcat = start(stdin, false, "-l", "-v", "0");
        int port = listeningPort();
        try (var client = new Socket("localhost", port)) {
            client.getOutputStream().write("from client\n".getBytes(UTF_8));
            client.shutdownOutput();
            assertThat(new String(client.getInputStream().readAllBytes(), UTF_8)).isEqualTo("from netcat\n");
        }
        assertThat(netcat.get(30, SECONDS)).isZero();
        assertThat(out.toString(UTF_8)).isEqualTo("from client\n");
        assertThat(err.toString(UTF_8)).contains("Connection received on localhost ");
    }

    @Test
    void listenPortMayComeFromDashP() throws Exception {
        var netcat = start(new ByteArrayInputStream(new byte[0]), false, "-v", "-l", "-p", "0");
        try (var client = new Socket("localhost", listeningPort())) {
            client.shutdownOutput();
            assertThat(client.getInputStream().read()).isEqualTo(-1);
        }
        assertThat(netcat.get(30, SECONDS)).isZero();
    }

    @Test
    void listenGivesUpAfterTheTimeoutWithoutAClient() throws Exception {
        var run = netcat("", "-l", "-v", "-w", "300ms", "0");
        int port = listeningPort();
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).endsWith("netcat: no connection on localhost:" + port + " within 300ms\n");
    }

    @Test
    void listeningOnATakenPortIsOneLine() throws Exception {
        try (var taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            var run = netcat("", "-l", "127.0.0.1", String.valueOf(taken.getLocalPort()));
            assertThat(run.status()).isEqualTo(1);
            assertThat(run.err()).isEqualTo("netcat: cannot listen on 127.0.0.1:" + taken.getLocalPort()
                    + ": Address already in use\n");
        }
    }

    @Test
    void dashPSetsTheSourcePortWhenConnecting() throws Exception {
        int source = Servers.closedPort();
        var seen = new CompletableFuture<Integer>();
        try (var server = Servers.start(socket -> seen.complete(socket.getPort()))) {
            var run = netcat("", "-p", String.valueOf(source), "localhost", String.valueOf(server.port()));
            assertThat(run.status()).isZero();
            assertThat(seen.get(10, SECONDS)).isEqualTo(source);
        }
    }

    private int listeningPort() {
        var listening = Pattern.compile("Listening on localhost (\\d+)");
        Eventually.eventually(Duration.ofSeconds(15), "netcat says where it listens",
                () -> listening.matcher(err.toString(UTF_8)).find());
        var matcher = listening.matcher(err.toString(UTF_8));
        assertThat(matcher.find()).isTrue();
        return Integer.parseInt(matcher.group(1));
    }

    @Test
    void refusedConnectionIsOneLineAndExitOne() throws Exception {
        int port = Servers.closedPort();
        var run = netcat("", "localhost", String.valueOf(port));
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("netcat: connect localhost:" + port + ": Connection refused\n");
    }

    @Test
    void unknownHostIsOneLine() throws Exception {
        var run = netcat("", "no-such-host.invalid", "80");
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("netcat: connect no-such-host.invalid:80: unknown host\n");
    }

    @Test
    void connectTimeoutNamesTheTimeout() throws Exception {
        // A listener that never accepts and has a full backlog: Linux drops further SYNs.
        try (var listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            var held = fillBacklog(listener);
            var run = netcat("", "-w", "500ms", "127.0.0.1", String.valueOf(listener.getLocalPort()));
            assertThat(run.status()).isEqualTo(1);
            assertThat(run.err()).isEqualTo("netcat: connect 127.0.0.1:" + listener.getLocalPort()
                    + ": timed out after 500ms\n");
            for (var socket : held) {
                socket.close();
            }
        }
    }

    private static ArrayList<Socket> fillBacklog(ServerSocket listener) throws IOException {
        var held = new ArrayList<Socket>();
        for (int i = 0; i < 16; i++) {
            var socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()), 300);
                held.add(socket);
            } catch (SocketTimeoutException full) {
                socket.close();
                return held;
            }
        }
        throw new AssertionError("the backlog never filled up");
    }

    @Test
    void resetByPeerIsAFailure() throws Exception {
        try (var server = Servers.start(socket -> {
            socket.getInputStream().read();
            socket.setSoLinger(true, 0); // close with RST instead of FIN
        })) {
            var run = netcat(new ByteArrayInputStream("x".getBytes(UTF_8)), false, "localhost", String.valueOf(server.port()));
            assertThat(run.status()).isEqualTo(1);
            assertThat(run.err()).isEqualTo("netcat: localhost:" + server.port() + ": Connection reset\n");
        }
    }

    @Test
    void closedStdoutEndsQuietly() throws Exception {
        var broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }
        };
        try (var server = Servers.start(socket -> socket.getOutputStream().write("lost\n".getBytes(UTF_8)));
             var terminal = new OpenStdin()) {
            var command = new NetcatCommand(terminal, broken, true);
            int status = Cli.run(command, System.out, new PrintStream(err, true, UTF_8), String.valueOf(server.port()));
            assertThat(status).isZero();
            assertThat(err.toString(UTF_8)).isEmpty();
        }
    }

    @Test
    void zeroIoReportsWhetherThePortIsOpen() throws Exception {
        try (var server = Servers.start(socket -> { })) {
            var open = netcat("", "-z", "-v", "localhost", String.valueOf(server.port()));
            assertThat(open.status()).isZero();
            assertThat(open.err()).matches("Connection to localhost \\(127.0.0.1\\) " + server.port()
                    + " port \\[tcp/[^]]+] succeeded!\n");
        }
        int port = Servers.closedPort();
        var closed = netcat("", "-z", String.valueOf(port));
        assertThat(closed.status()).isEqualTo(1);
    }

    @Test
    void noTargetMeansLocalhost8000AsInTheBook() throws Exception {
        var run = netcat("", "-z", "-v");
        // Whether or not something listens on 8000 here, that is where netcat went.
        assertThat(run.err()).containsAnyOf("Connection to localhost (127.0.0.1) 8000 port",
                "connect to localhost (127.0.0.1) port 8000 (tcp) failed: Connection refused");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "localhost             | missing port: write netcat localhost PORT, or localhost:PORT",
        "localhost 99999       | port 99999 is out of range (1-65535)",
        "localhost:http        | 'http' is not a port number",
        "-l -z 9000            | -z checks a port by connecting to it; it cannot be used with -l",
        "-l -p 9000 9001       | give the port once: either -p 9000 or a PORT argument",
        "-w -1 localhost 80    | -w needs a timeout of 0 or more",
        "-w soon localhost 80  | Invalid value for option '--wait': 'soon' is not a duration (seconds such as 5 or 0.5, or 500ms, 1m30s)",
        "-C localhost 80       | Unknown option: '-C'",
        "a b c                 | 'b' is not a port number or a service in /etc/services",
        "a 20-30               | several ports are for scanning with -z; a session has one",
        "-k localhost 80       | -k keeps a listener open; it needs -l",
        "-u -U x.sock          | UDP over Unix sockets (-u -U) is not supported: Java has no Unix datagram sockets",
        "-4 -6 localhost 80    | -4 and -6 cannot be used together",
        "-z --ssl localhost 80 | -z only checks that the port accepts connections; it cannot be used with --ssl",
        "-l --ssl 9000         | listening with --ssl needs --ssl-cert FILE and --ssl-key FILE",
        "-U a.sock 80          | -U takes one socket path and no port: a.sock 80",
        "-l --broker -u 9000   | --broker works over TCP and Unix sockets, not UDP",
    })
    void usageErrorsAreOneLineAndExitTwo(String args, String message) throws Exception {
        var run = netcat("", args.split(" "));
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("netcat: " + message + " (see netcat --help)\n");
    }

    @Test
    void secondsAcceptPlainNumbersAndGoDurations() {
        var seconds = new Seconds();
        assertThat(seconds.convert("5")).isEqualTo(Duration.ofSeconds(5));
        assertThat(seconds.convert("0.25")).isEqualTo(Duration.ofMillis(250));
        assertThat(seconds.convert("-1")).isEqualTo(Duration.ofSeconds(-1));
        assertThat(seconds.convert("1m30s")).isEqualTo(Duration.ofSeconds(90));
    }
}
