package gopl.fetch;

import java.security.KeyManagementException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.function.Supplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * TLS for the {@code HttpClient}, set up on the first https connection instead of when the client
 * is built. {@code HttpClient.build()} asks for {@code SSLContext.getDefault()} and its default
 * parameters at once, and making the default context reads and parses the CA certificates: with
 * the AOT cache, that was more than half of {@code fetch http://...}'s run (measured in the
 * root README.md, Start-up). This context is a stand-in whose every use goes to the real one,
 * made on first use; a run that never speaks TLS never makes it, and an http URL redirected to an
 * https one gets the same TLS as before.
 */
final class DeferredTls extends SSLContextSpi {
    /**
     * What the client offers in each handshake, as the default context would: the protocols it
     * enables for a client ({@code jdk.tls.client.protocols}, else TLS 1.3 and 1.2). The client
     * copies these when it is built, so they cannot come from the real context, and it offers
     * HTTP/2 over TLS only when they include TLS 1.2 or 1.3. No cipher suites: left unset, each
     * engine keeps the real context's enabled ones, as with the default parameters.
     */
    static SSLParameters parameters() {
        var configured = System.getProperty("jdk.tls.client.protocols", "").strip();
        var protocols = configured.isEmpty() ? new String[] {"TLSv1.3", "TLSv1.2"} : configured.split("\\s*,\\s*");
        var parameters = new SSLParameters();
        parameters.setProtocols(protocols);
        return parameters;
    }

    /** A context that becomes {@code SSLContext.getDefault()} on first use. */
    static SSLContext context() {
        return context(() -> {
            try {
                return SSLContext.getDefault();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("no TLS in this Java runtime: " + e.getMessage(), e);
            }
        });
    }

    /** A context that becomes {@code real.get()} on first use; for tests, a context trusting their server. */
    static SSLContext context(Supplier<SSLContext> real) {
        return new SSLContext(new DeferredTls(real), null, "Default") {};
    }

    private final Supplier<SSLContext> factory;
    private volatile SSLContext real;

    private DeferredTls(Supplier<SSLContext> factory) {
        this.factory = factory;
    }

    private SSLContext real() {
        var context = real;
        if (context == null) {
            synchronized (this) {
                if (real == null) {
                    real = factory.get();
                }
                context = real;
            }
        }
        return context;
    }

    @Override
    protected void engineInit(KeyManager[] keys, TrustManager[] trust, SecureRandom random) throws KeyManagementException {
        throw new KeyManagementException("a deferred default context cannot be initialised again");
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
        return real().createSSLEngine();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
        return real().createSSLEngine(host, port);
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
        return real().getSocketFactory();
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
        return real().getServerSocketFactory();
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
        return real().getServerSessionContext();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
        return real().getClientSessionContext();
    }

    @Override
    protected SSLParameters engineGetDefaultSSLParameters() {
        return real().getDefaultSSLParameters();
    }

    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
        return real().getSupportedSSLParameters();
    }
}
