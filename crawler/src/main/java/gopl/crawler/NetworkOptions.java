package gopl.crawler;

import gopl.common.Proxies;
import gopl.common.ToolException;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * How crawler and mirror reach the sites: through the proxies the environment names
 * ({@code http_proxy}, {@code https_proxy}, {@code all_proxy}, {@code no_proxy}, read as curl
 * reads them), or none with wget's {@code --no-proxy}; and whether to ask for compressed bodies
 * (wget's {@code --compression}). A picocli mixin, applied to an engine with {@link #applyTo}.
 */
public final class NetworkOptions {
    /** wget's --compression values: auto and gzip both ask for gzip and deflate. */
    public enum Compression { auto, gzip, none }

    @Option(names = "--no-proxy", description = "Connect directly, whatever http_proxy, https_proxy and all_proxy say, as wget --no-proxy.")
    boolean noProxy;

    @Option(names = "--compression", paramLabel = "TYPE",
            description = "auto (default) or gzip: ask for gzip and deflate bodies and decode them, the size cap counting "
                    + "the decoded bytes; none: ask for the bodies as they are, as wget.")
    Compression compression = Compression.auto;

    private Map<String, String> environment = System.getenv();

    /** The environment variables to read the proxies from: this process's unless a test says otherwise. */
    public void environment(Map<String, String> environment) {
        this.environment = environment;
    }

    /** Sets these on the engine's builder; a proxy variable that is not an http URL is a run-time error. */
    public Crawler.Builder applyTo(Crawler.Builder builder) {
        try {
            builder.proxies(noProxy ? Proxies.NONE : Proxies.of(environment));
        } catch (IllegalArgumentException e) {
            throw new ToolException(e.getMessage() + " (--no-proxy to connect directly)");
        }
        return builder.compression(compression != Compression.none);
    }
}
