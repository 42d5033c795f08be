package gopl.common;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * An input stream that tells an observer how many bytes each read returned (0 at the end of the
 * stream), after the read: for counting, metering or capping what a peer sends. The observer may
 * throw to fail the read.
 */
public final class ObservedInputStream extends FilterInputStream {
    /** Told the bytes each read returned. */
    @FunctionalInterface
    public interface Observer {
        void read(int bytes) throws IOException;
    }

    private final Observer observer;

    public ObservedInputStream(InputStream in, Observer observer) {
        super(in);
        this.observer = observer;
    }

    // in.read, not super.read: one frame less on the stack of every reader parked in a read, which
    // a virtual thread keeps on the heap while it waits (a server with 10,000 clients, 10,000 stacks).
    @Override
    public int read() throws IOException {
        int b = in.read();
        observer.read(b < 0 ? 0 : 1);
        return b;
    }

    @Override
    public int read(byte[] bytes) throws IOException {
        return read(bytes, 0, bytes.length);
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
        int n = in.read(bytes, offset, length);
        observer.read(Math.max(0, n));
        return n;
    }
}
