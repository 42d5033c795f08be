package gopl.common;

import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --tls-cert FILE --tls-key FILE} for a server, in the PEM files openssl and certbot
 * write, mixed in with {@code @Mixin TlsOptions tls;}. {@link #context()} loads them, or says in
 * one line what is wrong with them.
 */
public final class TlsOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = {"-tls-cert", "--tls-cert"}, paramLabel = "FILE",
            description = "Speak TLS (1.2 or 1.3) with this PEM certificate, followed by its chain (certbot's fullchain.pem).")
    Path certificate;

    @Option(names = {"-tls-key", "--tls-key"}, paramLabel = "FILE",
            description = "The certificate's PEM private key, unencrypted (certbot's privkey.pem).")
    Path key;

    /** Whether TLS was asked for. */
    public boolean enabled() {
        return certificate != null || key != null;
    }

    /**
     * The server's TLS context; null if TLS was not asked for.
     *
     * @throws ParameterException if only one of the two files is given
     * @throws ToolException if a file cannot be read, is not what it should be, or the key is not the certificate's
     */
    public SSLContext context() {
        if (!enabled()) {
            return null;
        }
        if (certificate == null || key == null) {
            throw new ParameterException(mixee.commandLine(), "--tls-cert and --tls-key go together: give both");
        }
        return Tls.server(certificate, key);
    }
}
