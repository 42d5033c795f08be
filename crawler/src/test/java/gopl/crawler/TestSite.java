package gopl.crawler;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import gopl.common.testing.SilentServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local web site for tests, on the JDK's HttpServer on a free loopback port: pages with links
 * and a delay, redirects, error statuses, and pages that hang forever (trickling a byte now and
 * then so the server notices when the client hangs up). It counts requests in flight, and the
 * connections the client dropped. {@link #silentPort()} is a raw socket server that reads the
 * request and never answers, counting the clients that close on it.
 */
final class TestSite implements AutoCloseable {
    private interface Route {
        void serve(HttpExchange exchange) throws IOException, InterruptedException;
    }

    private final HttpServer server;
    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    private final Map<String, java.util.function.Function<String, String>> generators = new ConcurrentHashMap<>();
    final List<String> requests = new CopyOnWriteArrayList<>();
    /** The Accept-Encoding of each request, "" when there was none, in order. */
    final List<String> acceptEncodings = new CopyOnWriteArrayList<>();
    /** When each request came in and when its answer was sent, in nanoseconds, in the order they came in. */
    final List<long[]> spans = new CopyOnWriteArrayList<>();
    final AtomicInteger active = new AtomicInteger();
    final AtomicInteger maxActive = new AtomicInteger();
    final AtomicInteger hanging = new AtomicInteger();
    final AtomicInteger disconnects = new AtomicInteger();
    private final SilentServer silent = new SilentServer();
    final AtomicInteger silentWaiting = silent.waiting;
    final AtomicInteger silentClosed = silent.closed;

    TestSite() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::dispatch);
        server.start();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** An HTML page linking to each href, answered after the delay. */
    TestSite page(String path, Duration delay, String... hrefs) {
        var body = new StringBuilder("<!doctype html><title>").append(path).append("</title><body>\n");
        for (var href : hrefs) {
            body.append("<a href=\"").append(href).append("\">").append(href).append("</a>\n");
        }
        return html(path, delay, body.toString());
    }

    TestSite page(String path, String... hrefs) {
        return page(path, Duration.ZERO, hrefs);
    }

    TestSite html(String path, Duration delay, String html) {
        return respond(path, delay, 200, "text/html; charset=utf-8", html);
    }

    TestSite respond(String path, Duration delay, int status, String type, String body) {
        var bytes = body.getBytes(StandardCharsets.UTF_8);
        routes.put(path, exchange -> {
            Thread.sleep(delay);
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            exchange.getResponseBody().write(bytes);
        });
        return this;
    }

    /** Answers with these header fields and these bytes, as they are (a compressed body, say). */
    TestSite raw(String path, Map<String, String> headers, byte[] body) {
        routes.put(path, exchange -> {
            headers.forEach(exchange.getResponseHeaders()::set);
            exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
        });
        return this;
    }

    TestSite redirect(String path, int status, String location) {
        routes.put(path, exchange -> {
            exchange.getResponseHeaders().set("Location", location);
            exchange.sendResponseHeaders(status, -1);
        });
        return this;
    }

    /** Pages made on demand: every path under the prefix is answered with the HTML the function gives for it. */
    TestSite generate(String prefix, java.util.function.Function<String, String> html) {
        generators.put(prefix, html);
        return this;
    }

    /** Sends headers and a trickle of bytes forever; counts a disconnect when a write fails. */
    TestSite hang(String path) {
        return hang(path, 200);
    }

    /** {@link #hang(String)} with another status: an error page or a redirect whose body never ends. */
    TestSite hang(String path, int status) {
        routes.put(path, exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/html");
            exchange.getResponseHeaders().set("Location", "/");
            exchange.sendResponseHeaders(status, 0);
            hanging.incrementAndGet();
            var out = exchange.getResponseBody();
            try {
                while (true) {
                    out.write(' ');
                    out.flush();
                    Thread.sleep(20);
                }
            } catch (IOException e) {
                disconnects.incrementAndGet();
                throw e;
            } finally {
                hanging.decrementAndGet();
            }
        });
        return this;
    }

    private void dispatch(HttpExchange exchange) throws IOException {
        var path = exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
        requests.add(path);
        acceptEncodings.add(java.util.Objects.requireNonNullElse(exchange.getRequestHeaders().getFirst("Accept-Encoding"), ""));
        var span = new long[] {System.nanoTime(), 0};
        spans.add(span);
        maxActive.accumulateAndGet(active.incrementAndGet(), Math::max);
        try (exchange) {
            // Done before the exchange closes: closing sends the last bytes, and the client's next
            // request may come in before a decrement after it, looking like two at once.
            try {
                var route = routes.get(path);
                var generator = generators.entrySet().stream().filter(e -> path.startsWith(e.getKey())).findFirst();
                if (route == null && generator.isPresent()) {
                    var bytes = generator.get().getValue().apply(path).getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
                    exchange.sendResponseHeaders(200, bytes.length);
                    exchange.getResponseBody().write(bytes);
                } else if (route == null) {
                    exchange.sendResponseHeaders(404, -1);
                } else {
                    route.serve(exchange);
                }
            } finally {
                active.decrementAndGet();
                span[1] = System.nanoTime();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    long requestCount(String path) {
        return requests.stream().filter(path::equals).count();
    }

    /** A port that accepts connections and never answers: see {@link SilentServer}. */
    int silentPort() {
        return silent.port();
    }

    @Override
    public void close() throws IOException {
        server.stop(0);
        silent.close();
    }
}
