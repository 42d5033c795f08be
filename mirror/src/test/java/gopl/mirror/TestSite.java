package gopl.mirror;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A web site on 127.0.0.1 and a free port, for tests: the JDK's HttpServer serving resources by
 * raw path and query, counting every request, with an optional delay per response and a
 * fallback for paths it does not know. Each resource has a Last-Modified time (when it was
 * added, to the second) and an ETag, and a conditional request for an unchanged one gets 304.
 */
final class TestSite implements AutoCloseable {
    record Resource(int status, String type, byte[] body, String location, Instant modified) {
        Resource(int status, String type, byte[] body, String location) {
            this(status, type, body, location, Instant.now().truncatedTo(ChronoUnit.SECONDS));
        }

        String etag() {
            return "\"" + Integer.toHexString(Arrays.hashCode(body)) + "-" + modified.getEpochSecond() + "\"";
        }
    }

    private final HttpServer server;
    private final Map<String, Resource> resources = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> answers = new CopyOnWriteArrayList<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, List<String[]>> extraHeaders = new ConcurrentHashMap<>();
    private volatile String authorization; // required of every request when set

    /** A request as it came: its path and query, and its header fields. */
    record Received(String path, com.sun.net.httpserver.Headers headers) {
        String header(String name) {
            return headers.getFirst(name);
        }
    }
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private volatile Duration delay = Duration.ZERO;
    private final Map<String, Duration> delays = new ConcurrentHashMap<>();
    private final Map<String, Integer> drips = new ConcurrentHashMap<>();
    private volatile Function<String, Resource> fallback = path -> new Resource(404, "text/plain", bytes("not found"), null);

    TestSite() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    TestSite html(String path, String html) {
        return add(path, new Resource(200, "text/html; charset=utf-8", bytes(html), null));
    }

    TestSite css(String path, String css) {
        return add(path, new Resource(200, "text/css", bytes(css), null));
    }

    TestSite file(String path, String type, byte[] body) {
        return add(path, new Resource(200, type, body, null));
    }

    TestSite redirect(String path, String location) {
        return add(path, new Resource(301, "text/plain", new byte[0], location));
    }

    TestSite add(String path, Resource resource) {
        resources.put(path, resource);
        return this;
    }

    /** Dates every resource served so far (Last-Modified, and so the ETag) at this instant. */
    TestSite dated(Instant modified) {
        resources.replaceAll((path, r) -> new Resource(r.status(), r.type(), r.body(), r.location(), modified));
        return this;
    }

    /** Dates one resource at this instant. */
    TestSite dated(String path, Instant modified) {
        resources.computeIfPresent(path, (key, r) -> new Resource(r.status(), r.type(), r.body(), r.location(), modified));
        return this;
    }

    TestSite remove(String path) {
        resources.remove(path);
        return this;
    }

    TestSite delay(Duration delay) {
        this.delay = delay;
        return this;
    }

    /** Delays the responses to one path (on top of the delay for all). */
    TestSite slow(String path, Duration delay) {
        delays.put(path, delay);
        return this;
    }

    /** Answers the path with this status and then one byte every 50 ms, forever: a body that drips. */
    TestSite drip(String path, int status) {
        drips.put(path, status);
        return this;
    }

    TestSite fallback(Function<String, Resource> fallback) {
        this.fallback = fallback;
        return this;
    }

    /** {@code http://127.0.0.1:PORT} followed by the path. */
    String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Every request so far, as raw path and query. */
    List<String> requests() {
        return List.copyOf(requests);
    }

    /** Every request so far with its header fields, in order. */
    List<Received> received() {
        return List.copyOf(received);
    }

    /** Sends this header field with the answers to one path. */
    TestSite header(String path, String name, String value) {
        extraHeaders.computeIfAbsent(path, p -> new CopyOnWriteArrayList<>()).add(new String[] {name, value});
        return this;
    }

    /** Answers 401 (with a Basic challenge) to any request without these credentials. */
    TestSite requireBasic(String user, String password) {
        authorization = "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** Every answer so far, as {@code METHOD STATUS PATH} ({@code GET 304 /a.html}), in order. */
    List<String> answers() {
        return List.copyOf(answers);
    }

    /** Requests so far for paths that start with the prefix. */
    long requestsUnder(String prefix) {
        return requests.stream().filter(path -> path.startsWith(prefix)).count();
    }

    int maxInFlight() {
        return maxInFlight.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try (exchange) {
            // Done before the exchange closes: closing sends the last bytes, and the client's next
            // request may come in before a decrement after it, looking like one too many at once.
            try {
                respond(exchange);
            } finally {
                inFlight.decrementAndGet();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void respond(HttpExchange exchange) throws IOException, InterruptedException {
        URI uri = exchange.getRequestURI();
        var key = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        requests.add(key);
        received.add(new Received(key, exchange.getRequestHeaders()));
        Thread.sleep(delay.plus(delays.getOrDefault(key, Duration.ZERO)));
        if (authorization != null && !authorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            answers.add(exchange.getRequestMethod() + " 401 " + key);
            exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"test\"");
            exchange.sendResponseHeaders(401, -1);
            return;
        }
        for (var field : extraHeaders.getOrDefault(key, List.of())) {
            exchange.getResponseHeaders().add(field[0], field[1]);
        }
        if (drips.containsKey(key)) {
            exchange.sendResponseHeaders(drips.get(key), 0);
            while (true) {
                exchange.getResponseBody().write('#');
                exchange.getResponseBody().flush();
                Thread.sleep(50);
            }
        }
        var resource = resources.getOrDefault(key, fallback.apply(key));
        if (resource.status() == 200 && unchanged(exchange, resource)) {
            answers.add(exchange.getRequestMethod() + " 304 " + key);
            exchange.getResponseHeaders().set("ETag", resource.etag());
            exchange.sendResponseHeaders(304, -1);
            return;
        }
        answers.add(exchange.getRequestMethod() + " " + resource.status() + " " + key);
        if (resource.status() == 200) {
            exchange.getResponseHeaders().set("Last-Modified", DateTimeFormatter.RFC_1123_DATE_TIME.format(resource.modified().atZone(ZoneOffset.UTC)));
            exchange.getResponseHeaders().set("ETag", resource.etag());
        }
        exchange.getResponseHeaders().set("Content-Type", resource.type());
        if (resource.location() != null) {
            exchange.getResponseHeaders().set("Location", resource.location());
        }
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(resource.status(), resource.body().length == 0 || head ? -1 : resource.body().length);
        if (!head) {
            exchange.getResponseBody().write(resource.body());
        }
    }

    /** RFC 9110: If-None-Match decides when there is one, else If-Modified-Since. */
    private static boolean unchanged(HttpExchange exchange, Resource resource) {
        var match = exchange.getRequestHeaders().getFirst("If-None-Match");
        if (match != null) {
            return match.contains(resource.etag());
        }
        var since = exchange.getRequestHeaders().getFirst("If-Modified-Since");
        try {
            return since != null && !resource.modified().isAfter(ZonedDateTime.parse(since, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
