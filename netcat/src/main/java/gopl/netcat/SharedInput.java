package gopl.netcat;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Stdin shared by a run of sessions ({@code -k}): one thread reads it, and each session takes
 * what comes next; once it has ended, every later session sees the end at once, as with nc. A
 * session's sending thread is interrupted when its session ends, so that it cannot take input
 * meant for the next client (a file input stream cannot be interrupted; this queue can).
 */
final class SharedInput extends InputStream {
    private static final byte[] END = new byte[0];

    private final BlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(1);
    private volatile byte[] current = END;
    private volatile int position;

    SharedInput(InputStream stdin) {
        Thread.ofPlatform().daemon().name("netcat-stdin").start(() -> pump(stdin));
    }

    private void pump(InputStream stdin) {
        try {
            readAll(stdin);
            chunks.put(END);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void readAll(InputStream stdin) throws InterruptedException {
        var buffer = new byte[64 * 1024];
        try {
            for (int n; (n = stdin.read(buffer)) >= 0; ) {
                chunks.put(Arrays.copyOf(buffer, n));
            }
        } catch (IOException e) {
            // Unreadable stdin ends like an empty one.
        }
    }

    /** What a session could read now without waiting for stdin (unlocked: read holds the lock while it waits). */
    @Override
    public int available() {
        var next = chunks.peek();
        return current.length - position + (next == null ? 0 : next.length);
    }

    @Override
    public int read() throws IOException {
        var one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public synchronized int read(byte[] buffer, int offset, int length) throws IOException {
        if (position == current.length) {
            try {
                current = chunks.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("the session ended");
            }
            position = 0;
            if (current == END) {
                chunks.add(END); // for the next session, which sees the end too
                return -1;
            }
        }
        int n = Math.min(length, current.length - position);
        System.arraycopy(current, position, buffer, offset, n);
        position += n;
        return n;
    }
}
