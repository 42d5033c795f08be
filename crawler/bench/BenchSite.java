// A generated web site for the crawler benchmark, run as a single source file (JDK only):
//   java crawler/bench/BenchSite.java [PAGES] [DELAY_MS]
// Prints "PORT" on stdout once listening on 127.0.0.1, then serves until killed. Page i, at
// /p/i.html, links to its children 5i+1..5i+5 (a tree, so every page is reachable), to its
// neighbours i-1 and i+1 and to the index: a few thousand links, each page reached many times.
// Every response is delayed by DELAY_MS, as if the server were across a network.
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

public class BenchSite {
    public static void main(String[] args) throws IOException {
        int pages = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        long delay = args.length > 1 ? Long.parseLong(args[1]) : 10;
        var requests = new AtomicLong();
        var server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1000);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            try (exchange) {
                Thread.sleep(delay);
                serve(exchange, pages);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.err.println("bench site: " + requests.get() + " requests")));
        System.out.println(server.getAddress().getPort());
        System.out.flush();
    }

    private static void serve(HttpExchange exchange, int pages) throws IOException {
        var path = exchange.getRequestURI().getPath();
        int page = -1;
        if (path.equals("/")) {
            page = pages; // the index
        } else if (path.matches("/p/\\d{1,9}\\.html")) {
            page = Integer.parseInt(path.substring(3, path.length() - 5));
        }
        if (page < 0 || page > pages) {
            exchange.sendResponseHeaders(404, -1);
            return;
        }
        var body = html(page, pages).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
    }

    private static String html(int page, int pages) {
        var out = new StringBuilder("<!doctype html><html><head><title>Page ").append(page).append("</title></head><body>\n");
        out.append("<h1>Page ").append(page).append("</h1>\n<p><a href=\"/\">index</a></p>\n<ul>\n");
        if (page == pages) {
            link(out, 0);
        } else {
            for (int child = 5 * page + 1; child <= 5 * page + 5 && child < pages; child++) {
                link(out, child);
            }
            if (page > 0) {
                link(out, page - 1);
            }
            if (page + 1 < pages) {
                link(out, page + 1);
            }
        }
        out.append("</ul>\n");
        for (int i = 0; i < 20; i++) { // a few kilobytes of text, like a real page
            out.append("<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt.</p>\n");
        }
        return out.append("</body></html>\n").toString();
    }

    private static void link(StringBuilder out, int page) {
        out.append("<li><a href=\"/p/").append(page).append(".html\">page ").append(page).append("</a></li>\n");
    }
}
