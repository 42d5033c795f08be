package gopl.fetch;

import gopl.common.http.Connections;
import gopl.common.http.Headers;
import java.io.Closeable;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;

/**
 * A response whose body is still on its connection. {@link #close()} gives the connection back:
 * kept alive for the next request if the body was read to its end (or, unread, is short and here
 * already), closed otherwise; so a loser, a redirect or an error page never holds one open.
 */
final class Response implements Closeable {
    private final URI uri;
    private final Connections connections;
    private final Connections.Exchange exchange;
    private final boolean expectBody;
    private InputStream body;

    /** @param expectBody false for the answer to HEAD: it has no body, whatever its Content-Length says */
    Response(URI uri, Connections connections, Connections.Exchange exchange, boolean expectBody) {
        this.uri = uri;
        this.connections = connections;
        this.exchange = exchange;
        this.expectBody = expectBody;
    }

    URI uri() {
        return uri;
    }

    int status() {
        return exchange.head().status();
    }

    Headers headers() {
        return exchange.head().headers();
    }

    /** The body as it comes (not decoded), framed as the head says. */
    InputStream body() {
        if (body == null) {
            body = exchange.connection().body(exchange.head(), expectBody);
        }
        return body;
    }

    /** From now on each read of the body waits at most this long for data, however long the whole body takes. */
    void idleTimeout(Duration timeout) {
        exchange.connection().idleTimeout(timeout);
    }

    @Override
    public void close() {
        if (body == null) {
            exchange.connection().skip(exchange.head(), expectBody);
        }
        connections.release(exchange.connection());
    }
}
