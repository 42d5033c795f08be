package gopl.clockwall;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A clock server for tests that says the same time every 200 ms, and can die and come back. */
final class FakeClock implements AutoCloseable {
    private final String time;
    private final ServerSocket listener;
    private final Set<Socket> clients = ConcurrentHashMap.newKeySet();

    FakeClock(String time, int port) throws IOException {
        this.time = time;
        listener = new ServerSocket();
        listener.setReuseAddress(true);
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        Thread.ofVirtual().start(this::accept);
    }

    int port() {
        return listener.getLocalPort();
    }

    private void accept() {
        try {
            while (true) {
                var socket = listener.accept();
                clients.add(socket);
                Thread.ofVirtual().start(() -> tick(socket));
            }
        } catch (IOException closed) {
            // close() was called.
        }
    }

    private void tick(Socket socket) {
        try (socket) {
            while (true) {
                socket.getOutputStream().write((time + "\n").getBytes(StandardCharsets.US_ASCII));
                Thread.sleep(200);
            }
        } catch (IOException | InterruptedException gone) {
            // Client left or we died.
        }
    }

    /** Dies: stops listening and drops every client. */
    @Override
    public void close() throws IOException {
        listener.close();
        for (var client : clients) {
            client.close();
        }
    }
}
