package gopl.common;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accept loop of the book's servers: {@code for { conn := l.Accept(); go handleConn(conn) }},
 * with a virtual thread per connection, and what the book leaves out: a graceful shutdown (stop
 * accepting, close every open connection, wait briefly for the handlers to finish), caps on
 * connections in all and per client address, a write timeout, and counters for a stats line.
 */
public final class TcpServer implements AutoCloseable {
    /** Handles one connection; the server closes the socket when this returns or throws. */
    @FunctionalInterface
    public interface Handler {
        void handle(Socket socket) throws Exception;
    }

    private static final Logger log = LoggerFactory.getLogger(TcpServer.class);
    private static final Duration GRACE = Duration.ofSeconds(2);

    private final ServerSocket listener;
    private final String address;
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

    private TcpServer(ServerSocket listener, String address, MeteredSocket.Counters counters) {
        this.listener = listener;
        this.address = address;
        this.counters = counters;
    }

    /**
     * Binds {@code host:port} (port 0 picks a free one). A backlog large enough for a burst of
     * clients connecting at once: the kernel caps it at net.core.somaxconn.
     *
     * @throws ToolException {@code cannot listen on localhost:8010: Address already in use}
     */
    public static TcpServer listen(String host, int port, int backlog) {
        var where = hostPort(host, port);
        try {
            var counters = new MeteredSocket.Counters();
            var listener = MeteredSocket.listener(counters);
            try {
                listener.setReuseAddress(true);
                listener.bind(new InetSocketAddress(InetAddress.getByName(host), port), backlog);
            } catch (IOException | RuntimeException e) {
                listener.close();
                throw e;
            }
            return new TcpServer(listener, where, counters);
        } catch (UnknownHostException e) {
            throw new ToolException("cannot listen on " + where + ": unknown host");
        } catch (BindException e) {
            throw new ToolException("cannot listen on " + where + ": " + e.getMessage());
        } catch (IOException | IllegalArgumentException | SecurityException e) {
            throw new ToolException("cannot listen on " + where + ": " + Cli.describe(e));
        }
    }

    public static TcpServer listen(String host, int port) {
        return listen(host, port, 1024);
    }

    static String hostPort(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** The port actually bound, useful after listening on port 0. */
    public int port() {
        return listener.getLocalPort();
    }

    /** {@code host:port} as the user asked for it, with the real port. */
    public String address() {
        return address.substring(0, address.lastIndexOf(':') + 1) + port();
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
            Thread.ofVirtual().name("conn-" + n).start(() -> run(handler, socket));
        }
    }

    private void run(Handler handler, MeteredSocket socket) {
        handlers.add(Thread.currentThread());
        try (socket) {
            handler.handle(socket);
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
            while (!listener.isClosed()) {
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
        try {
            listener.close();
        } catch (IOException ignored) {
            // Closing is all we wanted.
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
