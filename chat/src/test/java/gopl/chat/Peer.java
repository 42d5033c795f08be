package gopl.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A chat client for tests: a loopback socket, or a client program (openssl s_client, ncat)
 * typing for us, whose lines a virtual thread collects as they come.
 */
final class Peer implements AutoCloseable {
    static final String EOF = "<end of stream>";
    static final Duration WAIT = Duration.ofSeconds(20); // generous: the machine may be loaded

    final Socket socket; // null for a client program
    private final Process program; // null for a socket
    private final InputStream in;
    private final OutputStream out;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    Peer(int port) {
        try {
            socket = new Socket("localhost", port);
            program = null;
            in = socket.getInputStream();
            out = socket.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofVirtual().start(this::collect);
    }

    /** A client program: what we say goes to its stdin, its stdout is what the server sent. */
    Peer(List<String> command) {
        try {
            program = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        socket = null;
        in = program.getInputStream();
        out = program.getOutputStream();
        Thread.ofVirtual().start(this::collect);
    }

    /** Connects and takes a name, checking the server accepted it. */
    static Peer named(int port, String name) {
        var peer = new Peer(port);
        peer.expect("Welcome! What is your name?");
        peer.say(name);
        assertThat(peer.next()).startsWith("You are " + name + ".");
        return peer;
    }

    private void collect() {
        try (var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                lines.add(line);
            }
        } catch (IOException ignored) {
            // Closed by the test or the server: both end the stream.
        }
        lines.add(EOF);
    }

    void say(String line) {
        send((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    void send(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next line, failing the test if none comes in time. */
    String next() {
        try {
            var line = lines.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(line).as("a line within " + WAIT).isNotNull();
            return line;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next line, which must be this one. */
    void expect(String line) {
        assertThat(next()).isEqualTo(line);
    }

    /** Skips lines until one matches, failing at the end of the stream. */
    String skipTo(Predicate<String> wanted) {
        for (String line; ; ) {
            line = next();
            assertThat(line).as("stream ended before the line we wait for").isNotEqualTo(EOF);
            if (wanted.test(line)) {
                return line;
            }
        }
    }

    String skipTo(String line) {
        return skipTo(line::equals);
    }

    /** Skips lines until the server closes the connection. */
    void skipToEnd() {
        while (!next().equals(EOF)) {
            // Skip.
        }
    }

    /** Lines already received and not yet taken. */
    int pending() {
        return lines.size();
    }

    @Override
    public void close() {
        if (program != null) {
            program.destroyForcibly();
            return;
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // Already closed.
        }
    }
}
