package gopl.common;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accept loop of the book's servers: {@code for { conn := l.Accept(); go handleConn(conn) }},
 * with a virtual thread per connection, and what the book leaves out: a graceful shutdown (stop
 * accepting, close every open connection, wait briefly for the handlers to finish), caps on
 * connections in all and per client address, a write timeout, counters for a stats line, and
 * TLS: on the port, or on a second port beside a plain one, each connection handed to the
 * handler once its handshake is done ({@link TlsHandshake}).
 */
public final class TcpServer implements AutoCloseable {
    /** Handles one connection; the server closes the socket when this returns or throws. */
    @FunctionalInterface
    public interface Handler {
        void handle(Socket socket) throws Exception;
    }

    private static final Logger log = LoggerFactory.getLogger(TcpServer.class);
    private static final Duration GRACE = Duration.ofSeconds(2);

    private final List<ListeningPort> ports = new CopyOnWriteArrayList<>(); // the first is the one listen() bound
    private final MeteredSocket.Counters counters;
    private final Set<MeteredSocket> connections = ConcurrentHashMap.newKeySet();
    private final Set<Thread> handlers = ConcurrentHashMap.newKeySet();
    private final List<Thread> watchers = new CopyOnWriteArrayList<>();
    private final Admission admission = new Admission(log);
    private final LogThrottle acceptFailures = new LogThrottle(Duration.ofMinutes(1), "failed");
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();
    private volatile Duration writeTimeout = Duration.ZERO;
    private volatile Duration statsEvery = Duration.ZERO;
    private volatile Supplier<ServerStats> statsSource = this::stats;
    private volatile Consumer<Throwable> onError = TcpServer::logFailure;
    private volatile Duration handshakeTimeout = TlsHandshake.TIMEOUT;
    private volatile boolean closed;

    private TcpServer(MeteredSocket.Counters counters) {
        this.counters = counters;
    }

    /**
     * Binds {@code host:port} (port 0 picks a free one). A backlog large enough for a burst of
     * clients connecting at once: the kernel caps it at net.core.somaxconn.
     *
     * @throws ToolException {@code cannot listen on localhost:8010: Address already in use}
     */
    public static TcpServer listen(String host, int port, int backlog) {
        var server = new TcpServer(new MeteredSocket.Counters());
        server.ports.add(ListeningPort.bind(host, port, backlog, server.counters, null));
        return server;
    }

    public static TcpServer listen(String host, int port) {
        return listen(host, port, 1024);
    }

    /**
     * Makes the port {@link #listen} bound speak TLS only: the handler gets each connection once
     * its handshake is done. Set before {@link #serve}.
     */
    public TcpServer tls(SSLContext context) {
        var plain = ports.getFirst();
        ports.set(0, new ListeningPort(plain.listener(), plain.address(), handshake(context)));
        return this;
    }

    /**
     * Listens on a second port, beside the first, that speaks TLS only; the connections share the
     * caps, counters and handler. Call before {@link #serve}.
     *
     * @throws ToolException if it cannot listen there
     */
    public TcpServer listenTls(String host, int port, SSLContext context) {
        ports.add(ListeningPort.bind(host, port, 1024, counters, handshake(context)));
        return this;
    }

    /** How long a TLS client has for its handshake (default 30 s); set before {@link #tls} or {@link #listenTls}. */
    public TcpServer handshakeTimeout(Duration timeout) {
        this.handshakeTimeout = timeout;
        return this;
    }

    private TlsHandshake handshake(SSLContext context) {
        return new TlsHandshake(context, handshakeTimeout, log);
    }

