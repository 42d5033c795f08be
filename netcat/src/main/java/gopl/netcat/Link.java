package gopl.netcat;

import java.io.Closeable;
import java.io.IOException;
import java.net.PortUnreachableException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * The connection a session copies over, whatever carries it: a TCP or Unix domain socket channel,
 * a TLS socket, or a connected UDP channel, where each read is one datagram and each write sends
 * one. Channels read into and write from direct buffers with no copy on the Java side, which is
 * what keeps a bulk copy level with nc's.
 */
interface Link extends Closeable {
    /** nc's buffer size: how much of stdin goes into one UDP datagram. */
    int DATAGRAM_SIZE = 16 * 1024;

    /**
     * A UDP socket's receive buffer: datagrams that arrive while the reader is busy wait here
     * instead of being dropped. The kernel caps it at net.core.rmem_max.
     */
    int DATAGRAM_BACKLOG = 4 << 20;

    /** Reads what has arrived (one whole datagram over UDP), or -1 once the peer has closed its sending half. */
    int read(ByteBuffer buffer) throws IOException;

    /** Writes everything remaining in the buffer (over UDP, as one datagram). */
    void write(ByteBuffer buffer) throws IOException;

    /** Stdin ended: close our sending half (Go's CloseWrite). UDP has no such thing. */
    void shutdownOutput() throws IOException;

    /** Completes a TLS handshake now, within the timeout (null: none), so that a failure is reported before any data moves. */
    default void handshake(Duration timeout) throws IOException {}

    /** The most stdin to send at once: datagrams carry what one read of stdin gave, as nc sends them. */
    default int chunkSize() {
        return 64 * 1024;
    }

    /** A TCP or Unix domain socket. */
    static Link of(SocketChannel channel) {
        return new Link() {
            @Override
            public int read(ByteBuffer buffer) throws IOException {
                return channel.read(buffer);
            }

            @Override
            public void write(ByteBuffer buffer) throws IOException {
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }

            @Override
            public void shutdownOutput() throws IOException {
                channel.shutdownOutput();
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }

    /** A TLS socket, which has streams rather than a channel. */
    static Link of(Socket socket) throws IOException {
        var in = socket.getInputStream();
        var out = socket.getOutputStream();
        return new Link() {
            private final byte[] inBytes = new byte[64 * 1024];
            private final byte[] outBytes = new byte[64 * 1024];

            @Override
            public int read(ByteBuffer buffer) throws IOException {
                int n = in.read(inBytes, 0, Math.min(inBytes.length, buffer.remaining()));
                if (n > 0) {
                    buffer.put(inBytes, 0, n);
                }
                return n;
            }

            @Override
            public void write(ByteBuffer buffer) throws IOException {
                while (buffer.hasRemaining()) {
                    int n = Math.min(outBytes.length, buffer.remaining());
                    buffer.get(outBytes, 0, n);
                    out.write(outBytes, 0, n);
                }
            }

            @Override
            public void shutdownOutput() throws IOException {
                socket.shutdownOutput(); // over TLS 1.3 a close_notify, after which the peer may still send
            }

            @Override
            public void handshake(Duration timeout) throws IOException {
                SslOptions.handshake(socket, timeout);
            }

            @Override
            public void close() throws IOException {
                socket.close();
            }
        };
    }

    /**
     * A connected UDP channel. {@code first} is a datagram already taken off it (the one a
     * listener learned its peer from), handed out by the first read; null for none. An ICMP "port
     * unreachable" ends the input as nc treats it: nobody is there to send anything.
     */
    static Link of(DatagramChannel channel, ByteBuffer first) {
        return new Link() {
            private ByteBuffer pending = first;

            @Override
            public int read(ByteBuffer buffer) throws IOException {
                if (pending != null) {
                    int n = pending.remaining();
                    buffer.put(pending);
                    pending = null;
                    return n;
                }
                int before = buffer.position();
                try {
                    if (channel.isConnected()) {
                        channel.read(buffer);
                    } else {
                        channel.receive(buffer); // -u -l -k: from anyone
                    }
                } catch (PortUnreachableException e) {
                    return -1;
                }
                return buffer.position() - before;
            }

            @Override
            public void write(ByteBuffer buffer) throws IOException {
                channel.write(buffer);
            }

            @Override
            public void shutdownOutput() {
                // A datagram socket has no sending half to close.
            }

            @Override
            public int chunkSize() {
                return DATAGRAM_SIZE;
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }
}
