package gopl.ftp;

import gopl.common.GoDuration;
import gopl.ftp.Accounts.Account;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's control connection: the book's {@code handleConn}, reading commands and answering
 * them until QUIT. A transfer runs on a thread of its own; while it does, this thread still reads
 * the control connection, so ABOR and STAT work mid-transfer, every other command waits for the
 * transfer to end, and a transfer that stops moving is timed out. The idle timeout counts only
 * while no transfer runs.
 */
final class Session {
    private static final Logger log = LoggerFactory.getLogger(Session.class);
    private static final int MAX_LINE = 8192; // a 4096-byte path and then some
    private static final int MAX_FAILED_LOGINS = 3;
    private static final Duration ABORT_WAIT = Duration.ofSeconds(5);

    /** What the command handlers of a logged-in session share. */
    record Context(Socket control, InetAddress client, FtpServer.Settings settings, Reply reply, FileCommands files, Account account) {
        Jail jail() {
            return settings.jail();
        }

        boolean canWrite() {
            return account.canWrite();
        }

        /** {@code anonymous@127.0.0.1}, for the log. */
        String who() {
            return account.name() + "@" + client.getHostAddress();
        }
    }

    private final Socket socket;
    private final FtpServer.Settings settings;
    private final InetAddress client;
    private final Reply reply;
    private final ControlReader reader;
    private final Duration tick;
    private String user;
    private int failures;
    private Context context;
    private TransferCommands transfers;
    private ListCommands lists;
    private Transfer transfer;

    Session(Socket socket, FtpServer.Settings settings, ScheduledExecutorService timer) throws IOException {
        this.socket = socket;
        this.settings = settings;
        this.client = ((InetSocketAddress) socket.getRemoteSocketAddress()).getAddress();
        socket.setOOBInline(true); // urgent bytes (ABOR's Telnet "synch") stay in the stream: see ControlReader
        socket.setTcpNoDelay(true);
        this.reply = new Reply(socket, timer, settings.idleTimeout().isZero() ? Duration.ofMinutes(5) : settings.idleTimeout());
        this.reader = new ControlReader(socket.getInputStream(), MAX_LINE);
        long quarter = settings.dataTimeout().toMillis() / 4;
        this.tick = Duration.ofMillis(Math.clamp(quarter, 50, 1000));
    }

    /** Go's handleConn: greet, then read and run commands until QUIT or the client goes. */
    void run() throws IOException {
        reply.send(220, "gopl ftp server ready.");
        try {
            for (String line; (line = next()) != null; ) {
                if (!execute(line)) {
                    break;
                }
            }
        } finally {
            end();
        }
    }

