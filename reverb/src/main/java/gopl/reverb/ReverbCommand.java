package gopl.reverb;

import gopl.common.ByteSize;
import gopl.common.Cli;
import gopl.common.GoDuration;
import gopl.common.InputBudget;
import gopl.common.LimitOptions;
import gopl.common.ListenOptions;
import gopl.common.LogOptions;
import gopl.common.ManifestVersion;
import gopl.common.StandardOptions;
import gopl.common.TcpServer;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code reverb -port 8000}: the book's echo server, with exercises 8.4 and 8.8. */
@Command(
        name = "reverb",
        versionProvider = ManifestVersion.class,
        sortOptions = false,
        description = {
            "An echo server (gopl exercises 8.4 and 8.8). For each line a client shouts, it answers three",
            "lines, each after the delay: the shout in upper case, as it was, and in lower case. Echoes of",
            "different shouts overlap. When a client closes its sending half, reverb closes the connection",
            "once the last echo is out; a client that shouts nothing for the idle time is disconnected.",
            "Try it with: printf 'Hello?\\n' | netcat localhost 8000",
            ""
        },
        footer = {"", "Example: reverb -port 8000 -delay 500ms -idle 1m"})
public final class ReverbCommand implements Callable<Integer> {
    @Mixin
    StandardOptions standard;

    @Mixin
    ListenOptions listen = new ListenOptions(8000);

    @Option(names = {"-delay", "--delay"}, paramLabel = "D", converter = GoDuration.class,
            description = "Time before each echo line, as 1s or 250ms (default: 1s).")
    Duration delay = Duration.ofSeconds(1);

    @Option(names = {"-idle", "--idle"}, paramLabel = "D", converter = GoDuration.class,
            description = "Disconnect a client that shouts nothing for D (default: 10s; 0: never).")
    Duration idle = Duration.ofSeconds(10);

    @Option(names = {"-echo-memory", "--echo-memory"}, paramLabel = "SIZE", converter = ByteSize.class,
            description = "Most that the pending echoes of all clients may hold together, at least 1M (default: a third of the heap).")
    Long echoMemory;

    @Option(names = {"-input-memory", "--input-memory"}, paramLabel = "SIZE", converter = ByteSize.class,
            description = "Most that long lines and grown read buffers of all clients may hold together, at least 64K; a line that finds no room is cut there (default: a sixteenth of the heap).")
    Long inputMemory;

    @Mixin
    LimitOptions limits;

    @Mixin
    LogOptions logging;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        Cli.exit(new ReverbCommand(), args);
    }

    @Override
    public Integer call() {
        if (echoMemory != null && echoMemory < Echoes.BUDGET) {
            throw new ParameterException(spec.commandLine(), "--echo-memory must be at least 1M (one client's budget)");
        }
        if (inputMemory != null && inputMemory < InputBudget.LEAST) {
            throw new ParameterException(spec.commandLine(), "--input-memory must be at least 64K");
        }
        var reverb = new ReverbServer(delay, idle, echoMemory == null ? ReverbServer.defaultMemory() : echoMemory);
        if (inputMemory != null) {
            reverb.inputMemory(inputMemory);
        }
        var log = LoggerFactory.getLogger(ReverbServer.class);
        try (var listener = TcpServer.listen(listen.host(), listen.port())) {
            limits.apply(logging.apply(listener));
            listener.onError(e -> log.error("bug while serving a client", e));
            listener.closeOnShutdown(() -> {
                log.info("shutting down");
                reverb.stopping();
            });
            reverb.serve(listener);
        }
        return 0;
    }
}
