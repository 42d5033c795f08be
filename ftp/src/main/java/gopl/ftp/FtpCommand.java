package gopl.ftp;

import gopl.common.Cli;
import gopl.common.GoDuration;
import gopl.common.ListenOptions;
import gopl.common.LogOptions;
import gopl.common.ManifestVersion;
import gopl.common.StandardOptions;
import gopl.common.ToolException;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code ftp -port 2121 -root DIR}: exercise 8.2, a concurrent FTP server that real clients use. */
@Command(
        name = "ftp",
        versionProvider = ManifestVersion.class,
        sortOptions = false,
        subcommands = PasswdCommand.class,
        description = {
            "A concurrent FTP server (gopl exercise 8.2) that shares one directory, with explicit FTPS.",
            "Anonymous users may read; the users of --users FILE (lines from 'ftp passwd NAME') and the",
            "--user account log in with a password. For ftp, curl, lftp, FileZilla, Python's ftplib and the like.",
        },
        footer = {"", "Examples:",
            "  ftp -port 2121 -root ~/public                      anonymous, read-only",
            "  ftp passwd --users users --home /incoming bob      add a user (asks for the password)",
            "  ftp --root /srv/ftp --users users --tls-cert fullchain.pem --tls-key privkey.pem --require-tls",
            "  ftp --host 0.0.0.0 --passive-ports 30000-30100 --public-address 203.0.113.7",
            "", "Limits on each client are on by default; see the Security section of the README."})
public final class FtpCommand implements Callable<Integer> {
    @Mixin
    StandardOptions standard;

    @Spec
    CommandSpec spec;

    @Mixin
    ListenOptions listen = new ListenOptions(2121);

    @Option(names = {"-root", "--root"}, paramLabel = "DIR", description = "Directory to share (default: the current one).")
    Path root = Path.of(".");

    @Option(names = {"-users", "--users"}, paramLabel = "FILE",
            description = "Users, one a line NAME:BCRYPT-HASH:HOME:rw|ro, as 'ftp passwd' writes them; HOME is their / under the root.")
    Path usersFile;

    @Option(names = {"-user", "--user"}, paramLabel = "NAME", description = "One more user, read-write in the whole root (needs --password-file).")
    String user;

    // Gone: a password on the command line is visible to every user of the machine (ps, /proc).
    @Option(names = {"-password", "--password"}, hidden = true)
    String password;

    @Option(names = {"-password-file", "--password-file"}, paramLabel = "FILE", description = "Read the --user account's password from the first line of FILE.")
    Path passwordFile;

    @Option(names = {"-no-anonymous", "--no-anonymous"}, description = "Refuse anonymous logins (user anonymous or ftp).")
    boolean noAnonymous;

    @Mixin
    TlsOptions tls;

    @Option(names = {"-passive-ports", "--passive-ports"}, paramLabel = "FIRST-LAST", converter = PortsConverter.class,
            description = "Ports for passive data connections, e.g. 30000-30100 (default: any free port).")
    DataConnection.Ports passivePorts;

    @Option(names = {"-public-address", "--public-address"}, paramLabel = "IPV4",
            description = "Address to tell PASV clients, when they reach this server through NAT.")
    String publicAddress;

    @Option(names = {"-idle-timeout", "--idle-timeout"}, paramLabel = "DURATION", converter = GoDuration.class,
            description = "Close a control connection idle this long, never during a transfer (default: 5m; 0: never).")
    Duration idleTimeout = Duration.ofMinutes(5);

    @Option(names = {"-data-timeout", "--data-timeout"}, paramLabel = "DURATION", converter = GoDuration.class,
            description = "Abort a transfer whose data connection moves nothing for this long (default: 1m).")
    Duration dataTimeout = Duration.ofMinutes(1);

    // --max-connections is how the other servers (chat, reverb, clock) spell it.
    @Option(names = {"-max-sessions", "--max-sessions", "-max-connections", "--max-connections"}, paramLabel = "N",
            description = "Most clients at once, on both ports; more get 421 (default: ${DEFAULT-VALUE}).")
    int maxSessions = 1000;

    @Option(names = {"-max-per-ip", "--max-per-ip"}, paramLabel = "N",
            description = "Most sessions from one IPv4 address or IPv6 /64; more get 421 (default: ${DEFAULT-VALUE}).")
    int maxPerIp = 10;

    @Option(names = {"-write-timeout", "--write-timeout"}, paramLabel = "DURATION", converter = GoDuration.class,
            description = "Drop a client that takes none of a reply for this long (default: the idle timeout, or 5m without one; 0: never).")
    Duration writeTimeout;

    @Option(names = {"-login-timeout", "--login-timeout"}, paramLabel = "DURATION", converter = GoDuration.class,
            description = "Close a connection not logged in this long after it opened, whatever it sends (default: 1m).")
    Duration loginTimeout = Duration.ofMinutes(1);

