package gopl.netcat;

import gopl.common.GoDuration;
import gopl.common.HostPort;
import gopl.common.ToolException;
import java.io.Closeable;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Connecting as nc does: a name's addresses tried in turn (Go's {@code net.Dial} does the same),
 * limited to one family by {@code -4}/{@code -6}, no name lookups with {@code -n}, from a chosen
 * source address and port ({@code -s}, {@code -p}), giving up after {@code -w}.
 */
final class Dialer {
    /** Which addresses a name may stand for. */
    enum Family {
        ANY, IPV4, IPV6;

        boolean admits(InetAddress address) {
            return this == ANY || (this == IPV4) == (address instanceof Inet4Address);
        }
    }

    /**
     * @param sourceHost local address to connect from ({@code -s}), or null for any
     * @param sourcePort local port to connect from ({@code -p}), or null for any
     * @param timeout how long each attempt may take ({@code -w}), or null for the system's limit
     */
    record Options(Family family, boolean numeric, String sourceHost, Integer sourcePort, Duration timeout) {}

    private final Options options;

    Dialer(Options options) {
        this.options = options;
    }

    /**
     * The addresses a host stands for, in the resolver's order, within the family asked for.
     *
     * @param context what the message starts with: {@code connect localhost:80}, or just the host
     * @throws ToolException {@code connect HOST:80: unknown host}, {@code HOST: no IPv6 address (-6)}
     */
    List<InetAddress> resolve(String host, String context) {
        InetAddress[] all;
        if (options.numeric()) {
            try {
                all = new InetAddress[] {InetAddress.ofLiteral(host)};
            } catch (IllegalArgumentException e) {
                throw new ToolException(context + ": not a numeric address, and -n turns name lookups off");
            }
        } else {
            try {
                all = InetAddress.getAllByName(host);
            } catch (UnknownHostException e) {
                throw new ToolException(context + ": unknown host");
            }
        }
        var admitted = Arrays.stream(all).filter(options.family()::admits).toList();
        if (admitted.isEmpty()) {
            boolean v4 = options.family() == Family.IPV4;
            throw new ToolException(context + ": no " + (v4 ? "IPv4" : "IPv6") + " address"
                    + (context.equals(host) ? "" : " for " + host) + (v4 ? " (-4)" : " (-6)"));
        }
        return admitted;
    }

    /**
     * Connects over TCP to the first address that answers, telling {@code failed} about each
     * that did not; null when none did. A channel, for copies through direct buffers; its
     * {@code socket()} carries TLS when asked.
     */
    SocketChannel tcp(List<InetAddress> addresses, int port, BiConsumer<InetAddress, IOException> failed) {
        for (var address : addresses) {
            SocketChannel channel = null;
            try {
                channel = SocketChannel.open(address instanceof Inet6Address
                        ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
                var socket = channel.socket(); // the adaptor has the connect timeout a channel lacks
                bindSource(socket, address);
                socket.connect(new InetSocketAddress(address, port), millis(options.timeout()));
                return channel;
            } catch (IOException e) {
                closeQuietly(channel);
                failed.accept(address, e);
            }
        }
        return null;
    }

    /** Connects over TCP or fails with one line: {@code connect localhost:8000: Connection refused}. */
    SocketChannel tcp(String host, int port) {
        var first = new IOException[1]; // the preferred address's failure says the most, as in Go
        var where = "connect " + HostPort.format(host, port);
        var channel = tcp(resolve(host, where), port, (address, e) -> first[0] = first[0] == null ? e : first[0]);
        if (channel == null) {
            throw new ToolException(where + ": " + reason(first[0]));
        }
        return channel;
    }

    /** A UDP channel connected to the host's first address: UDP sends no packet to connect. */
    DatagramChannel udp(List<InetAddress> addresses, int port) {
        var address = addresses.getFirst();
        DatagramChannel channel = null;
        try {
            channel = DatagramChannel.open(address instanceof Inet6Address
                    ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
            channel.setOption(StandardSocketOptions.SO_RCVBUF, Link.DATAGRAM_BACKLOG);
            if (options.sourceHost() != null || options.sourcePort() != null) {
                channel.bind(source(address));
            }
            channel.connect(new InetSocketAddress(address, port));
            return channel;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new ToolException("connect " + HostPort.format(Report.literal(address), port) + " (udp): "
                    + Report.describe(e));
        }
    }

    /** Connects to a Unix domain socket; fails with nc's line, {@code PATH: No such file or directory}. */
    static SocketChannel unix(Path path) {
        try {
            var channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                channel.connect(UnixDomainSocketAddress.of(path));
                return channel;
            } catch (IOException e) {
                channel.close();
                throw e;
            }
        } catch (IOException e) {
            throw new ToolException(path + ": " + Report.describe(e));
        }
    }

    private void bindSource(Socket socket, InetAddress target) throws IOException {
        if (options.sourceHost() != null || options.sourcePort() != null) {
            socket.setReuseAddress(true);
            socket.bind(source(target));
        }
    }

    /** {@code -s} and {@code -p}: the local end, in the target's family. */
    private InetSocketAddress source(InetAddress target) {
        int port = options.sourcePort() == null ? 0 : options.sourcePort();
        boolean v6 = target instanceof Inet6Address;
        if (options.sourceHost() == null) {
            return new InetSocketAddress(InetAddress.ofLiteral(v6 ? "::" : "0.0.0.0"), port);
        }
        var family = v6 ? Family.IPV6 : Family.IPV4;
        var local = new Dialer(new Options(family, options.numeric(), null, null, null))
                .resolve(options.sourceHost(), "source address " + options.sourceHost());
        return new InetSocketAddress(local.getFirst(), port);
    }

    private String reason(IOException e) {
        if (e instanceof SocketTimeoutException) {
            return "timed out after " + GoDuration.format(options.timeout());
        }
        return Report.describe(e);
    }

    static int millis(Duration timeout) {
        return timeout == null ? 0 : (int) Math.clamp(timeout.toMillis(), 1, Integer.MAX_VALUE);
    }

    private static void closeQuietly(Closeable channel) {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // Never connected: nothing to lose.
        }
    }
}
