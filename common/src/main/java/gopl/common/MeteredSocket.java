package gopl.common;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import jdk.net.ExtendedSocketOptions;

/**
 * An accepted connection that counts its bytes for the server's stats and knows how long its
 * current write has been stuck, so that a client that stops reading can be dropped (Java's
 * sockets have a read timeout, {@code setSoTimeout}, but no write timeout).
 */
final class MeteredSocket extends Socket {
    /** Writes are made in pieces of this size, so a long write to a slow reader shows progress. */
    private static final int PIECE = 64 * 1024;
    static final int KEEPALIVE_IDLE = 60;
    static final int KEEPALIVE_INTERVAL = 10;
    static final int KEEPALIVE_PROBES = 6;

    private final Counters counters;
    private final long openedAt = System.nanoTime();
    private final LongAdder received = new LongAdder();
    private final LongAdder sent = new LongAdder();
    private volatile long writingSince; // System.nanoTime() when the pending piece began; 0: none
    private final AtomicBoolean dropped = new AtomicBoolean();
    private InputStream input;
    private OutputStream output;

    /** The server's totals, shared by its connections. */
    static final class Counters {
        final LongAdder bytesIn = new LongAdder();
        final LongAdder bytesOut = new LongAdder();
    }

    private MeteredSocket(Counters counters) {
        this.counters = counters;
    }

    /** A listening socket whose {@code accept()} returns MeteredSockets. */
    static ServerSocket listener(Counters counters) throws IOException {
        return new ServerSocket() {
            @Override
            public Socket accept() throws IOException {
                var socket = new MeteredSocket(counters);
                implAccept(socket);
                socket.keepAlive();
                return socket;
            }
        };
    }

    /**
     * TCP keepalive, probing after a minute of silence and giving up after 6 unanswered probes 10 s
     * apart: a peer that vanished without a word (power cut, cable pulled) is found within about 2
     * minutes even by a server without an idle timeout, instead of holding its connection for ever.
     */
    private void keepAlive() {
        try {
            setKeepAlive(true);
            if (supportedOptions().contains(ExtendedSocketOptions.TCP_KEEPIDLE)) {
                setOption(ExtendedSocketOptions.TCP_KEEPIDLE, KEEPALIVE_IDLE);
                setOption(ExtendedSocketOptions.TCP_KEEPINTERVAL, KEEPALIVE_INTERVAL);
                setOption(ExtendedSocketOptions.TCP_KEEPCOUNT, KEEPALIVE_PROBES);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // Best effort: the connection works without it (and fails at once if already reset).
        }
    }

    @Override
    public synchronized InputStream getInputStream() throws IOException {
        if (input == null) {
            input = new ObservedInputStream(super.getInputStream(), n -> {
                received.add(n);
                counters.bytesIn.add(n);
            });
        }
        return input;
    }

    @Override
    public synchronized OutputStream getOutputStream() throws IOException {
        if (output == null) {
            output = new Watched(super.getOutputStream());
        }
        return output;
    }

    /** How long the write in progress has made no progress, in nanoseconds; 0 if none is. */
    long stuckFor(long now) {
        long since = writingSince;
        return since == 0 ? 0 : now - since;
    }

    /** Closes the connection because its write is stuck; true only the first time. */
    boolean drop() {
        if (!dropped.compareAndSet(false, true)) {
            return false;
        }
        try {
            close(); // the stuck write fails with "Socket closed"
        } catch (IOException ignored) {
            // Closed is what we wanted.
        }
        return true;
    }

    /** {@code 127.0.0.1:52582}, for the log. */
    String peer() {
        return TcpServer.hostPort(getInetAddress().getHostAddress(), getPort());
    }

    long bytesIn() {
        return received.sum();
    }

    long bytesOut() {
        return sent.sum();
    }

    long openedAt() {
        return openedAt;
    }

    private final class Watched extends FilterOutputStream {
        Watched(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            do {
                int n = Math.min(len, PIECE);
                writingSince = Math.max(System.nanoTime(), 1);
                try {
                    out.write(b, off, n);
                } finally {
                    writingSince = 0;
                }
                sent.add(n);
                counters.bytesOut.add(n);
                off += n;
                len -= n;
            } while (len > 0);
        }
    }
}
