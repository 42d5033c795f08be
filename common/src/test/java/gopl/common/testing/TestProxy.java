package gopl.common.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small HTTP proxy on 127.0.0.1 for the clients' tests: absolute-form requests
 * ({@code GET http://host:port/path}) are forwarded, and {@code CONNECT host:port} tunnels. Every
 * host name resolves to 127.0.0.1 here, so a test can name a host that does not exist
 * ({@code www.example.test}) and know that a request that reached it went through the proxy. It
 * records each request line, and with {@link #requireBasic} answers 407 without the credentials.
 */
public final class TestProxy implements AutoCloseable {
    /** The request lines received, in order: {@code GET http://h:1/x HTTP/1.1}, {@code CONNECT h:443 HTTP/1.1}. */
    public final List<String> requests = new CopyOnWriteArrayList<>();
    /** The Proxy-Authorization header of each request, or "" when there was none. */
    public final List<String> authorizations = new CopyOnWriteArrayList<>();

    private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private volatile String required;

    public TestProxy() throws IOException {
        Thread.ofVirtual().name("test-proxy").start(this::accept);
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Answers 407 to any request without {@code Proxy-Authorization: Basic} for these. */
    public TestProxy requireBasic(String user, String password) {
        required = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return this;
    }

    private void accept() {
        try {
            while (true) {
                var client = server.accept();
                Thread.ofVirtual().start(() -> serve(client));
            }
        } catch (IOException e) {
            // Closed: the test is over.
        }
    }

    private void serve(Socket client) {
        try (client) {
            var in = client.getInputStream();
            for (String head; (head = readHead(in)) != null; ) {
                var lines = head.split("\r\n");
                requests.add(lines[0]);
                var authorization = field(lines, "proxy-authorization");
                authorizations.add(authorization);
                if (required != null && !required.equals(authorization)) {
                    client.getOutputStream().write(("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"proxy\"\r\n"
                            + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    continue;
                }
                var parts = lines[0].split(" ");
                if (parts[0].equals("CONNECT")) {
                    tunnel(client, port(parts[1]));
                } else {
                    forward(client, lines, URI.create(parts[1]));
                }
                return; // one request a connection: the client sees the close
            }
        } catch (IOException | RuntimeException e) {
            // A client gone, or not HTTP: its connection ends.
        }
    }

    private static void tunnel(Socket client, int port) throws IOException {
        try (var target = new Socket(InetAddress.getLoopbackAddress(), port)) {
            client.getOutputStream().write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            var back = Thread.ofVirtual().start(() -> pump(target, client));
            pump(client, target);
            back.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The request to the target in origin form, its body-less head as sent, the answer back as it comes. */
    private static void forward(Socket client, String[] lines, URI target) throws IOException {
        var parts = lines[0].split(" ");
        var path = target.getRawPath() + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
        var head = new StringBuilder(parts[0]).append(' ').append(path.isEmpty() ? "/" : path).append(" HTTP/1.1\r\n");
        for (int i = 1; i < lines.length; i++) {
            var name = lines[i].split(":", 2)[0].strip().toLowerCase(java.util.Locale.ROOT);
            if (!name.startsWith("proxy-") && !name.equals("connection")) {
                head.append(lines[i]).append("\r\n");
            }
        }
        head.append("Connection: close\r\n\r\n");
        try (var upstream = new Socket(InetAddress.getLoopbackAddress(), target.getPort() < 0 ? 80 : target.getPort())) {
            upstream.getOutputStream().write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            upstream.getInputStream().transferTo(client.getOutputStream());
        }
    }

    private static void pump(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
            to.shutdownOutput();
        } catch (IOException e) {
            // One side closed: the tunnel is over.
        }
    }

    private static int port(String authority) {
        return Integer.parseInt(authority.substring(authority.lastIndexOf(':') + 1));
    }

    private static String field(String[] lines, String name) {
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0 && lines[i].substring(0, colon).strip().equalsIgnoreCase(name)) {
                return lines[i].substring(colon + 1).strip();
            }
        }
        return "";
    }

    /** A request head up to its blank line, at most 64 KiB; null at the end of the connection. */
    private static String readHead(InputStream in) throws IOException {
        var head = new ByteArrayOutputStream();
        for (int c, state = 0; (c = in.read()) >= 0; ) {
            head.write(c);
            state = c == '\r' && state % 2 == 0 || c == '\n' && state % 2 == 1 ? state + 1 : c == '\r' ? 1 : 0;
            if (state == 4) {
                return head.toString(StandardCharsets.ISO_8859_1).strip();
            }
            if (head.size() > 64 * 1024) {
                return null;
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
