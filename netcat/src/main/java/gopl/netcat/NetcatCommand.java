package gopl.netcat;

import gopl.common.Cli;
import gopl.common.GoDuration;
import gopl.common.HostPort;
import gopl.common.ManifestVersion;
import gopl.common.StandardOptions;
import gopl.common.ToolException;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code netcat}: exercise 8.3, gopl's netcat3 grown into a tool nc users can switch to. */
@Command(
        name = "netcat",
        versionProvider = ManifestVersion.class,
        sortOptions = false,
        customSynopsis = {
            "netcat [-vzN] [-w D] [-q D] [-p SOURCE_PORT] [HOST] [PORT]",
            "       netcat [-vzN] [-w D] [-q D] HOST:PORT",
            "       netcat -l [-vN] [-w D] [-q D] [HOST] [PORT]"
        },
        description = {
            "Connects to a TCP server and copies stdin to it and what it sends to stdout, at the same time and"
                    + " byte for byte. When stdin ends, netcat closes only its sending half and keeps printing"
                    + " until the server closes, then exits 0. With -l it waits for one client instead.",
            "TARGET is HOST PORT, HOST:PORT or PORT (on localhost); with none, localhost:8000 as in the book.",
            ""
        },
        footer = {
            "",
            "Examples:",
            "  printf 'hello\\n' | netcat localhost 8000  all late echoes, then exit",
            "  netcat -l 9000 > received.bin             receive one file, sent by",
            "  netcat localhost 9000 < file.bin          (in another terminal)",
            "  netcat -z -w 2 localhost 8000             exit 0 if the port is open",
            "",
            "Exit status: 0 when the peer closed (or -q, -w ended the session), 1 on a failure, 2 on a usage error."
        })
public final class NetcatCommand implements Callable<Integer> {
    private static final String DEFAULT_HOST = "localhost";
    private static final int DEFAULT_PORT = 8000;

    @Mixin
    StandardOptions standard;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0..1", arity = "0..1", paramLabel = "TARGET", description = "HOST PORT, HOST:PORT or PORT.")
    List<String> target = new ArrayList<>();