    @Option(names = {"-delay-failed-login", "--delay-failed-login"}, paramLabel = "DURATION", converter = GoDuration.class,
            description = "Pause after a failed login, times the client's recent failures on all its connections (default: 1s).")
    Duration delayFailedLogin = Duration.ofSeconds(1);

    @Option(names = {"-max-login-fails", "--max-login-fails"}, paramLabel = "N",
            description = "Close a connection after this many failed logins (default: ${DEFAULT-VALUE}).")
    int maxLoginFails = 3;

    @Option(names = {"-accept-timeout", "--accept-timeout"}, paramLabel = "DURATION", converter = GoDuration.class,
            description = "Close a passive listener no data connection reached in this long (default: 30s).")
    Duration acceptTimeout = Duration.ofSeconds(30);

    @Option(names = {"-max-list-entries", "--max-list-entries"}, paramLabel = "N",
            description = "Most directory entries a listing or glob reads; a bigger directory is listed in part (default: ${DEFAULT-VALUE}).")
    int maxListEntries = 10_000;

    @Mixin
    LogOptions logging;

    public static void main(String[] args) {
        Cli.exit(new FtpCommand(), args);
    }

    @Override
    public Integer call() {
        int port = listen.port();
        var settings = settings();
        try (var server = FtpServer.listen(listen.host(), port, tls.implicitPort(), settings)) {
            server.logStats(logging.statsEvery());
            server.closeOnShutdown();
            server.serve();
        }
        return 0;
    }

    FtpServer.Settings settings() {
        var policy = tls.policy(spec);
        var jail = jail();
        var named = new ArrayList<Accounts.User>();
        if (usersFile != null) {
            named.addAll(UsersFile.read(usersFile, jail));
            if (UsersFile.readableByOthers(usersFile)) {
                LoggerFactory.getLogger(FtpServer.class).warn("{} is readable by other users, who could try its hashes offline: chmod 600 it",
                        usersFile);
            }
        }
        var secret = password();
        if (secret != null) {
            named.add(new Accounts.User(user, new Accounts.Credential.Secret(secret), jail, "/", true));
        }
        if (noAnonymous && named.isEmpty()) {
            throw usage("--no-anonymous needs --users or --user: nobody could log in");
        }
        try {
            return new FtpServer.Settings(jail, new Accounts(!noAnonymous, jail, named), passivePorts, publicAddress(), limits(), policy);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage() + " (in --users and --user)");
        }
    }

    private FtpServer.Limits limits() {
        atLeastOne("--max-sessions", maxSessions);
        atLeastOne("--max-per-ip", maxPerIp);
        atLeastOne("--max-login-fails", maxLoginFails);
        atLeastOne("--max-list-entries", maxListEntries);
        positive("--data-timeout", dataTimeout);
        positive("--login-timeout", loginTimeout);
        positive("--accept-timeout", acceptTimeout);
        var replyTimeout = writeTimeout != null ? writeTimeout : idleTimeout.isZero() ? Duration.ofMinutes(5) : idleTimeout;
        return new FtpServer.Limits(maxSessions, maxPerIp, idleTimeout, loginTimeout, dataTimeout, acceptTimeout,
                delayFailedLogin, maxLoginFails, maxListEntries, replyTimeout);
    }

    private void atLeastOne(String option, int value) {
        if (value < 1) {
            throw usage(option + " must be at least 1");
        }
    }

    private void positive(String option, Duration value) {
        if (value.isZero()) {
            throw usage(option + " must be more than 0");
        }
    }

    /** The --user account's password, from its file; null without --user. */
    private byte[] password() {
        if (password != null) {
            throw usage("--password is gone (ps shows it to every user of the machine): use --password-file or --users");
        }
        if (user == null) {
            if (passwordFile != null) {
                throw usage("--password-file needs --user");
            }
            return null;
        }
        try {
            UsersFile.checkName(user);
        } catch (IllegalArgumentException e) {
            throw usage("--user: " + e.getMessage());
        }
        if (passwordFile == null) {
            throw usage("--user needs --password-file");
        }
        return TlsOptions.readSecret(passwordFile, "password file").getBytes(StandardCharsets.UTF_8);
    }

    private Jail jail() {
        try {
            return new Jail(root);
        } catch (IOException e) {
            throw new ToolException("cannot share " + root + ": " + (Files.exists(root) ? "not a directory" : "no such directory"));
        } catch (UnsupportedOperationException e) {
            throw new ToolException("cannot share " + root + " safely: " + e.getMessage());
        }
    }

    private InetAddress publicAddress() {
        if (publicAddress == null) {
            return null;
        }
        try {
            for (var address : InetAddress.getAllByName(publicAddress)) {
                if (address instanceof Inet4Address) {
                    return address;
                }
            }
        } catch (UnknownHostException e) {
            // said below
        }
        throw usage("--public-address " + publicAddress + " is not an IPv4 address or a name with one");
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** {@code --passive-ports 30000-30100}. */
    static final class PortsConverter implements ITypeConverter<DataConnection.Ports> {
        @Override
        public DataConnection.Ports convert(String value) {
            try {
                return DataConnection.Ports.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
