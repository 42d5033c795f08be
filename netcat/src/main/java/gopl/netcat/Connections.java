package gopl.netcat;

import gopl.common.GoDuration;
import gopl.common.HostPort;
import gopl.common.ToolException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.function.Consumer;

/** Opening netcat's one connection, either way round, with errors worded for the user. */
final class Connections {
    private Connections() {}

    /**
     * Connects to {@code target}, trying each of its addresses in turn as Go's {@code net.Dial}
     * does ({@code localhost} may be ::1 and 127.0.0.1, and a server may listen on only one).
     *
     * @param sourcePort local port to connect from ({@code -p}), or null for any
     * @param timeout how long each attempt may take, or null for the system's limit
     * @throws ToolException {@code connect localhost:8000: Connection refused}
     */
    static Socket connect(HostPort target, Integer sourcePort, Duration timeout) {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(target.host());
        } catch (UnknownHostException e) {
            throw new ToolException("connect " + target + ": unknown host");
        }
        IOException first = null; // the preferred address's failure says the most, as in Go
        for (var address : addresses) {
            var socket = new Socket();
            try {
                if (sourcePort != null) {
                    socket.setReuseAddress(true);
                    socket.bind(new InetSocketAddress(sourcePort));
                }
                socket.connect(new InetSocketAddress(address, target.port()), millis(timeout));
                return socket;
            } catch (IOException e) {
                closeQuietly(socket);
                first = first == null ? e : first;
            }
        }
        throw new ToolException("connect " + target + ": " + describe(first, timeout));
    }

    /**
     * Listens on {@code where} and accepts one client, as {@code nc -l} does; the listening
     * socket closes at once, so a second client is refused rather than left waiting.
     *
     * @param port 0 picks a free port
     * @param listening told the address actually bound (port 0 picks a free one)
     * @param timeout how long to wait for the client, or null for ever
     */
    static Socket accept(String host, int port, Duration timeout, Consumer<String> listening) {
        var where = address(host, port);
        try (var listener = new ServerSocket()) {
            listener.setReuseAddress(true);
            listener.bind(new InetSocketAddress(InetAddress.getByName(host), port), 1);
            where = address(host, listener.getLocalPort());
            listening.accept(where);
            listener.setSoTimeout(millis(timeout));
            return listener.accept();
        } catch (UnknownHostException e) {
            throw new ToolException("cannot listen on " + where + ": unknown host");
        } catch (SocketTimeoutException e) {
            throw new ToolException("no connection on " + where + " within " + GoDuration.format(timeout));
        } catch (IOException e) {
            throw new ToolException("cannot listen on " + where + ": " + e.getMessage());
        }
    }

    /** {@code host:port}, with an IPv6 host in brackets. */
    static String address(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    private static String describe(IOException e, Duration timeout) {
        if (e instanceof SocketTimeoutException) {
            return "timed out after " + GoDuration.format(timeout);
        }
        return e.getMessage();
    }

    private static int millis(Duration timeout) {
        return timeout == null ? 0 : (int) Math.clamp(timeout.toMillis(), 1, Integer.MAX_VALUE);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Never connected: nothing to lose.
        }
    }
}
