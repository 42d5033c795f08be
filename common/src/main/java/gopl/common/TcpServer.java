package gopl.common;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The accept loop of the book's servers: {@code for { conn := l.Accept(); go handleConn(conn) }},
 * with a virtual thread per connection, and a graceful shutdown that the book leaves out: stop
 * accepting, close every open connection, wait briefly for the handlers to finish.
 */
public final class TcpServer implements AutoCloseable {
    /** Handles one connection; the server closes the socket when this returns or throws. */
    @FunctionalInterface
    public interface Handler {
        void handle(Socket socket) throws Exception;
    }

    private static final Duration GRACE = Duration.ofSeconds(2);

    private final ServerSocket listener;
    private final String address;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final Set<Thread> handlers = ConcurrentHashMap.newKeySet();
    private final AtomicLong accepted = new AtomicLong();
    private volatile Consumer<Throwable> onError = e -> System.err.println("server: " + Cli.describe(e));

    private TcpServer(ServerSocket listener, String address) {
        this.listener = listener;
        this.address = address;
    }

    /**
     * Binds {@code host:port} (port 0 picks a free one). A backlog large enough for a burst of
     * clients connecting at once: the kernel caps it at net.core.somaxconn.
     *
     * @throws ToolException {@code cannot listen on localhost:8010: Address already in use}
     */
    public static TcpServer listen(String host, int port, int backlog) {
        var where = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        try {
            var listener = new ServerSocket();
            try {
                listener.setReuseAddress(true);
                listener.bind(new InetSocketAddress(InetAddress.getByName(host), port), backlog);
            } catch (IOException | RuntimeException e) {
                listener.close();
                throw e;
            }
            return new TcpServer(listener, where);
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

    /** The port actually bound, useful after listening on port 0. */
    public int port() {
        return listener.getLocalPort();
    }

    /** {@code host:port} as the user asked for it, with the real port. */
    public String address() {
        return address.substring(0, address.lastIndexOf(':') + 1) + port();
    }

    /** Where errors a handler throws go; by default one line on stderr. Vanished clients are not errors. */
    public TcpServer onError(Consumer<Throwable> onError) {
        this.onError = onError;
        return this;
    }

    /** Accepts until {@link #close()}, each connection handled on its own virtual thread. */
    public void serve(Handler handler) {
        while (!listener.isClosed()) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                if (listener.isClosed()) {
                    break;
                }
                onError.accept(e); // e.g. too many open files: keep serving the connections we have
                pause();
                continue;
            }
            connections.add(socket);
            Thread.ofVirtual().name("conn-" + accepted.incrementAndGet()).start(() -> run(handler, socket));
        }
    }

    private void run(Handler handler, Socket socket) {
        handlers.add(Thread.currentThread());
        try (socket) {
            handler.handle(socket);
        } catch (IOException e) {
            // The client went away or timed out: nothing to report for the others.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            onError.accept(e);
        } finally {
            connections.remove(socket);
            handlers.remove(Thread.currentThread());
        }
    }

    /** Connections open now. */
    public int connectionCount() {
        return connections.size();
    }

    /** Connections accepted since start. */
    public long acceptedCount() {
        return accepted.get();
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
