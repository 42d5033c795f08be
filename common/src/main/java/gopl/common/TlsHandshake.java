package gopl.common;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;

/**
 * The TLS side of a server's port: each accepted connection must open with a TLS handshake
 * (TLS 1.2 or 1.3), done on the connection's own thread and bounded in time as a whole, so a
 * client trickling its hello a byte at a time cannot hold a thread for long.
 *
 * <p>The first byte is read before TLS takes over: a TLS client's first byte is always 22, a
 * handshake record (RFC 8446, section 5.1). A client that sends anything else, or nothing at all
 * for a third of the handshake's time (a plain-text chat client waits for the server to speak first) is
 * told in one plain line that the port speaks TLS, and closed. Those refusals and failed handshakes are logged one line for
 * a run of them, as the connection caps are.
 */
final class TlsHandshake {
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int SILENT = -2;
    static final String PLAIN_TEXT = "This port speaks TLS: connect with a TLS client (openssl s_client, ncat --ssl, netcat --ssl).";
    private static final int HANDSHAKE_RECORD = 22;
    private static final int HANDSHAKING = 0;
    private static final int DONE = 1;
    private static final int TIMED_OUT = 2;

    private final SSLContext context;
    private final Logger log;
    private final LogThrottle plainText = new LogThrottle(Duration.ofMinutes(1), "refused");
    private final LogThrottle failures = new LogThrottle(Duration.ofMinutes(1), "failed");
    private final Duration timeout;

    TlsHandshake(SSLContext context, Duration timeout, Logger log) {
        this.context = context;
        this.timeout = timeout;
        this.log = log;
    }

    /**
     * The handshake, then the handler with the TLS socket; a client that does not speak TLS never
     * reaches the handler. The caller closes the socket.
     *
     * @param refusal how a line for the client reads on the wire
     */
    void serve(MeteredSocket socket, UnaryOperator<String> refusal, TcpServer.Handler handler) throws Exception {
        var secure = accept(socket, refusal);
        if (secure == null) {
            return;
        }
        try {
            handler.handle(secure);
        } finally {
            closeNotify(secure, socket);
        }
    }

    /**
     * Ends a TLS connection with a close_notify, as a client expects, unless a write is stuck:
     * the close would wait for it (the caller closes the socket in any case).
     */
    private static void closeNotify(SSLSocket secure, MeteredSocket socket) {
        if (!socket.isClosed() && socket.stuckFor(System.nanoTime()) == 0) {
            try {
                secure.close();
            } catch (IOException e) {
                // Closed in any case.
            }
        }
    }

    /**
     * The connection as TLS, its handshake done; null if the client did not speak TLS or its
     * handshake failed (it was told, or the log says why).
     */
    SSLSocket accept(MeteredSocket socket, UnaryOperator<String> refusal) throws IOException {
        var state = new AtomicInteger(HANDSHAKING);
        CompletableFuture.delayedExecutor(timeout.toNanos(), TimeUnit.NANOSECONDS).execute(() -> {
            if (state.compareAndSet(HANDSHAKING, TIMED_OUT)) {
                socket.drop(); // the whole handshake took too long: its reads fail
            }
        });
        try {
            socket.setSoTimeout((int) Math.max(1, silence().toMillis()));
            int first;
            try {
                first = socket.getInputStream().read();
            } catch (SocketTimeoutException e) {
                first = SILENT;
            }
            if (first != HANDSHAKE_RECORD) {
                refusePlainText(socket, first, refusal);
                return null;
            }
            var consumed = new ByteArrayInputStream(new byte[] {(byte) first});
            var tls = (SSLSocket) context.getSocketFactory().createSocket(socket, consumed, true);
            tls.setUseClientMode(false);
            tls.setSSLParameters(Tls.parameters(context));
            tls.startHandshake();
            tls.setSoTimeout(0);
            return tls;
        } catch (IOException e) {
            var why = state.get() == TIMED_OUT || e instanceof SocketTimeoutException ? "it took longer than " + GoDuration.format(timeout)
                    : e instanceof SSLException tls ? Tls.describe(tls) : Cli.describe(e);
            failures.event(socket.peer() + ": " + why, (detail, more) -> log.warn("TLS handshake failed with {} {}", detail, more));
            return null;
        } finally {
            state.compareAndSet(HANDSHAKING, DONE);
        }
    }

    /**
     * How long a client may say nothing: a TLS client says hello at once, a plain-text one waits
     * for the server. A third of the handshake's time (10 s by default), so that a plain-text
     * client is told soon enough, and a TLS client on a slow link or a busy machine is not.
     */
    private Duration silence() {
        return timeout.dividedBy(3);
    }

    /** Tells a client that spoke plain text, or nothing ({@link #SILENT}) or hung up (-1), where it is. */
    private void refusePlainText(MeteredSocket socket, int first, UnaryOperator<String> refusal) {
        if (first == -1) {
            return; // it hung up: a port scan, or a client that gave up
        }
        var what = first == SILENT ? "sent nothing for " + GoDuration.format(silence()) : "spoke plain text";
        plainText.event(socket.peer() + " " + what, (detail, more) -> log.warn("refusing a connection on the TLS port: {} {}", detail, more));
        try {
            socket.getOutputStream().write(refusal.apply(PLAIN_TEXT).getBytes(UTF_8));
        } catch (IOException e) {
            // Gone already: nothing to tell it.
        }
    }
}
