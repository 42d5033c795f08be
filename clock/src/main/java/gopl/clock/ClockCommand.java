package gopl.clock;

import gopl.common.Cli;
import gopl.common.GoDuration;
import gopl.common.LimitOptions;
import gopl.common.ListenOptions;
import gopl.common.LogOptions;
import gopl.common.ManifestVersion;
import gopl.common.StandardOptions;
import gopl.common.TcpServer;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code clock -port 8010}: the book's clock2, a server that tells every client the time each second. */
@Command(
        name = "clock",
        versionProvider = ManifestVersion.class,
        sortOptions = false,
        description = {
            "A concurrent clock server (gopl exercise 8.1): every client gets the time as HH:mm:ss,",
            "once a second on the second, until it disconnects.",
            "Try it with: netcat localhost 8000, or clockwall Here=localhost:8000."
        },
        footer = {"", "Example: TZ=Asia/Tokyo clock -port 8030"})
public final class ClockCommand implements Callable<Integer> {
    @Mixin
    StandardOptions standard;

    @Spec
    CommandSpec spec;

    @Mixin
    ListenOptions listen = new ListenOptions(8000);

    @Option(names = {"-tz", "--tz"}, paramLabel = "ZONE", description = "Time zone, e.g. Europe/London (default: the TZ variable, else the system's).")
    String zone;

    @Option(names = {"-interval", "--interval"}, paramLabel = "D", converter = GoDuration.class,
            description = "Tell the time every D, on the wall clock's multiples of D; under a second adds milliseconds (default: 1s).")
    Duration interval = Duration.ofSeconds(1);

    @Mixin
    LimitOptions limits;

    @Mixin
    LogOptions logging;

    public static void main(String[] args) {
        Cli.exit(new ClockCommand(), args);
    }

    @Override
    public Integer call() {
        if (interval.toMillis() < 1) {
            throw new ParameterException(spec.commandLine(), "--interval must be at least 1ms");
        }
        var server = new ClockServer(resolveZone(), interval);
        try (var listener = TcpServer.listen(listen.host(), listen.port())) {
            limits.apply(logging.apply(listener)).closeOnShutdown(() -> {});
            server.serve(listener);
        }
        return 0;
    }

    private ZoneId resolveZone() {
        if (zone != null) {
            try {
                return ZoneId.of(zone);
            } catch (DateTimeException e) {
                throw new ParameterException(spec.commandLine(), "unknown time zone '" + zone + "' (try e.g. America/New_York or UTC)");
            }
        }
        return zoneFromEnvironment(System.getenv("TZ"));
    }

    /** TZ as the C library reads it ({@code Asia/Tokyo} or {@code :Asia/Tokyo}); otherwise the system zone. */
    static ZoneId zoneFromEnvironment(String tz) {
        if (tz != null && !tz.isBlank()) {
            try {
                return ZoneId.of(tz.startsWith(":") ? tz.substring(1) : tz);
            } catch (DateTimeException e) {
                // Not a static logger: it would exist before --log-level is parsed.
                LoggerFactory.getLogger(ClockCommand.class)
                        .warn("TZ='{}' is not a zone Java knows; using {}", tz, ZoneId.systemDefault());
            }
        }
        return ZoneId.systemDefault();
    }
}