    static String hostPort(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** The port actually bound, useful after listening on port 0. */
    public int port() {
        return ports.getFirst().number();
    }

    /** {@code host:port} as the user asked for it, with the real port. */
    public String address() {
        return ports.getFirst().bound();
    }

    /** Whether the first port speaks TLS ({@link #tls}). */
    public boolean isTls() {
        return ports.getFirst().tls() != null;
    }

    /** The second port's {@code host:port}, as {@link #address()}; null if there is none. */
    public String secondAddress() {
        return ports.size() > 1 ? ports.get(1).bound() : null;
    }

    /** The port of {@link #secondAddress()}; -1 if there is none. */
    public int secondPort() {
        return ports.size() > 1 ? ports.get(1).number() : -1;
    }

    /** Where errors a handler throws go; by default the log. Vanished clients are not errors. */
    public TcpServer onError(Consumer<Throwable> onError) {
        this.onError = onError;
        return this;
    }

    /**
     * Caps the connections open at once, in all and from one client address (IPv6: one /64); 0
     * for no cap. A client over a cap is sent one line saying so and closed, and the log gets one
     * line for a whole run of refusals, not one per attempt.
     */
    public TcpServer limit(int maxConnections, int maxPerAddress) {
        admission.limit(maxConnections, maxPerAddress);
        return this;
    }

    /** How a refusal reads on the wire, given its sentence; by default the sentence and {@code \n}. */
    public TcpServer refuseWith(UnaryOperator<String> line) {
        admission.refuseWith(line);
        return this;
    }

    /**
     * Drops a connection whose write has made no progress for this long: a client that stops
     * reading cannot hold a thread and a socket for ever. Zero (the default) for never. Set
     * before {@link #serve}.
     */
    public TcpServer writeTimeout(Duration timeout) {
        this.writeTimeout = timeout;
        return this;
    }

    /** Logs a line of {@link #stats()} at this interval, aligned to the clock; zero for never. Set before {@link #serve}. */
    public TcpServer logStats(Duration every) {
        return logStats(every, this::stats);
    }

    /**
     * Logs a line of the counters {@code source} gives at this interval, for a server that counts
     * more than its connections do (ftp adds its data connections); zero for never. Set before
     * {@link #serve}.
     */
    public TcpServer logStats(Duration every, Supplier<ServerStats> source) {
        this.statsEvery = every;
        this.statsSource = source;
        return this;
    }

    /** Accepts until {@link #close()}, each connection handled on its own virtual thread. */
    public void serve(Handler handler) {
        startWatchers();
        for (var port : ports.subList(1, ports.size())) {
            watchers.add(Thread.ofVirtual().name("accept " + port.bound()).start(() -> accept(port, handler)));
        }
        accept(ports.getFirst(), handler);
    }

    private void accept(ListeningPort port, Handler handler) {
        var listener = port.listener();
        while (!listener.isClosed()) {
            MeteredSocket socket;
            try {
                socket = (MeteredSocket) listener.accept();
            } catch (IOException e) {
                if (listener.isClosed()) {
                    break;
                }
                // e.g. too many open files: keep serving the connections we have
                errors.incrementAndGet();
                acceptFailures.event(Cli.describe(e), (why, more) -> log.warn("cannot accept a connection: {} {}", why, more));
                pause();
                continue;
            }
            if (!admission.admit(socket)) {
                continue;
            }
            connections.add(socket);
            long n = accepted.incrementAndGet();
            log.debug("{} connected ({} open)", socket.peer(), connections.size());
            Thread.ofVirtual().name("conn-" + n).start(() -> run(handler, socket, port.tls()));
        }
    }

    private void run(Handler handler, MeteredSocket socket, TlsHandshake tls) {
        handlers.add(Thread.currentThread());
        try (socket) {
            if (tls == null) {
                handler.handle(socket);
            } else {
                tls.serve(socket, admission::line, handler);
            }
        } catch (IOException e) {
            // The client went away or timed out: nothing to report for the others.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            errors.incrementAndGet();
            onError.accept(e);
        } finally {
            connections.remove(socket);
            admission.release(socket.getInetAddress());
            handlers.remove(Thread.currentThread());
            log.debug("{} closed after {}: {} bytes in, {} out", socket.peer(),
                    GoDuration.format(Duration.ofMillis((System.nanoTime() - socket.openedAt()) / 1_000_000)),
                    socket.bytesIn(), socket.bytesOut());
        }
    }

    private static void logFailure(Throwable e) {
        log.error("a connection failed: {}", Cli.describe(e));
        log.debug("where it failed", e);
    }

    /** Connections open now. */
    public int connectionCount() {
        return connections.size();
    }

    /** Connections accepted since start. */
    public long acceptedCount() {
        return accepted.get();
    }

    /** The counters now. */
    public ServerStats stats() {
        return new ServerStats(connections.size(), accepted.get(), admission.refused(), counters.bytesIn.sum(),
                counters.bytesOut.sum(), errors.get(), timedOut.get());
    }

    private void startWatchers() {
        if (!writeTimeout.isZero()) {
            watchers.add(Thread.ofVirtual().name("write-timeout").start(this::dropStuckWriters));
        }
        if (!statsEvery.isZero()) {
            watchers.add(Thread.ofVirtual().name("stats").start(() -> ServerStats.logEvery(statsEvery, statsSource, log)));
        }
    }

    /** Go's SetWriteDeadline, checked for every connection a few times per timeout. */
    private void dropStuckWriters() {
        long limit = writeTimeout.toNanos();
        var every = Duration.ofNanos(Math.clamp(limit / 4, 10_000_000L, 1_000_000_000L));
        try {
            while (!closed) {
                Thread.sleep(every);
                long now = System.nanoTime();
                for (var socket : connections) {
                    if (socket.stuckFor(now) > limit && socket.drop()) {
                        timedOut.incrementAndGet();
                        log.info("{} dropped: it took nothing sent to it for {}", socket.peer(), GoDuration.format(writeTimeout));
                    }
                }
            }
        } catch (InterruptedException e) {
            // The server is closing.
        }
    }

    /**
     * Closes this server when the JVM is asked to stop (SIGINT, SIGTERM), first running
     * {@code beforeClose} (a chat server tells its clients goodbye there).
     */
    public TcpServer closeOnShutdown(Runnable beforeClose) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                beforeClose.run();
            } finally {
                close();
            }
        }, "shutdown"));
        return this;
    }

    /** Stops accepting, closes every connection and waits a moment for the handlers to end. */
    @Override
    public void close() {
        closed = true;
        for (var port : ports) {
            try {
                port.listener().close();
            } catch (IOException ignored) {
                // Closing is all we wanted.
            }
        }
        watchers.forEach(Thread::interrupt);
        for (var socket : connections) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // Already gone.
            }
        }
        long deadline = System.nanoTime() + GRACE.toNanos();
        for (var thread : handlers) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                thread.join(Duration.ofNanos(left));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
