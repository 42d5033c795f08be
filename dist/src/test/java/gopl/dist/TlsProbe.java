package gopl.dist;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Run by ArchiveIT on the archive's own runtime: a TLS handshake with {@code PORT} on loopback,
 * printing the protocol, the cipher suite and the server key's algorithm. It trusts any
 * certificate: the point is that the jlink'd runtime has the JSSE pieces, not the PKI.
 */
public final class TlsProbe {
    private TlsProbe() {}

    public static void main(String[] args) throws Exception {
        var trustAll = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        var context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {trustAll}, new SecureRandom());
        try (var socket = (SSLSocket) context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), Integer.parseInt(args[0]))) {
            socket.setSoTimeout(30_000);
            if (args.length > 1) {
                socket.setEnabledProtocols(new String[] {args[1]});
            }
            socket.startHandshake();
            var session = socket.getSession();
            var key = session.getPeerCertificates()[0].getPublicKey().getAlgorithm();
            System.out.println(session.getProtocol() + " " + session.getCipherSuite() + " " + key);
        }
    }
}
