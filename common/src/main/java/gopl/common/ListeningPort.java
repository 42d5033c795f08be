package gopl.common;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;

/** One of a TcpServer's listening sockets: {@code host:port} as asked for, and the TLS it speaks (null: plain text). */
record ListeningPort(ServerSocket listener, String address, TlsHandshake tls) {
    /**
     * Binds {@code host:port} (port 0 picks a free one), accepting MeteredSockets that count into
     * {@code counters}.
     *
     * @throws ToolException {@code cannot listen on localhost:8010: Address already in use}
     */
    static ListeningPort bind(String host, int port, int backlog, MeteredSocket.Counters counters, TlsHandshake tls) {
        var where = TcpServer.hostPort(host, port);
        try {
            var listener = MeteredSocket.listener(counters);
            try {
                listener.setReuseAddress(true);
                listener.bind(new InetSocketAddress(InetAddress.getByName(host), port), backlog);
            } catch (IOException | RuntimeException e) {
                listener.close();
                throw e;
            }
            return new ListeningPort(listener, where, tls);
        } catch (UnknownHostException e) {
            throw new ToolException("cannot listen on " + where + ": unknown host");
        } catch (BindException e) {
            throw new ToolException("cannot listen on " + where + ": " + e.getMessage());
        } catch (IOException | IllegalArgumentException | SecurityException e) {
            throw new ToolException("cannot listen on " + where + ": " + Cli.describe(e));
        }
    }

    int number() {
        return listener.getLocalPort();
    }

    /** {@code host:port} as the user asked for it, with the real port. */
    String bound() {
        return address.substring(0, address.lastIndexOf(':') + 1) + number();
    }
}
