package gopl.ftp;

import gopl.common.IoErrors;
import gopl.common.Tls;
import gopl.common.ToolException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The FTPS options: the certificate (PEM files as certbot writes them, or a PKCS#12 keystore whose
 * password comes from a file or {@code $FTP_KEYSTORE_PASSWORD}, never the command line), and what
 * the server insists on.
 */
final class TlsOptions {
    /** Where the keystore's password comes from when no --keystore-password-file is given. */
    static final String KEYSTORE_PASSWORD_ENV = "FTP_KEYSTORE_PASSWORD";

    @Option(names = {"-tls-cert", "--tls-cert"}, paramLabel = "FILE",
            description = "Certificate chain (PEM, the server's own first: certbot's fullchain.pem) for explicit FTPS (AUTH TLS).")
    Path certificate;

    @Option(names = {"-tls-key", "--tls-key"}, paramLabel = "FILE", description = "The certificate's private key (PEM: certbot's privkey.pem).")
    Path key;

    @Option(names = {"-keystore", "--keystore"}, paramLabel = "FILE", description = "Certificate and key in a PKCS#12 keystore, instead of the PEM files.")
    Path keystore;

    @Option(names = {"-keystore-password-file", "--keystore-password-file"}, paramLabel = "FILE",
            description = "The keystore's password, the first line of FILE (default: $" + KEYSTORE_PASSWORD_ENV + ", else none).")
    Path keystorePasswordFile;

    @Option(names = {"-require-tls", "--require-tls"},
            description = "Refuse USER before AUTH TLS, and data transfers without PBSZ 0 and PROT P.")
    boolean required;

    @Option(names = {"-no-require-tls-reuse", "--no-require-tls-reuse"},
            description = "Accept TLS data connections that do not resume the control connection's TLS session (clients that cannot).")
    boolean reuseOptional;

    @Option(names = {"-implicit-tls-port", "--implicit-tls-port"}, paramLabel = "PORT",
            description = "Also listen for implicit FTPS (TLS from the first byte, data protected) on PORT (990 is the usual one).")
    Integer implicitPort;

    /** The server's TLS, or null when none is configured; checks the options go together. */
    Protection.Policy policy(CommandSpec spec) {
        boolean pem = certificate != null || key != null;
        if (pem && keystore != null) {
            throw new ParameterException(spec.commandLine(), "use either --tls-cert and --tls-key, or --keystore");
        }
        if (pem && (certificate == null || key == null)) {
            throw new ParameterException(spec.commandLine(), certificate == null ? "--tls-key needs --tls-cert" : "--tls-cert needs --tls-key");
        }
        if (!pem && keystore == null) {
            var needy = required ? "--require-tls" : implicitPort != null ? "--implicit-tls-port"
                    : keystorePasswordFile != null ? "--keystore-password-file" : reuseOptional ? "--no-require-tls-reuse" : null;
            if (needy != null) {
                throw new ParameterException(spec.commandLine(), needy + " needs --tls-cert and --tls-key, or --keystore");
            }
            return null;
        }
        if (implicitPort != null && (implicitPort < 0 || implicitPort > 65535)) {
            throw new ParameterException(spec.commandLine(), "--implicit-tls-port must be 0 to 65535");
        }
        var context = pem ? Tls.server(certificate, key) : Tls.server(keystore, keystorePassword());
        return new Protection.Policy(context, required, !reuseOptional);
    }

    /** The implicit FTPS port, or -1 for none. */
    int implicitPort() {
        return implicitPort == null ? -1 : implicitPort;
    }

    private char[] keystorePassword() {
        if (keystorePasswordFile != null) {
            return readSecret(keystorePasswordFile, "keystore password file").toCharArray();
        }
        var fromEnvironment = System.getenv(KEYSTORE_PASSWORD_ENV);
        return fromEnvironment == null ? new char[0] : fromEnvironment.toCharArray();
    }

    /** The first line of a file holding a secret (a password), which must not be empty. */
    static String readSecret(Path file, String what) {
        try {
            var lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.isEmpty() || lines.getFirst().isEmpty()) {
                throw new ToolException(what + " " + file + " is empty");
            }
            return lines.getFirst();
        } catch (NoSuchFileException e) {
            throw new ToolException("cannot read " + what + " " + file + ": no such file");
        } catch (IOException e) {
            throw new ToolException("cannot read " + what + " " + file + ": " + IoErrors.reason(e));
        }
    }
}
