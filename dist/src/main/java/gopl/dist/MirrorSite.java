package gopl.dist;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The site mirror's training run mirrors, under {@code /mirror/}: a thousand pages shaped as
 * mirror/bench/Site.java's (a stylesheet with a background image, an icon, an image on one page in
 * ten, links to neighbours, a binary tree and one other page, a fragment, an absolute link and
 * one to another host), each with a Last-Modified date. A handful of pages would record only
 * the classes and the call sites of a start: the JIT's profile of a real job, replayed from the
 * cache, is what saves time on a site of thousands (mirror/README.md, Benchmark).
 */
final class MirrorSite {
    static final String PATH = "/mirror/";
    private static final int PAGES = 1000;
    private static final String CSS = "body { background: url(img/bg.png) }\nh1 { color: navy }\n";
    private static final String MODIFIED = "Mon, 07 Dec 2026 10:00:00 GMT";

    private MirrorSite() {}

    static void serve(HttpServer server) {
        server.createContext(PATH, MirrorSite::handle);
    }

    private static void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            var name = exchange.getRequestURI().getPath().substring(PATH.length());
            var page = name.isEmpty() ? 0 : name.matches("p\\d{1,4}\\.html") ? Integer.parseInt(name.replaceAll("\\D", "")) : -1;
            byte[] body;
            String type;
            if (page >= 0 && page < PAGES) {
                body = page(page, exchange.getRequestHeaders().getFirst("Host")).getBytes(StandardCharsets.UTF_8);
                type = "text/html; charset=utf-8";
            } else if (name.equals("site.css")) {
                body = CSS.getBytes(StandardCharsets.UTF_8);
                type = "text/css";
            } else if (name.matches("img/(bg|f\\d+0)\\.png|favicon\\.ico")) {
                body = new byte[2048];
                type = "image/png";
            } else {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.getResponseHeaders().set("Last-Modified", MODIFIED);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private static String url(int page) {
        return page == 0 ? PATH : PATH + "p" + page + ".html";
    }

    private static String page(int n, String host) {
        var html = new StringBuilder("<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>Page " + n + "</title>\n"
                + "<link rel=\"stylesheet\" href=\"" + PATH + "site.css\"><link rel=\"icon\" href=\"favicon.ico\">\n"
                + "</head><body><h1 id=\"top\">Page " + n + "</h1>\n<nav><a href=\"" + PATH + "\">Home</a>");
        for (int target : new int[] {n - 1, n + 1, 2 * n + 1, 2 * n + 2, (int) ((n * 7919L + 13) % PAGES)}) {
            if (target > 0 && target < PAGES) {
                html.append(" <a href=\"").append(url(target)).append("\">Page ").append(target).append("</a>");
            }
        }
        html.append(" <a href=\"http://").append(host).append(url((n + 50) % PAGES)).append("#top\">absolute</a>");
        html.append(" <a href=\"https://example.org/elsewhere\">elsewhere</a></nav>\n");
        if (n % 10 == 0 && n > 0) {
            html.append("<img src=\"img/f").append(n).append(".png\" alt=\"figure\">\n");
        }
        html.append("<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.</p>\n".repeat(6));
        return html.append("<p><a href=\"#top\">Back to top</a></p></body></html>\n").toString();
    }
}
