package gopl.netcat;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import gopl.common.HostPort;
import gopl.common.ToolException;
import java.io.Closeable;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** Listening as {@code nc -l} does, over TCP, UDP or a Unix domain socket. */
abstract sealed class Listener implements Closeable {
    /** A client that connected: its link (TLS not yet negotiated), its name for messages, and nc's -v line. */
    record Client(Link link, String name, String received) {
        static Client of(Link link, InetAddress address, int port, boolean numeric) {
            return new Client(link, HostPort.format(Report.literal(address), port),
                    Report.on("Connection received", address, port, numeric));
        }
    }

    /** Makes the link of an accepted connection: plain, or TLS over its socket. */
    @FunctionalInterface
    interface Wrap {
        Link link(SocketChannel accepted) throws IOException;
    }

    /** Where it listens, for messages: {@code localhost:8000}, or the socket's path. */
    abstract String where();

    /** nc's -v lines once listening: {@code Listening on localhost 8000}. */
    abstract List<String> announce() throws IOException;

    /** Waits for the next client; null timeout waits for ever, else SocketTimeoutException. */
    abstract Client accept(Duration timeout) throws IOException;

    /** Listens on {@code host} (its address already looked up, as {@code address}). */
    static Listener tcp(String host, InetAddress address, int port, int backlog, boolean numeric, Wrap wrap) {
        var where = HostPort.format(host, port);
        try {
            var channel = ServerSocketChannel.open(address instanceof Inet6Address
                    ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
            try {
                var socket = channel.socket(); // the adaptor has the accept timeout a channel lacks
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(address, port), backlog);
                return new Tcp(host, socket, numeric, wrap);
            } catch (IOException e) {
                channel.close();
                throw e;
            }
        } catch (IOException e) {
            throw new ToolException("cannot listen on " + where + ": " + Report.describe(e));
        }
    }

    static Listener udp(String host, InetAddress address, int port, boolean numeric) {
        try {
            var channel = DatagramChannel.open(address instanceof Inet6Address
                    ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
            try {
                channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                channel.setOption(StandardSocketOptions.SO_RCVBUF, Link.DATAGRAM_BACKLOG);
                channel.bind(new InetSocketAddress(address, port));
                return new Udp(host, channel, numeric);
            } catch (IOException e) {
                channel.close();
                throw e;
            }
        } catch (IOException e) {
            throw new ToolException("cannot listen on " + HostPort.format(host, port) + " (udp): "
                    + Report.describe(e));
        }
    }

    /**
     * Listens on a Unix socket path. A stale socket file left by a program that died is replaced,
     * as nc does; unlike nc, a live one or a file that is not a socket is left alone.
     */
    static Listener unix(Path path, int backlog) {
        try {
            clearStaleSocket(path);
            var channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                channel.bind(UnixDomainSocketAddress.of(path), backlog);
                return new Unix(channel, path);
            } catch (IOException e) {
                channel.close();
                throw e;
            }
        } catch (IOException e) {
            throw new ToolException("cannot listen on " + path + ": " + Report.describe(e));
        }
    }

    private static void clearStaleSocket(Path path) throws IOException {
        if (!Files.exists(path, NOFOLLOW_LINKS)) {
            return;
        }
        if (!isSocket(path)) {
            throw new IOException("File exists and is not a socket (netcat replaces only a stale socket)");
        }
        try (var probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(path));
        } catch (IOException nobodyListens) {
            Files.delete(path);
            return;
        }
        throw new IOException("Address already in use (another program listens there)");
    }

    private static boolean isSocket(Path path) throws IOException {
        int mode = (Integer) Files.getAttribute(path, "unix:mode", NOFOLLOW_LINKS);
        return (mode & 0170000) == 0140000; // S_IFSOCK
    }

    private static final class Tcp extends Listener {
        private final String host;
        private final ServerSocket socket;
        private final boolean numeric;
        private final Wrap wrap;

        Tcp(String host, ServerSocket socket, boolean numeric, Wrap wrap) {
            this.host = host;
            this.socket = socket;
            this.numeric = numeric;
            this.wrap = wrap;
        }

        @Override
        String where() {
            return HostPort.format(host, socket.getLocalPort());
        }

        @Override
        List<String> announce() {
            return List.of(Report.on("Listening", socket.getInetAddress(), socket.getLocalPort(), numeric));
        }

        @Override
        Client accept(Duration timeout) throws IOException {
            socket.setSoTimeout(Dialer.millis(timeout));
            var client = socket.accept();
            return Client.of(wrap.link(client.getChannel()), client.getInetAddress(), client.getPort(), numeric);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** nc -u -l: the first datagram's sender becomes the peer, and the channel connects to it. */
    private static final class Udp extends Listener {
        private final String host;
        private final DatagramChannel channel;
        private final boolean numeric;

        Udp(String host, DatagramChannel channel, boolean numeric) {
            this.host = host;
            this.channel = channel;
            this.numeric = numeric;
        }

        private InetSocketAddress local() throws IOException {
            return (InetSocketAddress) channel.getLocalAddress();
        }

        @Override
        String where() {
            return HostPort.format(host, channel.socket().getLocalPort()) + " (udp)";
        }

        @Override
        List<String> announce() throws IOException {
            return List.of(Report.on("Bound", local().getAddress(), local().getPort(), numeric));
        }

        @Override
        Client accept(Duration timeout) throws IOException {
            var buffer = new byte[65_536]; // the largest datagram
            var packet = new DatagramPacket(buffer, buffer.length);
            var socket = channel.socket(); // the adaptor has the receive timeout a channel lacks
            socket.setSoTimeout(Dialer.millis(timeout));
            socket.receive(packet);
            channel.connect(packet.getSocketAddress());
            var first = ByteBuffer.wrap(Arrays.copyOf(buffer, packet.getLength()));
            return Client.of(Link.of(channel, first), packet.getAddress(), packet.getPort(), numeric);
        }

        /** nc -u -l -k: datagrams from anyone, to stdout; there is nobody to answer. */
        @Override
        Link everyone() {
            return Link.of(channel, null);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    private static final class Unix extends Listener {
        private final ServerSocketChannel channel;
        private final Path path;

        Unix(ServerSocketChannel channel, Path path) {
            this.channel = channel;
            this.path = path;
        }

        @Override
        String where() {
            return path.toString();
        }

        @Override
        List<String> announce() {
            return List.of("Bound on " + path, "Listening on " + path);
        }

        @Override
        Client accept(Duration timeout) throws IOException {
            if (timeout != null) {
                awaitClient(timeout);
            }
            var client = channel.accept();
            return new Client(Link.of(client), path.toString(), "Connection received on " + path);
        }

        /** A server channel has no accept timeout: wait on a selector instead. */
        private void awaitClient(Duration timeout) throws IOException {
            try (var selector = Selector.open()) {
                channel.configureBlocking(false);
                channel.register(selector, SelectionKey.OP_ACCEPT);
                int ready = selector.select(Math.max(1, timeout.toMillis()));
                selector.keys().forEach(SelectionKey::cancel);
                selector.selectNow();
                channel.configureBlocking(true);
                if (ready == 0) {
                    throw new SocketTimeoutException("Accept timed out");
                }
            }
        }

        /** Closes, and removes the socket file this listener made: nc leaves it behind. */
        @Override
        public void close() throws IOException {
            channel.close();
            if (Files.exists(path, NOFOLLOW_LINKS) && isSocket(path)) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** The UDP listener's every-sender link, for -u -l -k; null for other listeners. */
    Link everyone() {
        return null;
    }
}
