package gopl.common;

import static java.util.concurrent.TimeUnit.NANOSECONDS;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Arrays;

/**
 * A connection's input as a line server reads it: a window of bytes read but not yet consumed,
 * each read bounded by a deadline (an idle timeout that counts whole lines, not bytes), and the
 * line being read when it spans reads.
 *
 * <p>The buffer starts small and grows (four times over, up to a cap) only while reads fill it,
 * and shrinks back when they no longer do: a thread parked in a read holds its buffer, and with
 * 10,000 clients, each idle most of the time, a buffer the size of a long line would be memory
 * held for nothing. Its growth, and a line kept across reads, are taken from the server's
 * {@link InputBudget}; when that is spent the buffer stays small and {@link #keep} refuses, so
 * what the server's clients hold together stays within it. {@link #release()} gives it all back.
 * Only the connection's reading thread uses it.
 */
public final class ReadBuffer {
    private final Socket socket;
    private final InputBudget budget;
    private final InputStream in;
    private final int small;
    private final int large;
    private final int longest;
    private byte[] buffer;
    private int start;
    private int end;
    private byte[] line; // the line kept across reads, charged to the budget; null if none
    private int lineLength;

    /**
     * @param small the buffer's size at first and when reads do not fill it
     * @param large the most it grows to
     * @param longest the longest line {@link #keep} ever has to hold
     * @param budget what the buffer's growth and its kept line are taken from
     */
    public ReadBuffer(Socket socket, int small, int large, int longest, InputBudget budget) throws IOException {
        this.socket = socket;
        this.budget = budget;
        this.in = socket.getInputStream();
        this.small = small;
        this.large = large;
        this.longest = longest;
        this.buffer = new byte[small];
    }

    /**
     * Replaces the window with the next bytes read, waiting no later than {@code deadline}.
     *
     * @param deadline a {@link System#nanoTime()}; 0 for none
     * @return the number of bytes read, or -1 at the end of the stream
     * @throws SocketTimeoutException if the deadline has passed, or passes during the read
     */
    public int fill(long deadline) throws IOException {
        if (deadline != 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new SocketTimeoutException("idle");
            }
            socket.setSoTimeout(Math.clamp(NANOSECONDS.toMillis(left), 1, Integer.MAX_VALUE));
        }
        if (end == buffer.length && buffer.length < large) {
            grow(); // the last read filled it: more was waiting
        } else if (end <= small && buffer.length > small) {
            budget.give(buffer.length - small);
            buffer = new byte[small];
        }
        int n = in.read(buffer, 0, buffer.length);
        start = 0;
        end = Math.max(n, 0);
        return n;
    }

    /** Where the first {@code b} in the window is, or -1. */
    public int indexOf(byte b) {
        for (int i = start; i < end; i++) {
            if (buffer[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** The buffer the window is in: bytes {@link #start()} to {@link #end()}, to read, not to keep. */
    public byte[] bytes() {
        return buffer;
    }

    public int start() {
        return start;
    }

    public int end() {
        return end;
    }

    /** Whether every byte read has been consumed. */
    public boolean isEmpty() {
        return start == end;
    }

    /** Consumes the window up to {@code index} (exclusive). */
    public void consumeTo(int index) {
        start = index;
    }

    /** Makes the buffer four times larger, if the budget has room for it; if not, it stays as it is. */
    private void grow() {
        int larger = Math.min(buffer.length * 4, large);
        if (budget.take(larger - buffer.length)) { // what it holds beyond small is charged
            buffer = new byte[larger];
        }
    }

    /**
     * Adds the window's bytes {@code from} to {@code to} to the line kept across reads, if the
     * budget has room for them; if not, keeps nothing more and returns false: the caller drops or
     * cuts the line. Only a line that spans reads needs this; one read whole is read from the window.
     */
    public boolean keep(int from, int to) {
        if (to == from) {
            return true;
        }
        int needed = lineLength + to - from;
        int held = line == null ? 0 : line.length;
        if (needed > held) {
            int larger = Math.max(needed, Math.min(2 * held, longest)); // doubling: a copy per read would cost O(n^2)
            if (!budget.take(larger - held)) {
                return false;
            }
            line = line == null ? new byte[larger] : Arrays.copyOf(line, larger);
        }
        System.arraycopy(buffer, from, line, lineLength, to - from);
        lineLength = needed;
        return true;
    }

    /** The length of the line kept so far. */
    public int kept() {
        return lineLength;
    }

    /**
     * The line kept, as an array of its own. It stays charged to the budget until
     * {@link #dropLine()}: call that before reading the next line, so that what the caller does
     * with this one (waits to pass it on) is counted too.
     */
    public byte[] takeLine() {
        if (line == null) {
            return new byte[0];
        }
        if (line.length > lineLength) {
            budget.give(line.length - lineLength);
            line = Arrays.copyOf(line, lineLength);
        }
        return line;
    }

    /** Forgets the kept line, giving back what it held of the budget. */
    public void dropLine() {
        if (line != null) {
            budget.give(line.length);
            line = null;
        }
        lineLength = 0;
    }

    /** Gives back all that this buffer holds of the budget, when the connection is done; idempotent. */
    public void release() {
        dropLine();
        if (buffer.length > small) {
            budget.give(buffer.length - small);
            buffer = new byte[small];
        }
        start = 0;
        end = 0;
    }
}
