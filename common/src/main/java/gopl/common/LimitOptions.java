package gopl.common;

import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * What one client may take of a server: {@code --max-connections}, {@code --max-per-ip} and
 * {@code --write-timeout}, mixed in with {@code @Mixin LimitOptions limits;} and applied with
 * {@code limits.apply(tcpServer)}. The defaults let 10,000 clients in (what the servers are
 * measured with) but no more than 64 from one address, so one host cannot fill the server.
 */
public final class LimitOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = {"-max-connections", "--max-connections"}, paramLabel = "N",
            description = "Most clients connected at once; more are refused with one line (default: ${DEFAULT-VALUE}; 0: no cap).")
    int maxConnections = 10_000;

    @Option(names = {"-max-per-ip", "--max-per-ip"}, paramLabel = "N",
            description = "Most connections from one IP address, or one IPv6 /64 (default: ${DEFAULT-VALUE}; 0: no cap).")
    int maxPerIp = 64;

    @Option(names = {"-write-timeout", "--write-timeout"}, paramLabel = "D", converter = GoDuration.class,
            description = "Drop a client that takes none of what is sent to it for D (default: 30s; 0: never).")
    Duration writeTimeout = Duration.ofSeconds(30);

    public int maxConnections() {
        return atLeastZero(maxConnections, "--max-connections");
    }

    public int maxPerIp() {
        return atLeastZero(maxPerIp, "--max-per-ip");
    }

    public Duration writeTimeout() {
        return writeTimeout;
    }

    /** Sets the caps and the write timeout on the server, before it serves; returns the server. */
    public TcpServer apply(TcpServer server) {
        return server.limit(maxConnections(), maxPerIp()).writeTimeout(writeTimeout);
    }

    private int atLeastZero(int value, String option) {
        if (value < 0) {
            throw new ParameterException(mixee.commandLine(), option + " cannot be negative (0: no cap)");
        }
        return value;
    }
}
