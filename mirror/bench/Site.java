import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmark's web site: PAGES generated pages on 127.0.0.1 (port 0 picks one; it is printed
 * on stdout), every response delayed by DELAY milliseconds as a distant server would be. Each page
 * has a stylesheet (with a background image), an icon, an image on one page in ten, and links to
 * the home page, its neighbours, a binary tree (so every page is reachable) and one other page;
 * some links carry a fragment, some are absolute, one goes to another host.
 *
 * <pre>java mirror/bench/Site.java PAGES DELAY_MS [PORT]</pre>
 *
 * <p>With {@code --write DIR PORT} it writes the same site as static files into DIR instead (the
 * home page as {@code index.html}), for a static server that will listen on PORT.
 */
public class Site {
    static int pages;
    static Duration delay;
    static final AtomicLong requests = new AtomicLong();
    static final String CSS = "body { font: 16px serif; background: url(../img/bg.png) }\nh1 { color: navy }\n";

    public static void main(String[] args) throws IOException {
        pages = Integer.parseInt(args[0]);
        if (args.length == 5 && args[2].equals("--write")) {
            write(Path.of(args[3]), Integer.parseInt(args[4]));
            return;
        }
        delay = Duration.ofMillis(Long.parseLong(args[1]));
        int port = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        var server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", Site::handle);
        server.start();
        System.out.println(server.getAddress().getPort());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.err.println("site: " + requests + " requests served")));
    }

    /** Writes every page and requisite as a file under DIR, for a static server on that port. */
    static void write(Path dir, int port) throws IOException {
        for (int n = 0; n < pages; n++) {
            var file = dir.resolve((n == 0 ? "/index.html" : url(n)).substring(1));
            Files.createDirectories(file.getParent());
            Files.writeString(file, page(n, port));
        }
        Files.createDirectories(dir.resolve("css"));
        Files.writeString(dir.resolve("css/site.css"), CSS);
        Files.createDirectories(dir.resolve("img"));
        Files.write(dir.resolve("favicon.ico"), new byte[4096]);
        Files.write(dir.resolve("img/bg.png"), new byte[4096]);
        for (int n = 10; n < pages; n += 10) {
            Files.write(dir.resolve("img/figure" + n + ".png"), new byte[4096]);
        }
    }

    static void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            Thread.sleep(delay);
            var path = exchange.getRequestURI().getPath();
            String type;
            byte[] body;
            if (path.equals("/") || path.matches("/section/\\d+/page\\d+\\.html")) {
                int page = path.equals("/") ? 0 : Integer.parseInt(path.replaceAll(".*page(\\d+)\\.html", "$1"));
                if (page >= pages || !path.equals(url(page))) {
                    notFound(exchange);
                    return;
                }
                type = "text/html; charset=utf-8";
                body = page(page, exchange.getLocalAddress().getPort()).getBytes(StandardCharsets.UTF_8);
            } else if (path.equals("/css/site.css")) {
                type = "text/css";
                body = CSS.getBytes(StandardCharsets.UTF_8);
            } else if (path.equals("/favicon.ico") || path.equals("/img/bg.png") || path.matches("/img/figure\\d+0\\.png")) {
                type = path.endsWith(".ico") ? "image/x-icon" : "image/png";
                body = new byte[4096];
            } else {
                notFound(exchange);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void notFound(HttpExchange exchange) throws IOException {
        exchange.sendResponseHeaders(404, -1);
    }

    static String url(int page) {
        return page == 0 ? "/" : "/section/" + (page / 100) + "/page" + page + ".html";
    }

    static String page(int n, int port) {
        var html = new StringBuilder("""
                <!doctype html>
                <html><head><meta charset="utf-8"><title>Page %d</title>
                <link rel="stylesheet" href="/css/site.css"><link rel="icon" href="/favicon.ico">
                </head><body><h1 id="top">Page %d</h1>
                <nav><a href="/">Home</a>""".formatted(n, n));
        for (int target : new int[] {n - 1, n + 1, 2 * n + 1, 2 * n + 2, (int) ((n * 7919L + 13) % pages)}) {
            if (target > 0 && target < pages) {
                html.append(" <a href=\"").append(url(target)).append("\">Page ").append(target).append("</a>");
            }
        }
        html.append(" <a href=\"http://127.0.0.1:").append(port).append(url((n + 50) % pages)).append("#top\">absolute</a>");
        html.append(" <a href=\"https://example.org/elsewhere\">elsewhere</a></nav>\n");
        if (n % 10 == 0 && n > 0) {
            html.append("<img src=\"/img/figure").append(n).append(".png\" alt=\"figure\">\n");
        }
        for (int p = 0; p < 6; p++) {
            html.append("<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut ")
                    .append("labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco.</p>\n");
        }
        return html.append("<p><a href=\"#top\">Back to top</a></p></body></html>\n").toString();
    }
}
