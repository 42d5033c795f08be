package gopl.chat;

import gopl.common.InputBudget;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * One connection: its input, read a line at a time ({@link LineReader}), its output
 * ({@link Outbox}), and its name.
 */
final class Client {
    private static final Pattern REORDERING = Pattern.compile("[\u202A-\u202E\u2066-\u2069\u2028\u2029]");

    private final Socket socket;
    private final LineReader lines;
    private final Outbox outbox;

    /** Owned by the broadcaster: null until a name is accepted. */
    String name;

    Client(Socket socket, ChatServer.Settings settings, InputBudget budget) throws IOException {
        this.socket = socket;
        this.lines = new LineReader(socket, settings, budget);
        this.outbox = new Outbox(socket.getOutputStream(), settings.buffer(), this::close);
        socket.setTcpNoDelay(true); // the writer batches lines itself; Nagle would only add delay
    }

    /** {@code 127.0.0.1:52582}, for the log. */
    String address() {
        return socket.getInetAddress().getHostAddress() + ":" + socket.getPort();
    }

    static byte[] encode(String line) {
        return (line + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Queues a line without waiting; a client too far behind loses it ({@link Outbox#send}). */
    boolean send(byte[] line) {
        return outbox.send(line);
    }

    boolean send(String line) {
        return send(encode(line));
    }

    /** Queues a last line (none if null); nothing is sent after it. */
    void sendLast(String line) {
        outbox.sendLast(line == null ? null : encode(line));
    }

    /** Lines this client lost because it read too slowly. */
    long dropped() {
        return outbox.dropped();
    }

    /** Waits for the last line to be out, for at most {@code grace}; see {@link Outbox#finish}. */
    void finish(Duration grace) throws InterruptedException {
        outbox.finish(grace);
    }

    /** Waits until the writer has stopped or the deadline ({@link System#nanoTime()}) has passed. */
    void awaitWriter(long deadline) throws InterruptedException {
        outbox.awaitWriter(deadline);
    }

    void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing is all we wanted.
        }
    }

    /**
     * The next line the client sends, with invalid UTF-8 replaced and control characters made
     * harmless; {@link LineReader#TOO_LONG} for a line over the length cap, {@link LineReader#NO_ROOM}
     * for one the server had no room to hold; null at the end of input.
     *
     * @throws java.net.SocketTimeoutException if no whole line comes within the idle time
     * @throws LineReader.Flooding if the client has been held to the rate for too long
     */
    String readLine() throws IOException, InterruptedException {
        var line = lines.next();
        return line == null || line == LineReader.TOO_LONG || line == LineReader.NO_ROOM ? line : clean(line);
    }

    /** Gives back what the client's input holds of the server's input budget; once it has gone. */
    void releaseInput() {
        lines.release();
    }

    /**
     * Chat text as others will see it: bidi embeddings, overrides and isolates and the line and
     * paragraph separators replaced, so that a line cannot reorder or break what is around it.
     * (A name with them is refused instead, see Names.)
     */
    static String flat(String text) {
        return REORDERING.matcher(text).replaceAll("\uFFFD");
    }

    /** Drops a trailing CR (telnet) and replaces control characters, so nobody's terminal obeys them. */
    static String clean(String line) {
        if (line.endsWith("\r")) {
            line = line.substring(0, line.length() - 1);
        }
        char[] chars = null;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if ((c < 0x20 && c != '\t') || (c >= 0x7f && c < 0xa0)) {
                if (chars == null) {
                    chars = line.toCharArray();
                }
                chars[i] = '\uFFFD';
            }
        }
        return chars == null ? line : new String(chars);
    }
}
