package gopl.dist;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The peers the tools' jobs talk to, all on loopback: a small web site (fetch, crawler), a larger
 * one (mirror, {@link MirrorSite}), an echo server (netcat) and a clock server (clockwall). Each
 * serves until closed.
 */
final class Fixtures implements AutoCloseable {
    private static final Map<String, String> PAGES = Map.of(
            "/", "<html><head><title>home</title><link rel=stylesheet href=style.css></head>"
                    + "<body><a href=a.html>a</a> <a href=b.html>b</a> <img src=logo.png></body></html>",
            "/a.html", "<html><body><a href=/>home</a> <a href=b.html>b</a></body></html>",
            "/b.html", "<html><body><a href=a.html>a</a> <a href=c.txt>c</a></body></html>",
            "/style.css", "body { background: url(logo.png) }",
            "/logo.png", "not really a picture",
            "/c.txt", "plain text\n");

    private final HttpServer site;
    private final ServerSocket echo;
    private final ServerSocket clock;

    Fixtures() throws IOException {
        var loopback = InetAddress.getLoopbackAddress();
        site = HttpServer.create(new InetSocketAddress(loopback, 0), 50);
        site.createContext("/", exchange -> {
            var page = PAGES.get(exchange.getRequestURI().getPath());
            byte[] body = (page == null ? "not found" : page).getBytes(StandardCharsets.UTF_8);
            var type = exchange.getRequestURI().getPath().endsWith(".css") ? "text/css"
                    : exchange.getRequestURI().getPath().endsWith(".png") ? "image/png"
                    : exchange.getRequestURI().getPath().endsWith(".txt") ? "text/plain" : "text/html; charset=utf-8";
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.sendResponseHeaders(page == null ? 404 : 200, body.length);
            try (var out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        MirrorSite.serve(site);
        site.start();
        echo = serve(new ServerSocket(0, 50, loopback), socket -> socket.getInputStream().transferTo(socket.getOutputStream()));
        clock = serve(new ServerSocket(0, 50, loopback), socket -> {
            var out = socket.getOutputStream();
            while (true) {
                out.write((java.time.LocalTime.now().withNano(0) + "\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread.sleep(200);
            }
        });
    }

    /** The web site's base URL, {@code http://127.0.0.1:PORT/}. */
    String site() {
        return "http://127.0.0.1:" + site.getAddress().getPort() + "/";
    }

    /** The larger site of mirror's job, {@code http://127.0.0.1:PORT/mirror/}. */
    String mirrorSite() {
        return site() + MirrorSite.PATH.substring(1);
    }

    int echoPort() {
        return echo.getLocalPort();
    }

    int clockPort() {
        return clock.getLocalPort();
    }

    private interface Handler {
        void handle(Socket socket) throws Exception;
    }

    /** Accepts on a virtual thread, and serves each client on one of its own, until closed. */
    private static ServerSocket serve(ServerSocket server, Handler handler) {
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    var socket = server.accept();
                    Thread.ofVirtual().start(() -> {
                        try (socket) {
                            handler.handle(socket);
                        } catch (Exception e) {
                            // The client went away: its job's check says whether that was right.
                        }
                    });
                } catch (IOException e) {
                    return; // closed
                }
            }
        });
        return server;
    }

    /** A port no one listens on just now, for a server under test to take. */
    static int freePort() {
        try (var probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        site.stop(0);
        echo.close();
        clock.close();
    }
}
