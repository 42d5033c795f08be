package gopl.common;

import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * {@code --log-level}, {@code -q} and {@code -v} for every server, and {@code --stats}, mixed in
 * with {@code @Mixin LogOptions logging;} and applied with {@code logging.apply(tcpServer)}.
 *
 * <p>The level is set while the command line is parsed: slf4j-simple reads it once, when the
 * first logger is made, so a tool must make no logger before parsing (no static logger in its
 * command class). The level goes into slf4j-simple's system property, and only when an option
 * is given, so {@code -Dorg.slf4j.simpleLogger.defaultLogLevel} and the tool's
 * {@code simplelogger.properties} still apply otherwise.
 */
public final class LogOptions {
    /** The property slf4j-simple reads its level from; a system property wins over its properties file. */
    static final String LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";

    /** slf4j's levels, quietest first. */
    public enum Level { OFF, ERROR, WARN, INFO, DEBUG, TRACE }

    private Duration statsEvery = Duration.ZERO;

    @Option(names = {"-log-level", "--log-level"}, paramLabel = "LEVEL",
            description = "Log messages at LEVEL and above: ${COMPLETION-CANDIDATES} (default: info).")
    void logLevel(Level level) {
        if (level != null) {
            System.setProperty(LEVEL_PROPERTY, level.name().toLowerCase(Locale.ROOT));
        }
    }

    @Option(names = {"-q", "-quiet", "--quiet"}, description = "Log warnings and errors only (--log-level warn).")
    void quiet(boolean quiet) {
        if (quiet) {
            logLevel(Level.WARN);
        }
    }

    @Option(names = {"-v", "-verbose", "--verbose"},
            description = "Log debug lines too: each connection, its bytes, each refusal (--log-level debug).")
    void verbose(boolean verbose) {
        if (verbose) {
            logLevel(Level.DEBUG);
        }
    }

    @Option(names = {"-stats", "--stats"}, paramLabel = "INTERVAL", arity = "0..1", fallbackValue = "1m",
            converter = GoDuration.class,
            description = "Log a line of counters (connections, bytes, errors) every INTERVAL (default: off; alone: 1m).")
    void stats(Duration every) {
        statsEvery = every == null ? Duration.ZERO : every;
    }

    /** How often to log the stats line; zero for never. */
    public Duration statsEvery() {
        return statsEvery;
    }

    /** Starts the stats line on the server, if asked for; returns the server. */
    public TcpServer apply(TcpServer server) {
        return server.logStats(statsEvery);
    }
}
