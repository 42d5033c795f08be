package gopl.clock;

import gopl.common.Cli;
import gopl.common.ListenOptions;
import gopl.common.ManifestVersion;
import gopl.common.StandardOptions;
import gopl.common.TcpServer;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.concurrent.Callable;
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

    public static void main(String[] args) {
        Cli.exit(new ClockCommand(), args);
    }

    @Override
    public Integer call() {
        var server = new ClockServer(resolveZone());
        try (var listener = TcpServer.listen(listen.host(), listen.port())) {
            listener.closeOnShutdown(() -> {});
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
                System.err.println("clock: TZ='" + tz + "' is not a zone Java knows; using " + ZoneId.systemDefault());
            }
        }
        return ZoneId.systemDefault();
    }
}
