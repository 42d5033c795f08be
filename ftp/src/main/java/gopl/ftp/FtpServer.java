package gopl.ftp;

import gopl.common.ServerStats;
import gopl.common.TcpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FTP server: the book's accept loop ({@code for { conn := l.Accept(); go handleConn(conn) }})
 * with a virtual thread and a {@link Session} per control connection.
 */
public final class FtpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FtpServer.class);
    // 200 clients connecting in the same instant must all get in; the kernel caps this at somaxconn.
    private static final int BACKLOG = 1024;

    // A flood of refused connections gets one log line per this, not one per connection.
    private static final Duration REFUSAL_LOG_EVERY = Duration.ofSeconds(10);

    /** Everything a session needs to know about the server; {@code tls} is null for a server without TLS. */
    record Settings(Jail jail, Accounts accounts, DataConnection.Ports passivePorts, InetAddress publicAddress, Limits limits,
            Protection.Policy tls) {}

    /** What one client may take, in sessions, time and tries (see the options of FtpCommand). */
    record Limits(int maxSessions, int maxPerIp, Duration idleTimeout, Duration loginTimeout, Duration dataTimeout,
            Duration acceptTimeout, Duration loginDelay, int maxLoginFails, int maxListEntries, Duration writeTimeout) {}

    /** What all the sessions of one server share; the data bytes moved each way, for the stats line. */
    record Shared(ScheduledExecutorService timer, LoginGuard logins, PassivePorts passivePorts, LongAdder dataIn, LongAdder dataOut) {}

    private final TcpServer listener;
    private final TcpServer implicitListener; // implicit FTPS (TLS from the first byte), or null
    private final Settings settings;
    private final Semaphore sessions;
    private final PerClient perClient;
    private final ScheduledThreadPoolExecutor timer = deadlines();
    private final Shared shared;
    private final AtomicInteger refusals = new AtomicInteger(); // since the last log line
    private final AtomicLong refusedInAll = new AtomicLong();
    private final AtomicLong nextRefusalLog = new AtomicLong(System.nanoTime());

    /**
     * Write deadlines for replies (see Reply): one platform thread for the whole server. Nearly
     * every deadline is cancelled at once, so cancelled ones must leave the queue at once too.
     */
    private static ScheduledThreadPoolExecutor deadlines() {
        var timer = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().name("reply-deadlines").daemon().factory());
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    private FtpServer(TcpServer listener, TcpServer implicitListener, Settings settings) {
        this.listener = listener;
        this.implicitListener = implicitListener;
        this.settings = settings;
        var limits = settings.limits();
        this.sessions = new Semaphore(limits.maxSessions());
        this.perClient = new PerClient(limits.maxPerIp());
        this.shared = new Shared(timer, new LoginGuard(limits.loginDelay()),
                new PassivePorts(settings.passivePorts(), limits.acceptTimeout(), timer), new LongAdder(), new LongAdder());
        // A reply the client does not take within the write timeout drops the connection.
        for (var tcp : implicitListener == null ? List.of(listener) : List.of(listener, implicitListener)) {
            tcp.onError(e -> log.error("session failed: {}", e.toString())).writeTimeout(limits.writeTimeout());
        }
    }

    /** Listens on {@code host:port} (0 picks a free port); {@link #serve()} then accepts clients. */
    static FtpServer listen(String host, int port, Settings settings) {
        return listen(host, port, -1, settings);
    }

    /** Also listens for implicit FTPS on {@code implicitPort}, unless it is negative. */
    static FtpServer listen(String host, int port, int implicitPort, Settings settings) {
        var listener = TcpServer.listen(host, port, BACKLOG);
        try {
            var implicit = implicitPort < 0 ? null : TcpServer.listen(host, implicitPort, BACKLOG);
            return new FtpServer(listener, implicit, settings);
        } catch (RuntimeException e) {
            listener.close();
            throw e;
        }
    }

    int port() {
        return listener.port();
    }

    String address() {
        return listener.address();
    }

    int implicitPort() {
        return implicitListener == null ? -1 : implicitListener.port();
    }

    /** Logs a stats line every {@code every} (zero: never), with the data connections' bytes and the refusals. */
    FtpServer logStats(Duration every) {
        listener.logStats(every, this::stats);
        return this;
    }

    /** The control connections' counters (both ports), plus the data bytes and the sessions refused. */
    ServerStats stats() {
        var stats = listener.stats();
        if (implicitListener != null) {
            stats = stats.plus(implicitListener.stats());
        }
        return new ServerStats(stats.open(), stats.accepted(), stats.refused() + refusedInAll.get(),
                stats.bytesIn() + shared.dataIn().sum(), stats.bytesOut() + shared.dataOut().sum(), stats.errors(), stats.timedOut());
    }

    /** Accepts clients until closed. */
    void serve() {
        var tls = settings.tls() == null ? "" : implicitListener == null ? ", TLS" : ", TLS; implicit TLS on " + implicitListener.address();
        log.info("ftp serving {} on {} ({}{})", settings.jail().root(), listener.address(), settings.accounts().describe(), tls);
        if (implicitListener != null) {
            Thread.ofVirtual().name("implicit-tls").start(() -> implicitListener.serve(socket -> handle(socket, true)));
        }
        listener.serve(socket -> handle(socket, false));
    }

    /** One connection: a session if both the server and the client's address have room for one. */
    private void handle(Socket socket, boolean implicitTls) throws IOException {
        var client = ((InetSocketAddress) socket.getRemoteSocketAddress()).getAddress();
        if (!sessions.tryAcquire()) {
            refuse(socket, "Too many connections; try again later.", "all " + settings.limits().maxSessions() + " sessions are in use");
            return;
        }
        try {
            if (!perClient.tryAcquire(client)) {
                refuse(socket, "Too many connections from your address; try again later.",
                        client.getHostAddress() + " has " + perClient.limit() + " sessions open (--max-per-ip)");
                return;
            }
            try {
                new Session(socket, settings, shared, implicitTls).run();
            } finally {
                perClient.release(client);
            }
        } finally {
            sessions.release();
        }
    }

    private void refuse(Socket socket, String reply, String why) throws IOException {
        refusedInAll.incrementAndGet();
        logRefusal(why);
        var out = socket.getOutputStream();
        out.write(("421 " + reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Logs refused connections at most once per {@link #REFUSAL_LOG_EVERY}, with their number. */
    private void logRefusal(String why) {
        refusals.incrementAndGet();
        long due = nextRefusalLog.get();
        if (System.nanoTime() - due >= 0 && nextRefusalLog.compareAndSet(due, System.nanoTime() + REFUSAL_LOG_EVERY.toNanos())) {
            int refused = refusals.getAndSet(0);
            log.warn("refused {} connection(s) since the last such line; the latest because {}", refused, why);
        }
    }

    /** Closes this server on SIGINT or SIGTERM. */
    void closeOnShutdown() {
        listener.closeOnShutdown(() -> {
            log.info("ftp shutting down");
            if (implicitListener != null) {
                implicitListener.close();
            }
        });
    }

    @Override
    public void close() {
        if (implicitListener != null) {
            implicitListener.close();
        }
        listener.close();
        timer.shutdownNow();
        settings.accounts().close();
    }
}
