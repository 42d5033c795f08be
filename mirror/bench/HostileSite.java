import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A hostile web site on 127.0.0.1 (its port printed on stdout) for mirror/bench/security.sh: one
 * attack under each path, and robots.txt as ROBOTS says (none, drip, regex, 503). GET /_stats
 * gives the requests served so far, per first path segment.
 *
 * <pre>java mirror/bench/HostileSite.java ROBOTS</pre>
 */
public class HostileSite {
    static final int BIG = 60 << 20; // near mirror's default --max-size of 64M
    static final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();
    static String robots;

    public static void main(String[] args) throws IOException {
        robots = args.length > 0 ? args[0] : "none";
        var server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", HostileSite::handle);
        server.start();
        System.out.println(server.getAddress().getPort());
    }

    static void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            var path = exchange.getRequestURI().getRawPath();
            if (path.equals("/_stats")) {
                send(exchange, 200, "text/plain", new TreeMap<>(requests).toString());
                return;
            }
            requests.computeIfAbsent(path.split("/").length > 1 ? path.split("/")[1] : "", k -> new AtomicLong()).incrementAndGet();
            serve(exchange, path);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // The client hung up: part of most attacks.
        }
    }

    static void serve(HttpExchange exchange, String path) throws IOException, InterruptedException {
        String[] parts = path.split("/");
        String last = parts.length > 0 ? parts[parts.length - 1] : "";
        switch (parts.length > 1 ? parts[1] : "") {
            case "robots.txt" -> robotsTxt(exchange);
            // HTML served as an image whose image is the next one, endlessly.
            case "chain" -> html(exchange, last.equals("chain") ? "<img src=\"/chain/0\">"
                    : "<img src=\"/chain/" + (Long.parseLong(last) + 1) + "\">");
            // An endless binary tree of distinct pages, 1 KiB each.
            case "tree" -> {
                long n = last.equals("tree") ? 1 : Long.parseLong(last);
                html(exchange, "<a href=\"/tree/" + 2 * n + "\">a</a><a href=\"/tree/" + (2 * n + 1) + "\">b</a>" + "x".repeat(1024));
            }
            // Ten pages of HTML built to swell when parsed and ten binaries, each near the size cap.
            case "big" -> big(exchange, last);
            case "css" -> {
                if (last.equals("a.css")) {
                    send(exchange, 200, "text/css", "url(".repeat(256 * 1024) + "\n}\np { background: url(bg.png) }");
                } else if (last.equals("bg.png")) {
                    send(exchange, 200, "image/png", "png");
                } else {
                    html(exchange, "<link rel=stylesheet href=\"/css/a.css\">");
                }
            }
            case "regex" -> html(exchange, last.equals("regex") ? "<a href=\"/regex/" + "a".repeat(3000) + ".html\">a</a>" : "a");
            case "redirect" -> {
                if (last.equals("old")) {
                    exchange.getResponseHeaders().set("Location", "/redirect/new");
                    exchange.sendResponseHeaders(301, -1);
                } else {
                    html(exchange, last.equals("new") ? "new" : "<a href=\"old\">old</a><a href=\"new\">new</a>");
                }
            }
            case "drip404" -> {
                if (last.equals("missing")) {
                    drip(exchange, 404);
                } else {
                    html(exchange, "<a href=\"/drip404/missing\">missing</a>");
                }
            }
            case "huge" -> html(exchange, "<a href=\"/huge/" + "a".repeat(100_000) + "\">huge</a>");
            case "sym" -> {
                if (last.equals("a.png")) {
                    send(exchange, 200, "image/png", "png");
                } else {
                    html(exchange, "<img src=\"/sym/img/a.png\">");
                }
            }
            default -> send(exchange, 404, "text/plain", "not found");
        }
    }

    static void robotsTxt(HttpExchange exchange) throws IOException, InterruptedException {
        switch (robots) {
            case "drip" -> drip(exchange, 200);
            case "regex" -> send(exchange, 200, "text/plain", "User-agent: *\nDisallow: /" + "*a".repeat(60) + "*b\n");
            case "503" -> send(exchange, 503, "text/plain", "busy");
            default -> send(exchange, 404, "text/plain", "none");
        }
    }

    static void big(HttpExchange exchange, String last) throws IOException {
        if (last.equals("big")) {
            var links = new StringBuilder();
            for (int i = 0; i < 10; i++) {
                links.append("<a href=\"/big/").append(i).append(".html\">h</a><img src=\"/big/").append(i).append(".bin\">");
            }
            html(exchange, links.toString());
            return;
        }
        boolean html = last.endsWith(".html");
        var chunk = (html ? "<table><tr><td>".repeat(64 * 1024 / 15 + 1) : "\0".repeat(64 * 1024))
                .substring(0, 15 * (64 * 1024 / 15)).getBytes(StandardCharsets.US_ASCII);
        long size = (long) BIG / chunk.length * chunk.length;
        exchange.getResponseHeaders().set("Content-Type", html ? "text/html" : "application/octet-stream");
        exchange.sendResponseHeaders(200, size);
        for (long sent = 0; sent < size; sent += chunk.length) {
            exchange.getResponseBody().write(chunk);
        }
    }

    static void drip(HttpExchange exchange, int status) throws IOException, InterruptedException {
        exchange.getResponseHeaders().set("Content-Type", "text/plain");
        exchange.sendResponseHeaders(status, 0);
        while (true) {
            exchange.getResponseBody().write('#');
            exchange.getResponseBody().flush();
            Thread.sleep(100);
        }
    }

    static void html(HttpExchange exchange, String body) throws IOException {
        send(exchange, 200, "text/html; charset=utf-8", "<!doctype html><title>x</title>" + body);
    }

    static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        var bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
