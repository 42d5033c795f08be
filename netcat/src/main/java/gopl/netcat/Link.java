package gopl.netcat;

import java.io.Closeable;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.PortUnreachableException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * The connection a session copies over, whatever carries it: a TCP socket (plain or TLS), a Unix
 * domain socket, or a connected UDP socket, where each read is one datagram and each write sends one.
 */
interface Link extends Closeable {
    /** nc's buffer size: how much of stdin goes into one UDP datagram. */
    int DATAGRAM_SIZE = 16 * 1024;

    /** Reads what has arrived (one whole datagram over UDP), or -1 once the peer has closed its sending half. */
    int read(byte[] buffer) throws IOException;

    void write(byte[] buffer, int offset, int length) throws IOException;

    /** Stdin ended: close our sending half (Go's CloseWrite). UDP has no such thing. */
    void shutdownOutput() throws IOException;

    /** Completes a TLS handshake now, within the timeout (null: none), so that a failure is reported before any data moves. */
    default void handshake(Duration timeout) throws IOException {}

    /** The most stdin to send at once: datagrams carry what one read of stdin gave, as nc sends them. */
    default int chunkSize() {
        return 64 * 1024;
    }

    /** A TCP or TLS socket. */
    static Link of(Socket socket) throws IOException {
        var in = socket.getInputStream();
        var out = socket.getOutputStream();
        return new Link() {
            @Override
            public int read(byte[] buffer) throws IOException {
                return in.read(buffer);
            }

            @Override
            public void write(byte[] buffer, int offset, int length) throws IOException {
                out.write(buffer, offset, length);
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

    /** A Unix domain socket: java.net.Socket cannot carry one, a SocketChannel can. */
    static Link of(SocketChannel channel) {
        return new Link() {
            @Override
            public int read(byte[] buffer) throws IOException {
                return channel.read(ByteBuffer.wrap(buffer));
            }

            @Override
            public void write(byte[] buffer, int offset, int length) throws IOException {
                var chunk = ByteBuffer.wrap(buffer, offset, length);
                while (chunk.hasRemaining()) {
                    channel.write(chunk);
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

    /**
     * A connected UDP socket. {@code first} is a datagram already taken off the socket (the one a
     * listener learned its peer from), handed out by the first read; null for none. An ICMP "port
     * unreachable" ends the input as nc treats it: nobody is there to send anything.
     */
    static Link of(DatagramSocket socket, byte[] first) {
        return new Link() {
            private byte[] pending = first;

            @Override
            public int read(byte[] buffer) throws IOException {
                if (pending != null) {
                    int n = Math.min(pending.length, buffer.length);
                    System.arraycopy(pending, 0, buffer, 0, n);
                    pending = null;
                    return n;
                }
                var packet = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(packet);
                } catch (PortUnreachableException e) {
                    return -1;
                }
                return packet.getLength();
            }

            @Override
            public void write(byte[] buffer, int offset, int length) throws IOException {
                socket.send(new DatagramPacket(buffer, offset, length));
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
            public void close() {
                socket.close();
            }
        };
    }
}