    /** The next command line, or null at end of stream or idle timeout; watches a running transfer meanwhile. */
    private String next() throws IOException {
        long idleSince = System.nanoTime();
        while (true) {
            boolean busy = busy();
            long idleLeft = settings.idleTimeout().toNanos() - (System.nanoTime() - idleSince);
            if (!busy && !settings.idleTimeout().isZero() && idleLeft <= 0) {
                reply.send(421, "Idle timeout (" + GoDuration.format(settings.idleTimeout()) + "): closing control connection.");
                return null;
            }
            long wait = busy ? tick.toMillis() : settings.idleTimeout().isZero() ? 0 : Math.max(1, idleLeft / 1_000_000);
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, wait));
            try {
                return reader.readLine();
            } catch (ControlReader.TooLong e) {
                reply.send(500, "Command line too long.");
                idleSince = System.nanoTime();
            } catch (SocketTimeoutException e) {
                if (busy) {
                    idleSince = System.nanoTime(); // a running transfer is activity
                    watch();
                }
            }
        }
    }

    /** Aborts the running transfer if it has not moved a byte for the data timeout. */
    private void watch() {
        if (busy() && transfer.idleNanos() > settings.dataTimeout().toNanos()) {
            transfer.abort("Data connection timed out (" + GoDuration.format(settings.dataTimeout()) + "); transfer aborted.");
        }
    }

    private boolean busy() {
        return transfer != null && !transfer.isDone();
    }

    private boolean execute(String line) throws IOException {
        int space = line.indexOf(' ');
        var verb = (space < 0 ? line : line.substring(0, space)).strip().toUpperCase(Locale.ROOT);
        var arg = space < 0 ? "" : line.substring(space + 1);
        if (!verb.equals("ABOR") && !verb.equals("STAT")) {
            awaitTransfer(); // commands are answered in order: this one after the transfer's 226
        }
        var refusal = Commands.refusal(verb, arg, context == null ? null : context.account());
        if (refusal != null) {
            reply.send(refusal.code(), refusal.text());
            return true;
        }
        if (context != null && !verb.equals("RNTO")) {
            context.files().forgetRename();
        }
        return dispatch(verb, arg);
    }

    private boolean dispatch(String verb, String arg) throws IOException {
        switch (verb) {
            case "USER" -> user(arg);
            case "PASS" -> {
                return pass(arg);
            }
            case "QUIT" -> {
                reply.send(221, "Goodbye.");
                return false;
            }
            case "REIN" -> {
                logout();
                reply.send(220, "Ready for a new user.");
            }
            case "SYST" -> reply.send(215, "UNIX Type: L8");
            case "FEAT" -> Commands.feat(reply);
            case "OPTS" -> Commands.opts(reply, arg);
            case "HELP" -> Commands.help(reply, arg);
            case "NOOP" -> reply.send(200, "NOOP ok.");
            case "CLNT" -> reply.send(200, "Noted.");
            case "AUTH" -> reply.send(502, "TLS is not supported.");
            case "ABOR" -> abor();
            case "STAT" -> stat(arg);
            case "ALLO" -> reply.send(202, "No storage allocation necessary.");
            default -> command(verb, arg);
        }
        return true;
    }

    /** The commands of a logged-in session on its files and transfers. */
    private void command(String verb, String arg) throws IOException {
        var files = context.files();
        switch (verb) {
            case "PWD", "XPWD" -> files.pwd();
            case "CWD", "XCWD" -> files.cwd(arg);
            case "CDUP", "XCUP" -> files.cwd("..");
            case "SIZE" -> files.size(arg);
            case "MDTM" -> files.mdtm(arg);
            case "MLST" -> files.mlst(arg);
            case "DELE" -> files.dele(arg);
            case "MKD", "XMKD" -> files.mkd(arg);
            case "RMD", "XRMD" -> files.rmd(arg);
            case "RNFR" -> files.rnfr(arg);
            case "RNTO" -> files.rnto(arg);
            case "MFMT" -> files.mfmt(arg);
            case "SITE" -> files.site(arg);
            case "PASV" -> transfers.pasv();
            case "EPSV" -> transfers.epsv(arg);
            case "PORT" -> transfers.port(arg, false);
            case "EPRT" -> transfers.port(arg, true);
            case "TYPE" -> transfers.type(arg);
            case "MODE" -> transfers.mode("MODE", arg, "S");
            case "STRU" -> transfers.mode("STRU", arg, "F");
            case "REST" -> transfers.rest(arg);
            case "RETR" -> transfer = transfers.retr(arg);
            case "STOR", "APPE", "STOU" -> transfer = transfers.store(verb, arg);
            case "LIST", "NLST", "MLSD" -> transfer = lists.list(verb, arg);
            default -> reply.send(500, "Unknown command.");
        }
    }

    private void user(String name) throws IOException {
        logout(); // USER starts a new login, as REIN does
        user = name.strip();
        boolean anonymous = Accounts.isAnonymousName(user) && settings.accounts().anonymousAllowed();
        reply.send(331, anonymous ? "Anonymous login okay, send your e-mail address as password." : "Password required for " + user + ".");
    }

    /** PASS: logs in, or refuses after a pause that grows with each failure, and hangs up after three. */
    private boolean pass(String password) throws IOException {
        if (user == null) {
            reply.send(503, "Login with USER first.");
            return true;
        }
        var name = user;
        user = null;
        var account = settings.accounts().login(name, password);
        if (account.isPresent()) {
            login(account.get());
            return true;
        }
        failures++;
        log.warn("failed login as {} from {} ({} of {})", Reply.printable(name), client.getHostAddress(), failures, MAX_FAILED_LOGINS);
        pause(settings.loginDelay().multipliedBy(failures)); // slows down password guessing
        if (failures >= MAX_FAILED_LOGINS) {
            reply.send(421, "Too many failed logins; closing connection.");
            return false;
        }
        reply.send(530, "Login incorrect.");
        return true;
    }

    private void login(Account account) throws IOException {
        var files = new FileCommands(settings.jail(), reply, account.canWrite());
        context = new Context(socket, client, settings, reply, files, account);
        transfers = new TransferCommands(context);
        lists = new ListCommands(context, transfers);
        log.info("{} logged in ({})", context.who(), account.canWrite() ? "read-write" : "read-only");
        reply.send(230, "Login successful" + (account.canWrite() ? "." : " (read-only)."));
    }

    private void logout() {
        if (transfers != null) {
            transfers.close();
        }
        user = null;
        context = null;
        transfers = null;
        lists = null;
    }

    /** ABOR: ends a running transfer (its 426 first, then 226 here), or says there was none (225). */
    private void abor() throws IOException {
        if (busy() && transfer.abort("Transfer aborted.")) {
            join(ABORT_WAIT);
            reply.send(226, "ABOR successful.");
            return;
        }
        join(ABORT_WAIT); // a transfer just finishing sends its 226 before our 225
        if (transfers != null) {
            transfers.close(); // a prepared data connection goes too
        }
        reply.send(225, "No transfer to abort.");
    }

    private void stat(String arg) throws IOException {
        if (!arg.isBlank()) {
            if (context == null) {
                reply.send(530, "Please login with USER and PASS.");
            } else {
                awaitTransfer();
                lists.stat(arg);
            }
            return;
        }
        var lines = new ArrayList<String>();
        lines.add(" Connected from " + client.getHostAddress());
        lines.add(context == null ? " Not logged in" : " Logged in as " + context.account().name() + (context.canWrite() ? " (read-write)" : " (read-only)"));
        if (context != null) {
            lines.add(" TYPE: " + (transfers.ascii() ? "ASCII" : "BINARY") + ", MODE: Stream, STRUcture: File");
            lines.add(busy() ? " Transferring: " + transfer.status() : " No data transfer in progress");
        }
        reply.send(211, "FTP server status:", lines, "End of status.");
    }

    private void awaitTransfer() throws IOException {
        while (busy()) {
            join(tick);
            watch();
        }
    }

    private void join(Duration timeout) throws IOException {
        if (transfer == null) {
            return;
        }
        try {
            transfer.join(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for a transfer");
        }
    }

    private static void pause(Duration delay) throws IOException {
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
    }

    /** The client quit or vanished: no transfer, data connection or upload outlives the session. */
    private void end() throws IOException {
        if (busy()) {
            transfer.abort("Control connection closed; transfer aborted.");
            join(ABORT_WAIT);
        }
        logout();
    }
}
