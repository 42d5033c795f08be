package gopl.common.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP server that accepts, reads whatever the client sends and never answers: the
 * server that hangs, for timeout and cancellation tests. It counts the connections still waiting
 * and those the client closed (or reset), so a test can check that a client gave up cleanly
 * instead of leaving the connection open.
 */
public final class SilentServer implements AutoCloseable {
    /** Connections open now. */
    public final AtomicInteger waiting = new AtomicInteger();
    /** Connections the client has closed or reset. */
    public final AtomicInteger closed = new AtomicInteger();
    private final ServerSocket listener;

    public SilentServer() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::accept);
    }

    public int port() {
        return listener.getLocalPort();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                var socket = listener.accept();
                Thread.ofVirtual().start(() -> waitForClose(socket));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void waitForClose(Socket socket) {
        waiting.incrementAndGet();
        try (socket; InputStream in = socket.getInputStream()) {
            while (in.read() >= 0) {
                // Swallow the request; answer nothing.
            }
        } catch (IOException e) {
            // Reset by the client: closed too.
        } finally {
            waiting.decrementAndGet();
            closed.incrementAndGet();
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
