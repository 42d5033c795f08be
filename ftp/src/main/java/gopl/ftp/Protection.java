package gopl.ftp;

import gopl.common.GoDuration;
import gopl.common.Tls;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.ByteChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Explicit FTPS (RFC 4217) for one session: {@code AUTH TLS} turns the control connection into
 * TLS, then {@code PBSZ 0} and {@code PROT P} protect the data connections too; the server is the
 * TLS server on every connection, passive or active.
 *
 * <p><b>Session reuse.</b> Whoever reaches a passive port first gets the data, so a data
 * connection must prove it comes from the client of the control connection. As vsftpd's
 * {@code require_ssl_reuse} does, it must resume the control connection's TLS session, which only
 * that client holds the keys to. JSSE has no "was this resumed?" call, but every way it resumes
 * (the same session object for a TLS 1.2 session ID; a copy for a TLS 1.3 PSK; a session rebuilt
 * from a stateless ticket, 1.2 or 1.3) keeps the original session's creation time and the peer
 * address and port it was first made for. A full handshake makes a session with the data
 * connection's own port and a creation time later than the control session's (the handshake
 * starts only once the clock has moved past it). So the data session must match the control
 * session in all three; a client from another address, or one with a session of its own, cannot.
 */
final class Protection {
    private static final Logger log = LoggerFactory.getLogger(Protection.class);

    /** The server's TLS: its certificate, and what it insists on. */
    record Policy(SSLContext context, boolean required, boolean reuseRequired) {
        /** A socket speaking TLS as the server over {@code raw}, for a client at {@code client}, handshaken. */
        SSLSocket accept(Socket raw, InetAddress client) throws IOException {
            // Layered with the client's address and port: they become part of the session (see above).
            var tls = (SSLSocket) context.getSocketFactory().createSocket(raw, client.getHostAddress(), raw.getPort(), true);
            tls.setUseClientMode(false);
            tls.setSSLParameters(Tls.parameters(context));
            tls.startHandshake();
            return tls;
        }

        /**
         * For implicit FTPS: {@link #accept}, once the client's first byte shows it speaks TLS. A
         * TLS client sends its hello at once; a plain FTP client sends nothing (it waits for our
         * greeting) or a command, and is told so by {@link NotTls} rather than by a handshake
         * that fails after the login timeout.
         */
        SSLSocket acceptImplicit(Socket raw, InetAddress client, Duration helloWait) throws IOException {
            int timeout = raw.getSoTimeout();
            int first;
            raw.setSoTimeout((int) Math.min(helloWait.toMillis(), timeout == 0 ? Integer.MAX_VALUE : timeout));
            try {
                first = raw.getInputStream().read();
            } catch (SocketTimeoutException e) {
                throw new NotTls("sent no TLS hello in " + GoDuration.format(helloWait) + " (a plain FTP client waiting for a greeting?)");
            } finally {
                raw.setSoTimeout(timeout);
            }
            if (first < 0) {
                throw new EOFException("the client closed the connection before the TLS handshake");
            }
            if (first != HANDSHAKE_RECORD) {
                throw new NotTls("spoke plain text, not TLS");
            }
            // Layered with the byte read handed back; the session gets the client's address and port, as in accept.
            var tls = (SSLSocket) context.getSocketFactory().createSocket(raw, new ByteArrayInputStream(new byte[] {(byte) first}), true);
            tls.setSSLParameters(Tls.parameters(context));
            tls.startHandshake();
            return tls;
        }
    }

    /** The first TLS record of every client is a handshake record (its hello). */
    private static final int HANDSHAKE_RECORD = 22;

    /** A client on the implicit FTPS port that does not speak TLS. */
    static final class NotTls extends IOException {
        NotTls(String message) {
            super(message);
        }
    }

    /** A data connection that did not resume the control connection's session. */
    static final class NotResumed extends IOException {
        NotResumed() {
            super("TLS session reuse required: the data connection must resume the control connection's session");
        }
    }

    private final Policy policy; // null: this server has no TLS
    private SSLSession control; // once AUTH TLS succeeded
    private boolean sizeSet; // PBSZ 0 came
    private boolean privateData; // PROT P

