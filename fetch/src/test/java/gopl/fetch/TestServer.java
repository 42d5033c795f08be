package gopl.fetch;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import gopl.common.testing.SilentServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP server for the tests: bodies after a delay, error statuses, pages that hang
 * (trickling a byte every 20 ms, so a write fails, and is counted, once the client hangs up) or
 * stall after a few bytes; plus a raw socket port that reads requests and never answers,
 * counting the clients that close on it. It counts requests in flight.
 */
final class TestServer implements AutoCloseable {
    private interface Route {
        void serve(HttpExchange exchange) throws IOException, InterruptedException;
    }

    private final HttpServer server;
    private final SilentServer silent = new SilentServer();
    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    final AtomicInteger active = new AtomicInteger();
    final AtomicInteger maxActive = new AtomicInteger();
    final AtomicInteger hanging = new AtomicInteger();
    final AtomicInteger disconnects = new AtomicInteger();
    final AtomicInteger silentWaiting = silent.waiting;
    final AtomicInteger silentClosed = silent.closed;
    /** Every request's header fields, with its method and path, in order. */
    final java.util.List<Received> received = new java.util.concurrent.CopyOnWriteArrayList<>();

    record Received(String method, String path, com.sun.net.httpserver.Headers headers) {}

    TestServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::dispatch);
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    String silentUrl() {
        return "http://127.0.0.1:" + silent.port() + "/silent";
    }

    TestServer respond(String path, Duration delay, int status, String body) {
        var bytes = body.getBytes(StandardCharsets.UTF_8);
        routes.put(path, exchange -> {
            Thread.sleep(delay);
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            exchange.getResponseBody().write(bytes);
        });
        return this;
    }

    /** Answers with these headers and this body (none for HEAD, as HTTP says). */
    TestServer respond(String path, int status, java.util.Map<String, String> headers, byte[] body) {
        routes.put(path, exchange -> {
            headers.forEach(exchange.getResponseHeaders()::set);
            boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(status, body.length == 0 || head ? -1 : body.length);
            if (!head) {
                exchange.getResponseBody().write(body);
            }
        });
        return this;
    }

    /** Answers {@code failures} times with the status (and a Retry-After if given), then 200 with the body. */
    TestServer flaky(String path, int failures, int status, String body) {
        var count = new AtomicInteger();
        var bytes = body.getBytes(StandardCharsets.UTF_8);
        routes.put(path, exchange -> {
            if (count.incrementAndGet() <= failures) {
                exchange.sendResponseHeaders(status, -1);
            } else {
                exchange.sendResponseHeaders(200, bytes.length);
                exchange.getResponseBody().write(bytes);
            }
        });
        return this;
    }

    long requests(String path) {
        return received.stream().filter(r -> r.path().equals(path)).count();
    }

    TestServer hang(String path) {
        return late(path, Duration.ZERO);
    }

    /** Answers after the delay, then hangs as {@link #hang} does. */
    TestServer late(String path, Duration delay) {
        routes.put(path, exchange -> {
            Thread.sleep(delay);
            exchange.sendResponseHeaders(200, 0);
            hanging.incrementAndGet();
            try {
                while (true) {
                    exchange.getResponseBody().write('.');
                    exchange.getResponseBody().flush();
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

    /** Sends the headers and a first chunk, then nothing for a minute. */
    TestServer stall(String path, String first) {
        routes.put(path, exchange -> {
            exchange.sendResponseHeaders(200, 0);
            exchange.getResponseBody().write(first.getBytes(StandardCharsets.UTF_8));
            exchange.getResponseBody().flush();
            Thread.sleep(Duration.ofMinutes(1));
        });
        return this;
    }

    private void dispatch(HttpExchange exchange) throws IOException {
        maxActive.accumulateAndGet(active.incrementAndGet(), Math::max);
        received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), exchange.getRequestHeaders()));
        try (exchange) {
            // Done before the exchange closes: closing sends the last bytes, and the client's next
            // request may come in before a decrement after it, looking like one too many at once.
            try {
                var route = routes.get(exchange.getRequestURI().getPath());
                if (route == null) {
                    exchange.sendResponseHeaders(404, -1);
                } else {
                    route.serve(exchange);
                }
            } finally {
                active.decrementAndGet();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for a condition on this server's counts of connections. */
    static void await(java.util.function.BooleanSupplier condition) {
        gopl.common.testing.Eventually.eventually(Duration.ofSeconds(10), "the server's counts", condition);
    }

    URI uri(String path) {
        return URI.create(url(path));
    }

    @Override
    public void close() throws IOException {
        server.stop(0);
        silent.close();
    }
}
