package gopl.chat;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A client's input, read a line at a time under the server's limits: idle time, line length and
 * flood rate. Only the client's own reading thread uses it.
 *
 * <p>The read buffer starts small and grows only for a client whose reads fill it: with
 * thousands of clients, each parked in a read most of the time, a buffer the size of the longest
 * line would be memory held for nothing.
 */
final class LineReader {
    /** What {@link #next} returns for a line over the cap; compared by identity. */
    static final String TOO_LONG = new String("(too long)");
    private static final int SMALL = 128; // most chat lines fit; longer ones span reads
    private static final int LARGE = 8192;

    private final Socket socket;
    private final InputStream in;
    private final ChatServer.Settings settings;
    private byte[] buffer = new byte[SMALL];
    private int start;
    private int end;
    private long paceTime = System.nanoTime(); // flood control, see pace()
    private boolean throttled;
    private long throttledSince;

    LineReader(Socket socket, ChatServer.Settings settings) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.settings = settings;
    }

    /**
     * The next line as sent, decoded (invalid UTF-8 replaced) and paced to the rate; {@link #TOO_LONG}
     * if it was over the cap (and skipped, without ever holding more than the cap); null at the end.
     *
     * @throws SocketTimeoutException if no whole line comes within the idle time
     * @throws Flooding if the client has been held to the rate for too long
     */
    String next() throws IOException, InterruptedException {
        long deadline = settings.idle().isZero() ? 0 : System.nanoTime() + settings.idle().toNanos();
        var line = nextLine(deadline);
        if (line != null) {
            pace();
        }
        return line;
    }

    private String nextLine(long deadline) throws IOException {
        ByteArrayOutputStream partial = null; // only for a line that spans reads
        boolean tooLong = false;
        while (true) {
            if (start == end && !fill(deadline)) {
                return partial != null && partial.size() > 0 && !tooLong ? partial.toString(UTF_8) : null;
            }
            int newline = indexOf('\n');
            int stop = newline < 0 ? end : newline;
            tooLong |= (partial == null ? 0 : partial.size()) + stop - start > settings.maxLine();
            if (newline >= 0 && partial == null && !tooLong) { // the usual case: the whole line is here
                var line = new String(buffer, start, stop - start, UTF_8);
                start = newline + 1;
                return line;
            }
            if (!tooLong) {
                partial = partial == null ? new ByteArrayOutputStream(2 * (stop - start)) : partial;
                partial.write(buffer, start, stop - start);
            }
            start = newline < 0 ? end : newline + 1;
            if (newline >= 0) {
                return tooLong ? TOO_LONG : partial.toString(UTF_8);
            }
        }
    }

    /** Reads into the consumed buffer, first resized to what the last read needed. */
    private boolean fill(long deadline) throws IOException {
        if (deadline != 0) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                throw new SocketTimeoutException("idle");
            }
            socket.setSoTimeout((int) Math.min(left, Integer.MAX_VALUE));
        }
        if (end == buffer.length && buffer.length < LARGE) {
            buffer = new byte[buffer.length * 4]; // the last read filled it: more was waiting
        } else if (end <= SMALL && buffer.length > SMALL) {
            buffer = new byte[SMALL];
        }
        int n = in.read(buffer, 0, buffer.length);
        start = 0;
        end = Math.max(n, 0);
        return n > 0;
    }

    private int indexOf(char c) {
        for (int i = start; i < end; i++) {
            if (buffer[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Flood control (a token bucket): a client may send {@code rate} lines at once and then
     * {@code rate} a second. A faster one is simply read more slowly, so TCP holds it back and the
     * others' messages are not crowded out; one held back without a break for {@code flooding} is
     * cut off, or it could keep the chat busy long after it has gone.
     */
    private void pace() throws InterruptedException, Flooding {
        if (settings.rate() == 0) {
            return;
        }
        long interval = TimeUnit.SECONDS.toNanos(1) / settings.rate();
        long now = System.nanoTime();
        paceTime = Math.max(paceTime, now) + interval;
        long wait = paceTime - now - settings.rate() * interval;
        if (wait <= 0) {
            throttled = false;
            return;
        }
        if (!throttled) {
            throttled = true;
            throttledSince = now;
        } else if (now - throttledSince > settings.flooding().toNanos()) {
            throw new Flooding();
        }
        Thread.sleep(Duration.ofNanos(wait));
    }

    /** A client that kept sending faster than the rate for too long. */
    static final class Flooding extends IOException {
        Flooding() {
            super("flooding");
        }
    }
}
