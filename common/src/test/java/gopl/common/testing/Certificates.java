package gopl.common.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Throwaway certificates for TLS tests, made when the test runs with the JDK's own keytool (no
 * key is ever committed): a self-signed certificate for {@code localhost} and {@code 127.0.0.1},
 * written as the PEM files openssl and certbot write ({@code cert.pem}, a PKCS#8 {@code key.pem}).
 */
public final class Certificates {
    /** Where the two PEM files are. */
    public record Pair(Path certificate, Path key) {}

    private static final String PASSWORD = "throwaway";

    private Certificates() {}

    /**
     * A self-signed certificate and its key in {@code dir}, named {@code NAME.crt.pem} and
     * {@code NAME.key.pem}.
     *
     * @param keyAlgorithm {@code EC} or {@code RSA}
     */
    public static Pair selfSigned(Path dir, String name, String keyAlgorithm) {
        var store = dir.resolve(name + ".p12");
        keytool("-genkeypair", "-alias", name, "-keyalg", keyAlgorithm,
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD);
        try (InputStream in = Files.newInputStream(store)) {
            var keys = KeyStore.getInstance("PKCS12");
            keys.load(in, PASSWORD.toCharArray());
            var pair = new Pair(dir.resolve(name + ".crt.pem"), dir.resolve(name + ".key.pem"));
            Files.writeString(pair.certificate(), pem("CERTIFICATE", keys.getCertificate(name).getEncoded()));
            var key = (PrivateKey) keys.getKey(name, PASSWORD.toCharArray());
            Files.writeString(pair.key(), pem("PRIVATE KEY", key.getEncoded()));
            Files.delete(store);
            return pair;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A self-signed certificate and its key in a PKCS#12 keystore {@code dir/NAME.p12}, the store
     * and the key both protected by {@code password}, as {@code openssl pkcs12 -export} writes one.
     */
    public static Path keystore(Path dir, String name, String keyAlgorithm, String password) {
        var store = dir.resolve(name + ".p12");
        keytool("-genkeypair", "-alias", name, "-keyalg", keyAlgorithm,
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", password, "-keypass", password);
        return store;
    }

    /** DER bytes as a PEM block. */
    public static String pem(String type, byte[] der) {
        var body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    private static void keytool(String... args) {
        var command = new ArrayList<String>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        try {
            var process = new ProcessBuilder(command).redirectErrorStream(true).start();
            var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
