package gopl.common.http;

import gopl.common.GoDuration;
import gopl.common.Http;
import gopl.common.Proxies;
import gopl.common.Tls;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * The HTTP/1.1 client of the crawler, mirror and fetch: connections opened directly or through the
 * proxy {@link Proxies} names for the URL (absolute-form requests for http, a CONNECT tunnel for
 * https), over TLS for https (the certificate and host name checked), and kept alive for the next
 * request on the same route. {@link #close()} closes every one, idle or busy, which also wakes any
 * thread blocked reading from one; so does interrupting a virtual thread blocked on one.
 *
 * <pre>{@code
 * try (var connections = new Connections(Proxies.fromEnvironment())) {
 *     var route = connections.route(uri);
 *     var exchange = connections.exchange(route, RequestHead.of("GET", uri, route, fields), deadline);
 *     try (var body = exchange.connection().body(exchange.head(), true)) { ... }
 *     connections.release(exchange.connection()); // kept for the next request if the body was read whole
 * }
 * }</pre>
 */
public final class Connections implements AutoCloseable {
    /** How a request for a URL travels: the pool's key, and whether the request names the whole URL (to a proxy). */
    public record Route(String key, URI target, URI proxy, boolean absoluteForm) {}

    /** A response head, and the connection its body is to be read from (then released or discarded). */
    public record Exchange(HttpConnection connection, HttpConnection.Head head) {}

    private static final int MAX_IDLE_PER_ROUTE = 16;

    private final Supplier<SSLContext> context;
    private SSLSocketFactory tls; // made for the first https URL: loading the trusted certificates slowed every start
    private final Proxies proxies;
    private final Map<String, ArrayDeque<HttpConnection>> idle = new HashMap<>();
    private final Set<HttpConnection> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** With the JDK's trusted certificates, read at the first https connection (not before: that costs start-up time). */
    public Connections(Proxies proxies) {
        this(proxies, Connections::defaultContext);
    }

    /** With this TLS context, asked for at the first https connection. */
    public Connections(Proxies proxies, Supplier<SSLContext> tls) {
        this.context = tls;
        this.proxies = proxies;
    }

    private synchronized SSLSocketFactory tls() {
        if (tls == null) {
            tls = context.get().getSocketFactory();
        }
        return tls;
    }

    private static SSLContext defaultContext() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no TLS", e);
        }
    }

    public Route route(URI target) {
        var proxy = proxies.proxyFor(target);
        boolean https = target.getScheme().equals("https");
        var origin = target.getScheme() + "://" + target.getRawAuthority();
        if (proxy == null) {
            return new Route(origin, target, null, false);
        }
        var via = " via " + proxy.getHost() + ":" + port(proxy);
        return https ? new Route(origin + via, target, proxy, false) : new Route("http" + via, target, proxy, true);
    }

    /**
     * Sends a request head and reads the response head, on an idle connection of the route or a
     * new one. A kept-alive connection that fails (the server closed it while it was idle) is
     * replaced once by a new one; a connection that fails is closed.
     */
    public Exchange exchange(Route route, byte[] request, long deadline) throws IOException {
        for (int attempt = 0; ; attempt++) {
            var connection = open(route, deadline);
            try {
                return new Exchange(connection, connection.exchange(request, deadline));
            } catch (IOException e) {
                discard(connection);
                boolean stale = connection.reused() && !(e instanceof SocketTimeoutException) && !Thread.currentThread().isInterrupted();
                if (!stale || attempt > 0) {
                    throw e;
                }
            }
        }
    }

    /** An idle connection on the route, or a new one, opened before the deadline. */
    private HttpConnection open(Route route, long deadline) throws IOException {
        synchronized (idle) {
            var queue = idle.get(route.key());
            for (HttpConnection connection; queue != null && (connection = queue.pollLast()) != null; ) {
                if (connection.reusable()) {
                    return connection;
                }
                discard(connection);
            }
        }
        var connection = new HttpConnection(route.key(), connect(route, deadline));
        open.add(connection);
        if (closed) {
            discard(connection);
            throw new IOException("closed");
        }
        return connection;
    }

    /** Returns a connection after an exchange: kept for the next if its body was read whole, else closed. */
    public void release(HttpConnection connection) {
        if (!closed && connection.reusable()) {
            synchronized (idle) {
                var queue = idle.computeIfAbsent(connection.route, key -> new ArrayDeque<>());
                if (queue.size() < MAX_IDLE_PER_ROUTE) {
                    queue.addLast(connection);
                    return;
                }
            }
        }
        discard(connection);
    }

    /** Closes a connection whose body is not to be read to its end. */
    public void discard(HttpConnection connection) {
        open.remove(connection);
        connection.close();
    }

    @Override
    public void close() {
        closed = true;
        open.forEach(HttpConnection::close);
        open.clear();
        synchronized (idle) {
            idle.clear();
        }
    }

    private Socket connect(Route route, long deadline) throws IOException {
        var hop = route.proxy() != null ? route.proxy() : route.target();
        var socket = tcp(hostOf(hop), port(hop), deadline);
        try {
            if (route.proxy() != null && !route.absoluteForm()) {
                tunnel(socket, route, deadline);
            }
            return route.target().getScheme().equals("https") ? tls(socket, route.target(), deadline) : socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** A TCP connection to the first of the host's addresses that accepts one. */
    private static Socket tcp(String host, int port, long deadline) throws IOException {
        IOException last = null;
        for (var address : InetAddress.getAllByName(host)) {
            var socket = new Socket();
            try {
                socket.setTcpNoDelay(true);
                socket.connect(new InetSocketAddress(address, port), timeoutMillis(deadline));
                return socket;
            } catch (IOException e) {
                socket.close();
                last = e;
                if (e instanceof SocketTimeoutException) {
                    break;
                }
            }
        }
        throw last != null ? last : new ConnectException("no address for " + host);
    }

    /** {@code CONNECT host:port} through an HTTP proxy, for https. */
    private static void tunnel(Socket socket, Route route, long deadline) throws IOException {
        var authority = hostOf(route.target()) + ":" + port(route.target());
        var request = new StringBuilder("CONNECT ").append(authority).append(" HTTP/1.1\r\nHost: ").append(authority).append("\r\n");
        var credentials = Proxies.authorization(route.proxy());
        if (credentials != null) {
            request.append("Proxy-Authorization: ").append(credentials).append("\r\n");
        }
        var connection = new HttpConnection("tunnel", socket);
        var head = connection.exchange(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1), deadline);
        if (head.status() / 100 != 2) {
            throw new IOException("the proxy refused the tunnel: " + Http.statusText(head.status()));
        }
    }

    private Socket tls(Socket socket, URI target, long deadline) throws IOException {
        var host = hostOf(target);
        var ssl = (SSLSocket) tls().createSocket(socket, host, port(target), true);
        var parameters = ssl.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (!host.contains(":") && !Character.isDigit(host.charAt(host.length() - 1))) {
            parameters.setServerNames(List.of(new SNIHostName(host)));
        }
        parameters.setApplicationProtocols(new String[] {"http/1.1"});
        ssl.setSSLParameters(parameters);
        ssl.setSoTimeout(timeoutMillis(deadline));
        ssl.startHandshake();
        return ssl;
    }

    private static int timeoutMillis(long deadline) throws SocketTimeoutException {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        return (int) Math.min(Integer.MAX_VALUE, left);
    }

    /** One line for the user: what went wrong, without the exception class when that says it. */
    public static String describe(Throwable e, Duration timeout) {
        return switch (e) {
            case SocketTimeoutException t -> "timed out after " + GoDuration.format(timeout);
            case UnknownHostException u -> "unknown host";
            case ConnectException c -> "connection refused";
            case SSLException s -> "TLS: " + Tls.describe(s);
            case EOFException eof -> eof.getMessage();
            case IOException io when io.getMessage() != null && !io.getMessage().isBlank() -> io.getMessage();
            default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
        };
    }

    /** The host of a URL as a socket takes it: an IPv6 literal without its brackets. */
    private static String hostOf(URI uri) {
        var host = uri.getHost();
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}