    Protection(Policy policy) {
        this.policy = policy;
    }

    /** Whether the server has TLS at all. */
    boolean available() {
        return policy != null;
    }

    Policy policy() {
        return policy;
    }

    /** Whether the control connection speaks TLS. */
    boolean active() {
        return control != null;
    }

    /** The control connection now speaks TLS in this session. */
    void started(SSLSession session) {
        control = session;
        sizeSet = false;
        privateData = false;
    }

    /** For implicit FTPS: the control connection began in TLS, and data is protected unless PROT C says otherwise. */
    void startedImplicitly(SSLSession session) {
        control = session;
        sizeSet = true;
        privateData = true;
    }

    /** PBSZ: only 0 makes sense for TLS (RFC 4217 section 8); a larger size is answered with PBSZ=0. */
    Reply.Code pbsz(String arg) {
        if (!active()) {
            return new Reply.Code(503, "PBSZ needs AUTH TLS first.");
        }
        sizeSet = true;
        return arg.strip().equals("0") ? new Reply.Code(200, "PBSZ=0") : new Reply.Code(200, "PBSZ=0 (the only size for TLS).");
    }

    /** PROT C or P; S and E are Kerberos levels TLS does not have. */
    Reply.Code prot(String arg) {
        if (!sizeSet) {
            return new Reply.Code(503, "PROT needs PBSZ first.");
        }
        return switch (arg.strip().toUpperCase(Locale.ROOT)) {
            case "P" -> {
                privateData = true;
                yield new Reply.Code(200, "Data connections will be protected (PROT P).");
            }
            case "C" -> {
                privateData = false;
                yield new Reply.Code(200, "Data connections will be clear (PROT C).");
            }
            case "S", "E" -> new Reply.Code(536, "PROT " + arg.strip() + " is not supported with TLS: use P or C.");
            default -> new Reply.Code(504, "PROT takes C or P.");
        };
    }

    /** Why a data transfer may not start now, or null: with --require-tls, data goes only under PROT P. */
    Reply.Code dataRefusal() {
        if (policy != null && policy.required() && !privateData) {
            return new Reply.Code(521, "Data connections must be protected: send PBSZ 0 and PROT P first.");
        }
        return null;
    }

    /** {@code TLS 1.3, PROT P} for STAT; null when the control connection is clear. */
    String describe() {
        return control == null ? null : control.getProtocol() + " (" + control.getCipherSuite() + "), PROT " + (privateData ? "P" : "C");
    }

    /**
     * The data connection as the transfer is to use it: as it is under PROT C, else TLS, handshaken
     * and checked to resume the control connection's session (unless --no-require-tls-reuse).
     *
     * @throws NotResumed if it did not resume the control connection's session
     */
    ByteChannel protect(SocketChannel channel, InetAddress client) throws IOException {
        if (!privateData || control == null) {
            return channel;
        }
        awaitClockPast(control.getCreationTime());
        var tls = policy.accept(channel.socket(), client);
        if (policy.reuseRequired() && !resumes(tls.getSession())) {
            log.debug("a TLS data connection from {} did not resume the control session: its session {} against {}",
                    client.getHostAddress(), describe(tls.getSession()), describe(control));
            tls.close();
            throw new NotResumed();
        }
        return new TlsChannel(tls);
    }

    /** Whether {@code data} was resumed from the control connection's session (see the class comment). */
    private boolean resumes(SSLSession data) {
        return data.getCreationTime() == control.getCreationTime()
                && Objects.equals(data.getPeerHost(), control.getPeerHost())
                && data.getPeerPort() == control.getPeerPort();
    }

    private static String describe(SSLSession session) {
        return "(made " + session.getCreationTime() + " for port " + session.getPeerPort() + ")";
    }

    /** Waits (a millisecond at most) until a session made now would be younger than one made at {@code millis}. */
    private static void awaitClockPast(long millis) throws IOException {
        while (System.currentTimeMillis() <= millis) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted before a TLS handshake");
            }
        }
    }
}
