package gopl.common;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code -port}/{@code --port} and {@code -host}/{@code --host} for every server, mixed in with
 * {@code @Mixin ListenOptions listen = new ListenOptions(8000);} (picocli keeps that instance, so
 * each server chooses its default port). Servers listen on localhost unless told otherwise.
 */
public final class ListenOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = {"-port", "--port"}, paramLabel = "PORT", description = "Port to listen on (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = {"-host", "--host"}, paramLabel = "HOST", description = "Address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
    String host = "localhost";

    public ListenOptions(int defaultPort) {
        this.port = defaultPort;
    }

    public String host() {
        return host;
    }

    /** The port to listen on, 0 to 65535; anything else is a usage error (exit 2). */
    public int port() {
        if (port < 0 || port > 65535) {
            throw new ParameterException(mixee.commandLine(), "port " + port + " is out of range (0-65535)");
        }
        return port;
    }
}
