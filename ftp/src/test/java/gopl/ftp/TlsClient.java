package gopl.ftp;

import gopl.common.Tls;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

/**
 * A TLS client for FTPS data connections that resumes the control connection's session, as curl
 * and lftp do. JSSE resumes a client session by the peer's host and port, and an SSLSocket's port
 * is always the one it is connected to; an SSLEngine's is the one it is made for. So this drives
 * an engine made for the control connection's host and port over the data socket, by hand.
 */
final class TlsClient implements AutoCloseable {
    private final Socket tcp;
    private final InputStream in;
    private final OutputStream out;
    private final SSLEngine engine;
    private final ByteBuffer netIn;
    private final ByteBuffer netOut;
    private final ByteBuffer appIn;
    private boolean inboundDone;

    private TlsClient(Socket tcp, SSLEngine engine) throws IOException {
        this.tcp = tcp;
        this.in = tcp.getInputStream();
        this.out = tcp.getOutputStream();
        this.engine = engine;
        var session = engine.getSession();
        this.netIn = ByteBuffer.allocate(session.getPacketBufferSize());
        this.netOut = ByteBuffer.allocate(session.getPacketBufferSize());
        this.appIn = ByteBuffer.allocate(session.getApplicationBufferSize());
    }

    /** A handshaken client over {@code tcp} that resumes what {@code context} holds for {@code host:port}, if anything. */
    static TlsClient connect(SSLContext context, Socket tcp, String host, int port) throws IOException {
        var engine = context.createSSLEngine(host, port);
        engine.setUseClientMode(true);
        engine.setSSLParameters(Tls.parameters(context));
        var client = new TlsClient(tcp, engine);
        try {
            engine.beginHandshake();
            client.handshake();
        } catch (IOException | RuntimeException e) {
            tcp.close();
            throw e;
        }
        return client;
    }

    SSLSession session() {
        return engine.getSession();
    }

    private void handshake() throws IOException {
        while (true) {
            switch (engine.getHandshakeStatus()) {
                case NEED_WRAP -> wrap(ByteBuffer.allocate(0));
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (unwrap() == null) {
                        throw new SSLException("the server closed the connection during the handshake");
                    }
                }
                case NEED_TASK -> {
                    for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
                        task.run();
                    }
                }
                default -> {
                    return;
                }
            }
        }
    }

    private void wrap(ByteBuffer app) throws IOException {
        do {
            netOut.clear();
            engine.wrap(app, netOut);
            out.write(netOut.array(), 0, netOut.position());
        } while (app.hasRemaining());
        out.flush();
    }

    /** Unwraps one record into appIn, reading from the socket as needed; null at end of stream. */
    private SSLEngineResult unwrap() throws IOException {
        while (true) {
            netIn.flip();
            var result = engine.unwrap(netIn, appIn);
            netIn.compact();
            if (result.getStatus() != SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                return result;
            }
            int n = in.read(netIn.array(), netIn.position(), netIn.remaining());
            if (n < 0) {
                return null;
            }
            netIn.position(netIn.position() + n);
        }
    }

    /** Everything the server sends until its close_notify (or end of stream). */
    byte[] readAll() throws IOException {
        var all = new ByteArrayOutputStream();
        while (!inboundDone) {
            var result = unwrap();
            appIn.flip();
            all.write(appIn.array(), 0, appIn.limit());
            appIn.clear();
            inboundDone = result == null || result.getStatus() == SSLEngineResult.Status.CLOSED;
            if (result != null && result.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                wrap(ByteBuffer.allocate(0)); // a post-handshake message to answer
            }
        }
        return all.toByteArray();
    }

    void write(byte[] bytes) throws IOException {
        wrap(ByteBuffer.wrap(bytes));
    }

    /**
     * Sends close_notify, which ends an upload, then reads what is left until the server hangs up,
     * as curl does: closing a socket with unread bytes (the server's session ticket, sent after the
     * handshake) would reset the connection and drop the upload's last bytes still in flight. JSSE
     * uses a TLS 1.3 ticket once, so the ticket read here is what the next connection resumes with.
     */
    @Override
    public void close() throws IOException {
        try (tcp) {
            engine.closeOutbound();
            wrap(ByteBuffer.allocate(0));
            tcp.shutdownOutput();
            while (!inboundDone) { // through the engine: a ticket in there is kept for the next connection
                var result = unwrap();
                appIn.clear();
                inboundDone = result == null || result.getStatus() == SSLEngineResult.Status.CLOSED;
            }
        } catch (IOException e) {
            // the server hung up first
        }
    }
}
