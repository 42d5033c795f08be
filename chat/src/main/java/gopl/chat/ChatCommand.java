package gopl.chat;

import gopl.common.Cli;
import gopl.common.ByteSize;
import gopl.common.GoDuration;
import gopl.common.InputBudget;
import gopl.common.LimitOptions;
import gopl.common.ListenOptions;
import gopl.common.LogOptions;
import gopl.common.ManifestVersion;
import gopl.common.StandardOptions;
import gopl.common.TlsOptions;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code chat -port 8000}: the book's chat server, with names, idle timeouts and no slow readers. */
@Command(
        name = "chat",
        versionProvider = ManifestVersion.class,
        sortOptions = false,
        description = {
            "A line chat server (gopl exercises 8.12-8.15). Connect with netcat or telnet,",
            "give a name, and every line you type goes to everyone: 'alice: hi'.",
            "In the chat: /who, /me ACTION, /msg NAME TEXT, /nick NAME, /help, /quit.",
        },
        footer = {"", "Examples: chat -port 8000 --idle 10m",
            "          chat --tls-cert fullchain.pem --tls-key privkey.pem --tls-port 8443"})
public final class ChatCommand implements Callable<Integer> {
    @Mixin
    StandardOptions standard;

    @Spec
    CommandSpec spec;

    @Mixin
    ListenOptions listen = new ListenOptions(8000);

    @Option(names = {"-idle", "--idle"}, paramLabel = "DURATION", converter = GoDuration.class,
            description = "Disconnect a client that sends no line for this long, e.g. 30s, 10m; 0 never (default: 5m).")
    Duration idle = Duration.ofMinutes(5);

    @Option(names = {"-buffer", "--buffer"}, paramLabel = "N",
            description = "Lines queued for each client; a client that falls further behind loses lines (default: ${DEFAULT-VALUE}).")
    int buffer = 256;

    @Option(names = {"-max-line", "--max-line"}, paramLabel = "BYTES",
            description = "Longest line a client may send; longer ones are refused (default: ${DEFAULT-VALUE}).")
    int maxLine = 4096;

    @Option(names = {"-rate", "--rate"}, paramLabel = "N",
            description = "Lines a second each client may send, in bursts of N; a faster one is read more slowly; 0 for no limit (default: ${DEFAULT-VALUE}).")
    int rate = 20;

    @Option(names = {"-input-memory", "--input-memory"}, paramLabel = "SIZE", converter = ByteSize.class,
            description = "Most that long lines and grown read buffers of all clients may hold together, at least 64K; a line that finds no room is dropped (default: a sixteenth of the heap).")
    Long inputMemory;

    @Mixin
    TlsOptions tls;

    @Option(names = {"-tls-port", "--tls-port"}, paramLabel = "PORT",
            description = "With --tls-cert: speak TLS on this port and plain text on --port (without it, --port speaks TLS only).")
    Integer tlsPort;

    @Mixin
    LimitOptions limits;

    @Mixin
    LogOptions logging;

    public static void main(String[] args) {
        Cli.exit(new ChatCommand(), args);
    }

    @Override
    public Integer call() {
        int port = listen.port();
        check(buffer >= 1, "--buffer must be at least 1");
        check(maxLine >= 64, "--max-line must be at least 64");
        check(rate >= 0, "--rate cannot be negative");
        check(inputMemory == null || inputMemory >= InputBudget.LEAST, "--input-memory must be at least 64K");
        check(tlsPort == null || tls.enabled(), "--tls-port needs --tls-cert and --tls-key");
        check(tlsPort == null || (tlsPort >= 0 && tlsPort <= 65535), "port " + tlsPort + " is out of range (0-65535)");
        check(tlsPort == null || tlsPort == 0 || tlsPort != port, "--tls-port must differ from --port");
        var context = tls.context();
        try (var server = ChatServer.listen(listen.host(), port, new ChatServer.Settings(idle, buffer, maxLine, rate))) {
            if (context != null && tlsPort == null) {
                server.tls(context);
            } else if (context != null) {
                server.tls(context, listen.host(), tlsPort);
            }
            if (inputMemory != null) {
                server.inputMemory(inputMemory);
            }
            limits.apply(logging.apply(server.listener()));
            server.closeOnShutdown().serve();
        }
        return 0;
    }

    private void check(boolean ok, String message) {
        if (!ok) {
            throw new ParameterException(spec.commandLine(), message);
        }
    }
}