    @Option(names = {"-l", "--listen"},
            description = "Listen for one client instead of connecting. Listens on localhost unless given a HOST"
                    + " (0.0.0.0 for every interface); port 0 picks a free one (see -v).")
    boolean listen;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT",
            description = "With -l, the port to listen on (traditional nc -l -p 9000); otherwise the local port"
                    + " to connect from.")
    String portOption;

    @Option(names = {"-w", "--wait"}, paramLabel = "D", converter = Seconds.class,
            description = "Timeout: give up connecting (with -l, waiting for a client) after D, and end the"
                    + " session once nothing has moved either way for D. Seconds (5, 0.5) or a Go duration"
                    + " (500ms, 1m30s); 0, the default, waits for ever.")
    Duration timeout;

    @Option(names = {"-q", "--quit"}, paramLabel = "D", converter = Seconds.class,
            description = "After stdin ends, wait at most D for the peer to close, then quit (-q 0: quit at"
                    + " once). Negative, the default, waits for the peer however long it takes.")
    Duration quit;

    @Option(names = {"-N", "--shutdown"},
            description = "Close the sending half when stdin ends (OpenBSD nc's -N). netcat always does this;"
                    + " the flag is accepted so that nc scripts run unchanged.")
    boolean shutdownOnEof;

    @Option(names = {"-z", "--zero-io"},
            description = "Only check that the port accepts connections: connect, close, exit 0 (or 1 with the"
                    + " reason).")
    boolean scan;

    @Option(names = {"-v", "--verbose"}, description = "Say on stderr where netcat connected or listens, and"
            + " why it ended.")
    boolean verbose;

    private final InputStream stdin;
    private final OutputStream stdout;
    private final boolean stdinIsTerminal;

    public NetcatCommand() {
        // Unbuffered file streams: System.out would hold bytes back, System.in adds nothing.
        this(new FileInputStream(FileDescriptor.in), new FileOutputStream(FileDescriptor.out), stdinIsTerminal());
    }

    NetcatCommand(InputStream stdin, OutputStream stdout, boolean stdinIsTerminal) {
        this.stdin = stdin;
        this.stdout = stdout;
        this.stdinIsTerminal = stdinIsTerminal;
    }

    public static void main(String[] args) {
        Cli.exit(new NetcatCommand(), args);
    }

    @Override
    public Integer call() throws Exception {
        var where = where();
        checkOptions();
        try (var socket = open(where)) {
            if (scan) {
                say("connection to " + where + " succeeded");
                return 0;
            }
            var peer = listen ? Connections.address(socket.getInetAddress().getHostAddress(), socket.getPort())
                    : where.toString();
            var options = new Netcat.Options(timeout, quit, stdinIsTerminal);
            var end = new Netcat(socket, peer, stdin, stdout, options).run();
            return switch (end) {
                case Netcat.Failed failed -> throw new ToolException(failed.message());
                case Netcat.Idle _ -> {
                    say("nothing moved for " + GoDuration.format(timeout) + "; closed");
                    yield 0;
                }
                default -> 0;
            };
        }
    }

    /** Connects, or with -l waits for a client, saying so when -v asks. */
    private Socket open(Where where) {
        if (listen) {
            var socket = Connections.accept(where.host(), where.port(), timeout, at -> say("listening on " + at));
            say("connection from " + Connections.address(socket.getInetAddress().getHostAddress(), socket.getPort()));
            return socket;
        }
        var sourcePort = portOption == null ? null : port(portOption, false);
        var socket = Connections.connect(new HostPort(where.host(), where.port()), sourcePort, timeout);
        say("connected to " + where + " (" + socket.getInetAddress().getHostAddress() + ")");
        return socket;
    }

    /** Where to connect or listen. */
    record Where(String host, int port) {
        @Override
        public String toString() {
            return Connections.address(host, port);
        }
    }

    /** The TARGET words (and -l's -p), read the ways nc and the book write them. */
    private Where where() {
        Integer listenPort = listen && portOption != null ? port(portOption, true) : null;
        if (target.isEmpty()) {
            return new Where(DEFAULT_HOST, listenPort == null ? DEFAULT_PORT : listenPort);
        }
        var word = target.getFirst();
        boolean hostOnly = target.size() == 1 && !isPort(word) && !isHostPort(word);
        if (listenPort != null && !hostOnly) {
            throw usage("give the port once: either -p " + portOption + " or a PORT argument");
        }
        if (target.size() == 2) {
            return new Where(unbracket(word), port(target.get(1), listen));
        }
        if (isPort(word)) {
            return new Where(DEFAULT_HOST, port(word, listen));
        }
        if (hostOnly && !listen) {
            throw usage("missing port: write netcat " + word + " PORT, or " + word + ":PORT");
        }
        if (hostOnly) {
            return new Where(unbracket(word), listenPort == null ? DEFAULT_PORT : listenPort);
        }
        try {
            var parsed = HostPort.parse(word);
            return new Where(parsed.host(), parsed.port());
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private static boolean isPort(String word) {
        return !word.isEmpty() && word.chars().allMatch(Character::isDigit);
    }

    /** HOST:PORT, [IPv6]:PORT or :PORT; a bare IPv6 address such as ::1 or [::1] has no port. */
    private static boolean isHostPort(String word) {
        return word.startsWith("[") ? word.contains("]:") : word.indexOf(':') >= 0 && word.indexOf(':') == word.lastIndexOf(':');
    }

    private int port(String word, boolean zeroAllowed) {
        if (zeroAllowed && word.equals("0")) {
            return 0;
        }
        try {
            return HostPort.parsePort(word);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private static String unbracket(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private void checkOptions() {
        if (scan && listen) {
            throw usage("-z checks a port by connecting to it; it cannot be used with -l");
        }
        if (timeout != null && timeout.isNegative()) {
            throw usage("-w needs a timeout of 0 or more");
        }
        if (timeout != null && timeout.isZero()) {
            timeout = null;
        }
        if (quit != null && quit.isNegative()) {
            quit = null;
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private void say(String message) {
        if (verbose) {
            spec.commandLine().getErr().println("netcat: " + message);
        }
    }

    /** Like common's Terminal for stdout and stderr, which has no stdin variant yet. */
    private static boolean stdinIsTerminal() {
        try {
            var target = Files.readSymbolicLink(Path.of("/proc/self/fd/0")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException e) {
            var console = System.console();
            return console != null && console.isTerminal();
        }
    }

    /** nc's plain seconds ({@code 5}, {@code 0.5}, {@code -1}) or a Go duration ({@code 500ms}). */
    static final class Seconds implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String text) {
            if (text.strip().matches("-?(\\d+(\\.\\d*)?|\\.\\d+)")) {
                var nanos = new BigDecimal(text.strip()).movePointRight(9);
                return Duration.ofNanos(nanos.longValue());
            }
            try {
                return GoDuration.parse(text);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + text + "' is not a duration (seconds such as 5 or 0.5,"
                        + " or 500ms, 1m30s)");
            }
        }
    }
}
