package gopl.common;

import static java.util.concurrent.TimeUnit.NANOSECONDS;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * A connection's input as a line server reads it: a window of bytes read but not yet consumed,
 * each read bounded by a deadline (an idle timeout that counts whole lines, not bytes).
 *
 * <p>The buffer starts small and grows (four times over, up to a cap) only while reads fill it,
 * and shrinks back when they no longer do: a thread parked in a read holds its buffer, and with
 * 10,000 clients, each idle most of the time, a buffer the size of a long line would be memory
 * held for nothing. Only the connection's reading thread uses it.
 */
public final class ReadBuffer {
    private final Socket socket;
    private final InputStream in;
    private final int small;
    private final int large;
    private byte[] buffer;
    private int start;
    private int end;

    /**
     * @param small the buffer's size at first and when reads do not fill it
     * @param large the most it grows to
     */
    public ReadBuffer(Socket socket, int small, int large) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.small = small;
        this.large = large;
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
            buffer = new byte[Math.min(buffer.length * 4, large)]; // the last read filled it: more was waiting
        } else if (end <= small && buffer.length > small) {
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
}
