package gopl.netcat;

import gopl.common.Cli;
import gopl.common.ManifestVersion;
import gopl.common.StandardOptions;
import gopl.common.Terminal;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code netcat}: exercise 8.3, gopl's netcat3 grown into a tool nc and ncat users can switch to. */
@Command(
        name = "netcat",
        versionProvider = ManifestVersion.class,
        sortOptions = false,
        customSynopsis = {
            "netcat [-46dNnuvz] [-p SOURCE_PORT] [-s SOURCE] [-w D] [-q D] [--ssl...] [HOST] [PORT...]",
            "       netcat [options] HOST:PORT",
            "       netcat -l [-46dkNnuv] [--broker] [-w D] [-q D] [--ssl...] [HOST] [PORT]",
            "       netcat -U [-lkvz] [--broker] PATH"
        },
        description = {
            "Connects to a server and copies stdin to it and what it sends to stdout, at the same time and byte"
                    + " for byte. When stdin ends, netcat closes only its sending half and keeps printing until the"
                    + " server closes, then exits 0. With -l it waits for a client instead. TCP by default; UDP"
                    + " with -u, a Unix domain socket with -U, TLS with --ssl.",
            "TARGET is HOST PORT, HOST:PORT or PORT (on localhost); with none, localhost:8000 as in the book.",
            "With -z, PORT may be a range (20-30), several ports, or a list (22,80,8000-8010).",
            ""
        },
        footer = {
            "",
            "Examples:",
            "  printf 'hello\\n' | netcat localhost 8000  all late echoes, then exit",
            "  netcat -l 9000 > received.bin             receive one file, sent by",
            "  netcat localhost 9000 < file.bin          (in another terminal)",
            "  netcat -zv localhost 20-30 8000           which ports are open",
            "  netcat -lk 9000                           serve one client after another",
            "  netcat -l --broker 9000                   clients hear each other: a chat",
            "  netcat -u -w 1 localhost 53 < query.bin   one UDP exchange",
            "  netcat --ssl example.org 443              TLS, certificate checked",
            "",
            "Exit status: 0 when the peer closed (or -q, -w ended the session), or with -z when a port was open;"
                    + " 1 on a failure; 2 on a usage error."
        })
