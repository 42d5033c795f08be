package gopl.common.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback server that answers each request head (read up to its blank line) with the bytes the
 * function gives, as written: for responses framed every way HTTP allows, or wrongly. It counts
 * the connections it accepted and keeps each request head.
 */
public final class RawHttpServer implements AutoCloseable {
    /** The answer to one request head, in Latin-1. */
    public interface Answer {
        String to(String request) throws IOException;
    }

    private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final Answer answer;
    private final boolean closeAfterEach;
    public final AtomicInteger connections = new AtomicInteger();
    public final List<String> requests = new CopyOnWriteArrayList<>();

    /** Keeps each connection open for the next request. */
    public RawHttpServer(Answer answer) throws IOException {
        this(answer, false);
    }

    /** @param closeAfterEach close the connection after each answer */
    public RawHttpServer(Answer answer, boolean closeAfterEach) throws IOException {
        this.answer = answer;
        this.closeAfterEach = closeAfterEach;
        Thread.ofVirtual().start(this::accept);
    }

    public int port() {
        return socket.getLocalPort();
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    private void accept() {
        try {
            while (true) {
                var client = socket.accept();
                connections.incrementAndGet();
                Thread.ofVirtual().start(() -> serve(client));
            }
        } catch (IOException e) {
            // Closed: the test is over.
        }
    }

    private void serve(Socket client) {
        try (client) {
            var in = client.getInputStream();
            for (String request; (request = readRequest(in)) != null; ) {
                requests.add(request);
                client.getOutputStream().write(answer.to(request).getBytes(StandardCharsets.ISO_8859_1));
                client.getOutputStream().flush();
                if (closeAfterEach) {
                    return;
                }
            }
        } catch (IOException e) {
            // The client went away.
        }
    }

    private static String readRequest(InputStream in) throws IOException {
        var request = new StringBuilder();
        for (int c; (c = in.read()) >= 0; ) {
            request.append((char) c);
            if (request.toString().endsWith("\r\n\r\n")) {
                return request.toString();
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
