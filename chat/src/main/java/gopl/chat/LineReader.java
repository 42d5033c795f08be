package gopl.chat;

import static java.nio.charset.StandardCharsets.UTF_8;

import gopl.common.InputBudget;
import gopl.common.ReadBuffer;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A client's input, read a line at a time under the server's limits: idle time, line length and
 * flood rate. Only the client's own reading thread uses it.
 *
 * <p>The read buffer starts small and grows only for a client whose reads fill it
 * ({@link ReadBuffer}); its growth, and a line that spans reads, are taken from the server's
 * input budget, and a line it has no room for is dropped as a line over the cap is.
 */
final class LineReader {
    /** What {@link #next} returns for a line over the cap; compared by identity. */
    static final String TOO_LONG = new String("(too long)");
    /** What {@link #next} returns for a line the server had no room to hold ({@link InputBudget}); compared by identity. */
    static final String NO_ROOM = new String("(no room)");
    private static final int SMALL = 128; // most chat lines fit; longer ones span reads
    private static final int LARGE = 8192;

    private final ReadBuffer input;
    private final ChatServer.Settings settings;
    private long paceTime = System.nanoTime(); // flood control, see pace()
    private boolean throttled;
    private long throttledSince;

    LineReader(Socket socket, ChatServer.Settings settings, InputBudget budget) throws IOException {
        this.input = new ReadBuffer(socket, SMALL, LARGE, settings.maxLine(), budget);
        this.settings = settings;
    }

    /**
     * The next line as sent, decoded (invalid UTF-8 replaced) and paced to the rate; {@link #TOO_LONG}
     * if it was over the cap (and skipped, without ever holding more than the cap), {@link #NO_ROOM}
     * if the input budget had no room for it (skipped too); null at the end.
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
        input.dropLine(); // the last line is passed on by now
        boolean spans = false; // a line that spans reads is kept in the input, within its budget
        String dropped = null; // TOO_LONG or NO_ROOM once the line cannot be kept
        while (true) {
            if (input.isEmpty() && input.fill(deadline) <= 0) {
                return input.kept() > 0 && dropped == null ? new String(input.takeLine(), UTF_8) : null;
            }
            int from = input.start();
            int newline = input.indexOf((byte) '\n');
            int stop = newline < 0 ? input.end() : newline;
            if (dropped == null && input.kept() + stop - from > settings.maxLine()) {
                dropped = TOO_LONG;
            }
            if (newline >= 0 && !spans && dropped == null) { // the usual case: the whole line is here
                input.consumeTo(newline + 1);
                return new String(input.bytes(), from, stop - from, UTF_8);
            }
            spans = true;
            if (dropped == null && !input.keep(from, stop)) {
                dropped = NO_ROOM;
            }
            if (dropped != null) {
                input.dropLine(); // skipped to its end, without holding it
            }
            input.consumeTo(newline < 0 ? input.end() : newline + 1);
            if (newline >= 0) {
                return dropped != null ? dropped : new String(input.takeLine(), UTF_8);
            }
        }
    }

    /** Gives back what this client's input holds of the server's input budget; when it has gone. */
    void release() {
        input.release();
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
