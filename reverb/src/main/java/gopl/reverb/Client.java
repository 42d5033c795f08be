package gopl.reverb;

import gopl.common.InputBudget;
import gopl.common.ReadBuffer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One connection as reverb sees it: shouts come in as lines of bytes (any bytes, not only
 * UTF-8), echo lines go out whole.
 */
final class Client {
    /** Longest shout kept, as Go's bufio.Scanner (MaxScanTokenSize); the rest of a line is dropped. */
    static final int MAX_LINE = 64 * 1024;
    // What the book's fmt.Fprintln(c, "\t", shout) writes before the shout.
    private static final byte[] INDENT = {'\t', ' '};

    private final Socket socket;
    private final ReadBuffer input;
    private final OutputStream out;
    private final Duration idle;
    private final String name;
    private final ReentrantLock writing = new ReentrantLock();
    // Small, because a thread blocked reading holds it (10,000 clients, 1.3 MB); grown for a
    // client whose reads fill it (ReadBuffer). No larger than 512: what is read ahead of a
    // shout that waits for echo memory is held outside the echo budget.
    private static final int SMALL = 128;
    private static final int LARGE = 512;
    private int shouts;

    /** @param idle how long the client may go without shouting; zero for ever */
    Client(Socket socket, Duration idle, InputBudget budget) throws IOException {
        this.socket = socket;
        this.input = new ReadBuffer(socket, SMALL, LARGE, MAX_LINE, budget);
        this.out = socket.getOutputStream();
        this.idle = idle;
        this.name = socket.getInetAddress().getHostAddress() + ":" + socket.getPort();
    }

    /**
     * The next shout, without its {@code \n} or {@code \r\n}; null once the client has closed its
     * write half. A line longer than {@link #MAX_LINE} is cut to that length, and the rest read
     * and dropped, so a huge line costs the server no more than a long one. A line that spans
     * reads is held within the server's input budget ({@link InputBudget}), until the next call:
     * when the budget is spent, the line is cut where it is, as one over MAX_LINE is.
     *
     * @throws SocketTimeoutException when no whole shout arrives within the idle timeout. The
     *     clock restarts at each shout, not at each byte: a client trickling bytes without ever
     *     finishing a line is idle too.
     */
    byte[] nextShout() throws IOException {
        input.dropLine(); // the last shout is in its echo, charged to echo memory, by now
        long deadline = idle.isZero() ? 0 : System.nanoTime() + idle.toNanos();
        boolean spans = false;
        boolean cut = false;
        while (true) {
            int from = input.start();
            int newline = input.indexOf((byte) '\n');
            int stop = newline < 0 ? input.end() : newline;
            if (newline >= 0 && !spans) { // the usual case: the whole line is here
                input.consumeTo(newline + 1);
                shouts++;
                return withoutCarriageReturn(Arrays.copyOfRange(input.bytes(), from, Math.min(stop, from + MAX_LINE)));
            }
            spans |= stop > from;
            cut = cut || !input.keep(from, Math.min(stop, from + MAX_LINE - input.kept()));
            if (newline >= 0) {
                input.consumeTo(newline + 1);
                shouts++;
                return withoutCarriageReturn(input.takeLine());
            }
            if (input.fill(deadline) < 0) {
                // A last line without a newline is still a shout, as with Go's bufio.Scanner.
                shouts += input.kept() > 0 ? 1 : 0;
                return input.kept() > 0 ? withoutCarriageReturn(input.takeLine()) : null;
            }
        }
    }

    /** Gives back what this client's input holds of the server's input budget; once it has gone. */
    void releaseInput() {
        input.release();
    }

    private static byte[] withoutCarriageReturn(byte[] line) {
        return line.length > 0 && line[line.length - 1] == '\r' ? Arrays.copyOf(line, line.length - 1) : line;
    }

    /**
     * Writes one echo line with a single write under a lock, so that lines from echoes of
     * different shouts, written by different threads, never mix their bytes.
     */
    void say(byte[] text) throws IOException, InterruptedException {
        var line = new byte[INDENT.length + text.length + 1];
        System.arraycopy(INDENT, 0, line, 0, INDENT.length);
        System.arraycopy(text, 0, line, INDENT.length, text.length);
        line[line.length - 1] = '\n';
        writing.lockInterruptibly();
        try {
            out.write(line);
        } finally {
            writing.unlock();
        }
    }

    /** Closes the connection from an echo thread; the reading thread's next read fails. */
    void hangUp() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closed is what we wanted.
        }
    }

    /** Shouts read so far. */
    int shouts() {
        return shouts;
    }

    @Override
    public String toString() {
        return name;
    }
}
