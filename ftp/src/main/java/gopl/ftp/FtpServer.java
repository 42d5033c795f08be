package gopl.ftp;

import gopl.common.TcpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
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

    /** Everything a session needs to know about the server. */
    record Settings(Jail jail, Accounts accounts, DataConnection.Ports passivePorts, InetAddress publicAddress,
            Duration idleTimeout, Duration dataTimeout, Duration loginDelay, int maxSessions) {}

    private final TcpServer listener;
    private final Settings settings;
    private final Semaphore sessions;
    private final ScheduledThreadPoolExecutor timer = deadlines();

    /**
     * Write deadlines for replies (see Reply): one platform thread for the whole server. Nearly
     * every deadline is cancelled at once, so cancelled ones must leave the queue at once too.
     */
    private static ScheduledThreadPoolExecutor deadlines() {
        var timer = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().name("reply-deadlines").daemon().factory());
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    private FtpServer(TcpServer listener, Settings settings) {
        this.listener = listener;
        this.settings = settings;
        this.sessions = new Semaphore(settings.maxSessions());
        listener.onError(e -> log.error("session failed: {}", e.toString()));
    }

    /** Listens on {@code host:port} (0 picks a free port); {@link #serve()} then accepts clients. */
    static FtpServer listen(String host, int port, Settings settings) {
        return new FtpServer(TcpServer.listen(host, port, BACKLOG), settings);
    }

    int port() {
        return listener.port();
    }

    String address() {
        return listener.address();
    }

    /** Accepts clients until closed. */
    void serve() {
        log.info("ftp serving {} on {} ({})", settings.jail().root(), listener.address(), settings.accounts().describe());
        listener.serve(this::handle);
    }

    private void handle(Socket socket) throws IOException {
        if (!sessions.tryAcquire()) {
            refuse(socket.getOutputStream());
            return;
        }
        try {
            new Session(socket, settings, timer).run();
        } finally {
            sessions.release();
        }
    }

    private void refuse(OutputStream out) throws IOException {
        log.warn("refused a client: {} sessions already open", settings.maxSessions());
        out.write("421 Too many connections; try again later.\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Closes this server on SIGINT or SIGTERM. */
    void closeOnShutdown() {
        listener.closeOnShutdown(() -> log.info("ftp shutting down"));
    }

    @Override
    public void close() {
        listener.close();
        timer.shutdownNow();
    }
}
