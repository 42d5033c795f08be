package gopl.netcat;

import gopl.common.Tls;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import picocli.CommandLine.Option;

/**
 * ncat's {@code --ssl} options. Unlike ncat, a client checks the server's certificate by default
 * (against the system's CAs and for the host name), and {@code --ssl-noverify} turns that off.
 * The JDK's TLS classes load only when one of these options is given, so plain runs start as fast.
 */
final class SslOptions {
    @Option(names = "--ssl", description = "Connect or listen with TLS (1.2 or 1.3). A client checks the"
            + " server's certificate against the system's CAs and the host name; see --ssl-noverify.")
    boolean ssl;

    @Option(names = "--ssl-cert", paramLabel = "FILE", description = "With -l: the PEM certificate, followed by"
            + " its chain (certbot's fullchain.pem).")
    Path certificate;

    @Option(names = "--ssl-key", paramLabel = "FILE", description = "With -l: the certificate's PEM private key"
            + " (PKCS#8, or openssl's RSA and EC forms; unencrypted).")
    Path key;

    @Option(names = "--ssl-noverify", description = "Accept any server certificate (ncat's default).")
    boolean noVerify;

    @Option(names = "--ssl-verify", description = "Check the server's certificate: the default; for ncat scripts.")
    boolean verify;

    @Option(names = "--ssl-trustfile", paramLabel = "FILE", description = "Trust the CAs (or server"
            + " certificates) in this PEM file instead of the system's.")
    Path trustFile;

    @Option(names = "--ssl-servername", paramLabel = "NAME", description = "The server name to send (SNI) and"
            + " to expect in its certificate, when it is not the HOST connected to.")
    String serverName;

    /** Any of the options asks for TLS, as ncat's --ssl-verify does. */
    boolean enabled() {
        return ssl || certificate != null || key != null || noVerify || verify || trustFile != null
                || serverName != null;
    }

    /** The option mistakes, as usage errors; null when there are none. */
    String problem(boolean listen, boolean udp, boolean unix) {
        if (!enabled()) {
            return null;
        }
        if (udp || unix) {
            return "--ssl works over TCP only, not with " + (udp ? "-u" : "-U");
        }
        if (noVerify && (verify || trustFile != null)) {
            return "--ssl-noverify turns off the checks that --ssl-verify and --ssl-trustfile ask for";
        }
        if (listen && (certificate == null || key == null)) {
            return "listening with --ssl needs --ssl-cert FILE and --ssl-key FILE";
        }
        if (!listen && (certificate != null || key != null)) {
            return "--ssl-cert and --ssl-key are for listening (-l); client certificates are not supported";
        }
        return null;
    }

    /** Makes the link of an accepted connection: TLS (handshake on first use, or {@link Link#handshake}) or plain. */
    Listener.Wrap server() {
        if (!enabled()) {
            return Link::of;
        }
        var context = Tls.server(certificate, key);
        return accepted -> {
            var tls = (SSLSocket) context.getSocketFactory().createSocket(accepted.socket(), null, true);
            tls.setUseClientMode(false);
            tls.setSSLParameters(Tls.parameters(context));
            return Link.of(tls);
        };
    }

    /**
     * Negotiates TLS over a connected socket, checking the certificate unless --ssl-noverify.
     *
     * @param host the name connected to, which SNI sends and the certificate must name
     */
    Socket client(Socket socket, String host, int port, Duration timeout) throws IOException {
        var name = serverName != null ? serverName : host;
        SSLContext context = noVerify ? Tls.trustingEveryone() : Tls.client(trustFile);
        var tls = (SSLSocket) context.getSocketFactory().createSocket(socket, name, port, true);
        var parameters = Tls.parameters(context);
        if (!noVerify) {
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
        }
        if (!isAddress(name)) {
            parameters.setServerNames(List.of(new SNIHostName(name)));
        }
        tls.setSSLParameters(parameters);
        handshake(tls, timeout);
        return tls;
    }

    /** Completes the handshake now, so a failure is reported before any data moves. */
    static void handshake(Socket socket, Duration timeout) throws IOException {
        if (socket instanceof SSLSocket tls) {
            tls.setSoTimeout(Dialer.millis(timeout));
            tls.startHandshake();
            tls.setSoTimeout(0);
        }
    }

    private static boolean isAddress(String name) {
        try {
            InetAddress.ofLiteral(name);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