public final class NetcatCommand implements Callable<Integer> {
    @Mixin
    StandardOptions standard;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "TARGET", description = "HOST PORT..., HOST:PORT, PORT, or PATH with -U.")
    List<String> target = new ArrayList<>();

    @Option(names = {"-l", "--listen"}, description = "Listen for a client instead of connecting. Listens on"
            + " localhost unless given a HOST (0.0.0.0 for every interface); port 0 picks a free one (see -v).")
    boolean listen;

    @Option(names = {"-k", "--keep-open"}, description = "With -l, serve one client after another instead of"
            + " exiting after the first.")
    boolean keepOpen;

    @Option(names = "--broker", description = "With -l, serve many clients at once, each hearing what the others"
            + " send (and stdin); ncat's broker.")
    boolean broker;

    @Option(names = {"-m", "--max-conns"}, paramLabel = "N", description = "With --broker, the most clients at"
            + " once (default 100).")
    int maxClients = 100;

    @Option(names = {"-u", "--udp"}, description = "UDP: each read of stdin is one datagram, each datagram is"
            + " written out as it comes.")
    boolean udp;

    @Option(names = {"-U", "--unixsock"}, description = "The target is the path of a Unix domain socket.")
    boolean unix;

    @Option(names = "-4", description = "IPv4 addresses only.")
    boolean ipv4;

    @Option(names = "-6", description = "IPv6 addresses only.")
    boolean ipv6;

    @Option(names = {"-n", "--nodns"}, description = "Numeric addresses only: no name or service lookups.")
    boolean numeric;

    @Option(names = {"-s", "--source"}, paramLabel = "ADDRESS", description = "The local address to connect"
            + " from; with -l, the address to listen on.")
    String source;

    @Option(names = {"-p", "--port", "--source-port"}, paramLabel = "PORT", description = "The local port to"
            + " connect from; with -l, the port to listen on (traditional nc -l -p 9000).")
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

    @Option(names = {"-N", "--shutdown"}, description = "Close the sending half when stdin ends (OpenBSD nc's"
            + " -N). netcat always does this; the flag is accepted so that nc scripts run unchanged.")
    boolean shutdownOnEof;

    @Option(names = {"-d", "--no-stdin"}, description = "Do not read stdin: send nothing, only receive, until"
            + " the peer closes.")
    boolean noStdin;

    @Option(names = {"-z", "--zero-io"}, description = "Only check which ports accept connections: exit 0 if"
            + " any did. With -v, nc's line for each.")
    boolean scan;

    @Option(names = {"-v", "--verbose"}, description = "Say on stderr, in nc's words, where netcat connected or"
            + " listens and who connected.")
    boolean verbose;

    @Mixin
    SslOptions ssl;

    private final InputStream stdin;
    private final OutputStream stdout;
    private final boolean stdinIsTerminal;

    public NetcatCommand() {
        // Unbuffered file streams: System.out would hold bytes back, System.in adds nothing.
        this(new FileInputStream(FileDescriptor.in), new FileOutputStream(FileDescriptor.out), Terminal.stdinIsTerminal());
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
        checkOptions();
        var where = where();
        var modes = new Modes(this, where);
        if (listen) {
            return modes.listen();
        }
        return scan ? modes.scan() : modes.connect();
    }

    /** The TARGET words (and -p, -s with -l), read the ways nc and the book write them. */
    private Target where() {
        try {
            if (unix) {
                return Target.unix(target, portOption);
            }
            if (listen) {
                return Target.listen(target, portOption, source, ipv6 ? "::1" : Target.DEFAULT_HOST, udp);
            }
            var where = Target.connect(target, udp);
            if (where.ports().size() > 1 && !scan) {
                throw new IllegalArgumentException("several ports are for scanning with -z; a session has one");
            }
            return where;
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private void checkOptions() {
        var problem = problem();
        if (problem == null) {
            problem = ssl.problem(listen, udp, unix);
        }
        if (problem != null) {
            throw usage(problem);
        }
        if (timeout != null && timeout.isZero()) {
            timeout = null;
        }
        if (quit != null && quit.isNegative()) {
            quit = null;
        }
    }

    private String problem() {
        if (scan && listen) {
            return "-z checks a port by connecting to it; it cannot be used with -l";
        }
        if ((keepOpen || broker) && !listen) {
            return (broker ? "--broker" : "-k") + " keeps a listener open; it needs -l";
        }
        if (broker && udp) {
            return "--broker works over TCP and Unix sockets, not UDP";
        }
        if (udp && unix) {
            return "UDP over Unix sockets (-u -U) is not supported: Java has no Unix datagram sockets";
        }
        if (ipv4 && ipv6) {
            return "-4 and -6 cannot be used together";
        }
        if (unix && (ipv4 || ipv6 || source != null)) {
            return "-4, -6 and -s are for network addresses, not Unix sockets (-U)";
        }
        if (scan && ssl.enabled()) {
            return "-z only checks that the port accepts connections; it cannot be used with --ssl";
        }
        if (timeout != null && timeout.isNegative()) {
            return "-w needs a timeout of 0 or more";
        }
        return maxClients < 1 ? "--max-conns needs 1 or more" : null;
    }

    Dialer dialer() {
        Integer sourcePort = null;
        if (!listen && portOption != null) {
            try {
                sourcePort = Target.port(portOption, udp, false);
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage());
            }
        }
        var family = ipv4 ? Dialer.Family.IPV4 : ipv6 ? Dialer.Family.IPV6 : Dialer.Family.ANY;
        return new Dialer(new Dialer.Options(family, numeric, listen ? null : source, sourcePort, timeout));
    }

    /** What a session reads: stdin, or with -d a silence that never ends, since nc -d neither reads nor closes. */
    InputStream inputStream() {
        return noStdin ? SILENCE : stdin;
    }

    private static final InputStream SILENCE = new InputStream() {
        @Override
        public int read() throws IOException {
            return read(new byte[1], 0, 1);
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            try {
                new CountDownLatch(1).await(); // until the session ends and interrupts its sender
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new InterruptedIOException("the session ended");
        }
    };

    /** Stdin for one session; the file's own channel when it is the real one, for copies without a detour. */
    Netcat.Input input() {
        return input(inputStream());
    }

    static Netcat.Input input(InputStream stream) {
        return new Netcat.Input(stream instanceof FileInputStream file ? file.getChannel() : Channels.newChannel(stream),
                stream);
    }

    WritableByteChannel output() {
        return stdout instanceof FileOutputStream file ? file.getChannel() : Channels.newChannel(stdout);
    }

    Netcat.Options sessionOptions() {
        return new Netcat.Options(timeout, quit, stdinIsTerminal || noStdin, listen);
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** nc's -v lines, and netcat's own, on stderr. */
    void say(String message) {
        if (verbose) {
            warn(message);
        }
    }

    /** A line every user sees, -v or not. */
    void warn(String message) {
        var err = spec.commandLine().getErr();
        synchronized (err) {
            err.println(message);
            err.flush();
        }
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
