package gopl.common.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Attacks on a server's real jar that every server must withstand the same way (the *SecurityIT
 * classes): a flood of connections from one address and from many. Connections come from
 * different loopback addresses (127.0.0.2, 127.0.0.3...), which Linux routes to the server too.
 */
public final class ServerAttacks {
    public static final String ADDRESS_FULL = "Too many connections from your address; try again later.";
    public static final String SERVER_FULL = "Too many connections; try again later.";
    private static final Pattern BYTES_IN = Pattern.compile("stats: .* (\\d+) bytes in");

    /** What a client must do to prove it is being served: read a greeting, or ask for an echo. */
    @FunctionalInterface
    public interface ServedCheck {
        void assertServed(Socket socket) throws IOException;
    }

    private ServerAttacks() {}

    /** The port the server says it listens on ({@code <tool> listening on HOST:PORT}), waiting up to 20 s. */
    public static int listeningPort(ToolProcess server, String tool) throws InterruptedException {
        var listening = Pattern.compile(tool + " listening on \\S+:(\\d+)");
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            var matcher = listening.matcher(server.stderrText());
            if (matcher.find()) {
                return Integer.parseInt(matcher.group(1));
            }
            assertThat(System.nanoTime()).as(tool + " said where it listens; stderr: " + server.stderrText()).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** A connection to the server's loopback port from the loopback address {@code from}. */
    public static Socket connect(String from, int port) {
        try {
            var socket = new Socket();
            socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            socket.setSoTimeout(20_000);
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first line the server sends, without its line end; null if it closes first. */
    public static String firstLine(Socket socket) throws IOException {
        var line = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(UTF_8);
            }
            line.write(b);
        }
        return line.toString(UTF_8).stripTrailing();
    }

    /** Asserts the server sent exactly this refusal line and closed the connection. */
    public static void assertRefused(Socket socket, String refusal) throws IOException {
        assertThat(firstLine(socket)).isEqualTo(refusal);
        assertThat(socket.getInputStream().read()).as("closed after the refusal").isEqualTo(-1);
    }

    /**
     * The connection caps of a server started with {@code --max-per-ip perIp --max-connections
     * total} (total &lt;= 2 * perIp): one address gets perIp connections and then refusals, a
     * second fills the server, a third is refused, and the whole flood costs one log line.
     *
     * @return a one-line account of the attack, for the test's output
     */
    public static String assertCapsHold(ToolProcess server, int port, int perIp, int total, int attempts,
            ServedCheck served) throws IOException {
        var open = new ArrayList<Socket>();
        try {
            openServed(open, "127.0.0.2", port, perIp, served);
            for (int i = 0; i < attempts; i++) {
                try (var refused = connect("127.0.0.2", port)) {
                    assertRefused(refused, ADDRESS_FULL);
                }
            }
            openServed(open, "127.0.0.3", port, total - perIp, served);
            try (var refused = connect("127.0.0.4", port)) {
                assertRefused(refused, SERVER_FULL);
            }
            for (var socket : open) {
                served.assertServed(socket); // still served after the flood
            }
        } finally {
            for (var socket : open) {
                socket.close();
            }
        }
        var refusalLines = server.stderrText().lines().filter(line -> line.contains("refusing connections")).toList();
        assertThat(refusalLines).as("one log line for the whole flood").hasSize(1);
        return "served " + total + ", refused " + (attempts + 1) + " with one line each, " + refusalLines.size()
                + " refusal line in the log: " + refusalLines.getFirst();
    }

    /**
     * The slow-line attack on a server's memory: {@code clients} connections, {@code perAddress}
     * from each loopback address from 127.0.0.2 on, each sending {@code partial} (a long line
     * without its newline) and then nothing. Each is written on a virtual thread of its own, so a
     * server that stops reading cannot hang the test; closing the sockets ends them.
     */
    public static List<Socket> stallWithPartialLines(int port, int clients, int perAddress, byte[] partial) {
        var sockets = new ArrayList<Socket>();
        try {
            for (int i = 0; i < clients; i++) {
                var socket = connect("127.0.0." + (2 + i / perAddress), port);
                sockets.add(socket);
                Thread.ofVirtual().start(() -> {
                    try {
                        socket.getOutputStream().write(partial);
                    } catch (IOException e) {
                        // Closed at the end of the test, or by the server.
                    }
                });
            }
            return sockets;
        } catch (RuntimeException | Error e) {
            closeAll(sockets);
            throw e;
        }
    }

    /** Waits until the server's {@code --stats} lines say it has read at least {@code bytes} bytes. */
    public static void awaitBytesIn(ToolProcess server, long bytes, Duration timeout) {
        Eventually.eventually(timeout, "the server reads " + bytes + " bytes; stderr tail: "
                + tail(server.stderrText()), () -> mostBytesIn(server) >= bytes);
    }

    /** The most bytes read that the server's {@code --stats} lines have reported so far. */
    public static long mostBytesIn(ToolProcess server) {
        var matcher = BYTES_IN.matcher(server.stderrText());
        long most = 0;
        while (matcher.find()) {
            most = Math.max(most, Long.parseLong(matcher.group(1)));
        }
        return most;
    }

    private static String tail(String text) {
        return text.substring(Math.max(0, text.length() - 2000));
    }

    public static void closeAll(List<Socket> sockets) {
        for (var socket : sockets) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // Closing is all we wanted.
            }
        }
    }

    private static void openServed(List<Socket> open, String from, int port, int count, ServedCheck served) throws IOException {
        for (int i = 0; i < count; i++) {
            var socket = connect(from, port);
            open.add(socket);
            served.assertServed(socket);
        }
    }
}
