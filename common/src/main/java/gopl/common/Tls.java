package gopl.common;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.util.Collections;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * TLS for the tools' servers and clients: contexts from the PEM files openssl and certbot write
 * ({@code --tls-cert}/{@code --tls-key}, netcat's {@code --ssl-cert}/{@code --ssl-key}), TLS 1.2
 * and 1.3 only, and handshake failures described in one line. Failures to load are a
 * {@link ToolException} naming the file.
 */
public final class Tls {
    /** The only protocol versions offered or accepted. */
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    /** Where OpenSSL (and so curl, ncat, openssl s_client) finds the system's CAs on Debian; SSL_CERT_FILE overrides. */
    private static final Path SYSTEM_CAS = Path.of("/etc/ssl/certs/ca-certificates.crt");

    private Tls() {}

    /**
     * A server context from a PEM certificate chain (the server's certificate first) and its PEM
     * private key, checked to belong together.
     */
    public static SSLContext server(Path certificateChain, Path privateKey) {
        var chain = Pem.readCertificates(certificateChain);
        var key = Pem.readPrivateKey(privateKey);
        if (!matches(key, chain.getFirst().getPublicKey())) {
            throw new ToolException(privateKey + " is not the key of the certificate in " + certificateChain);
        }
        try {
            var store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", key, new char[0], chain.toArray(Certificate[]::new));
            return serverContext(store, new char[0]);
        } catch (GeneralSecurityException | IOException e) {
            throw new ToolException("cannot use " + certificateChain + " and " + privateKey + ": " + e.getMessage(), e);
        }
    }

    /**
     * A server context from a PKCS#12 keystore ({@code openssl pkcs12 -export}, {@code keytool
     * -storetype PKCS12}) holding the server's key and certificate chain, with the one password
     * of the store and its key. The password comes from a file or the environment, never argv.
     */
    public static SSLContext server(Path keystore, char[] password) {
        KeyStore store;
        try (var in = Files.newInputStream(keystore)) {
            store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
        } catch (NoSuchFileException e) {
            throw new ToolException("cannot read keystore " + keystore + ": no such file", e);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException || String.valueOf(e.getMessage()).contains("password")) {
                throw new ToolException(keystore + ": wrong keystore password", e);
            }
            throw new ToolException("cannot read keystore " + keystore + ": " + Cli.describe(e)
                    + " (is it a PKCS#12 file?)", e);
        } catch (GeneralSecurityException e) {
            throw new ToolException("cannot read keystore " + keystore + ": " + e.getMessage(), e);
        }
        try {
            if (Collections.list(store.aliases()).stream().noneMatch(alias -> isKey(store, alias))) {
                throw new ToolException(keystore + " has no private key (a keystore of certificates only?)");
            }
            return serverContext(store, password);
        } catch (GeneralSecurityException e) {
            throw new ToolException("cannot use keystore " + keystore + ": " + e.getMessage(), e);
        }
    }

    private static boolean isKey(KeyStore store, String alias) {
        try {
            return store.isKeyEntry(alias);
        } catch (KeyStoreException e) {
            return false;
        }
    }

    private static SSLContext serverContext(KeyStore store, char[] password) throws GeneralSecurityException {
        var keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        var context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    /**
     * A client context that trusts the CAs in {@code trustFile} (PEM), or with null the system's:
     * {@code $SSL_CERT_FILE} or Debian's bundle as OpenSSL uses them, else the JDK's cacerts.
     */
    public static SSLContext client(Path trustFile) {
        try {
            var factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            var file = trustFile != null ? trustFile : systemCas();
            factory.init(file == null ? null : trustStore(file));
            return context(factory.getTrustManagers());
        } catch (GeneralSecurityException | IOException e) {
            throw new ToolException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** A client context that accepts any certificate for any name: for ncat's {@code --ssl} without verification. */
    public static SSLContext trustingEveryone() {
        try {
            return context(new TrustManager[] {new TrustEveryone()});
        } catch (GeneralSecurityException e) {
            throw new ToolException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** The context's defaults limited to TLS 1.2 and 1.3; set them on every socket or engine. */
    public static SSLParameters parameters(SSLContext context) {
        var parameters = context.getDefaultSSLParameters();
        parameters.setProtocols(PROTOCOLS);
        return parameters;
    }

    /**
     * What went wrong in a handshake, in words for the user: {@code the peer does not speak TLS
     * (plain text?)}, {@code certificate not trusted}, {@code certificate is not for HOST}.
     */
    public static String describe(SSLException e) {
        var message = String.valueOf(e.getMessage());
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof CertificateExpiredException) {
                return "certificate expired";
            }
        }
        if (message.contains("Unsupported or unrecognized SSL message")) {
            return "the peer does not speak TLS (plain text?)";
        }
        if (message.contains("PKIX path") || message.contains("unable to find valid certification path")) {
            return "certificate not trusted (issued by an unknown CA, or self-signed)";
        }
        if (message.contains("No subject alternative") || message.contains("No name matching")) {
            return "certificate is not for this host name (" + message.replaceFirst(".*?: ", "") + ")";
        }
        if (message.contains("Remote host terminated the handshake") || message.contains("closed")) {
            return "the peer closed the connection during the TLS handshake";
        }
        if (message.contains("protocol_version") || message.contains("protocol version")
                || message.contains("No appropriate protocol")) {
            return "no TLS version in common (TLS 1.2 or newer is required)";
        }
        return message.replaceFirst("^Received fatal alert: ", "the peer refused the handshake: ");
    }

    private static SSLContext context(TrustManager[] trust) throws GeneralSecurityException {
        var context = SSLContext.getInstance("TLS");
        context.init(null, trust, null);
        return context;
    }

    private static Path systemCas() {
        var fromEnvironment = System.getenv("SSL_CERT_FILE");
        if (fromEnvironment != null && Files.isRegularFile(Path.of(fromEnvironment))) {
            return Path.of(fromEnvironment);
        }
        return Files.isRegularFile(SYSTEM_CAS) ? SYSTEM_CAS : null;
    }

    private static KeyStore trustStore(Path file) throws GeneralSecurityException, IOException {
        var store = KeyStore.getInstance("PKCS12");
        store.load((InputStream) null, null);
        int n = 0;
        for (var certificate : Pem.readCertificates(file)) {
            store.setCertificateEntry("ca-" + n++, certificate);
        }
        return store;
    }

    /** Whether the private key is the one the public key belongs to. */
    private static boolean matches(PrivateKey key, PublicKey certified) {
        if (key instanceof RSAKey rsa && certified instanceof RSAKey certifiedRsa) {
            return rsa.getModulus().equals(certifiedRsa.getModulus());
        }
        if (!key.getAlgorithm().equals(certified.getAlgorithm())
                && !(key.getAlgorithm().startsWith("Ed") && certified.getAlgorithm().startsWith("Ed"))) {
            return false;
        }
        try {
            var algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : key.getAlgorithm();
            byte[] probe = "is this key the certificate's?".getBytes(StandardCharsets.US_ASCII);
            var signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            var verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certified);
            verifier.update(probe);
            return verifier.verify(signer.sign());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** Checks nothing: an extended trust manager, so the JDK adds no host name check of its own either. */
    private static final class TrustEveryone extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
