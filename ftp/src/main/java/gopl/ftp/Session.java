package gopl.ftp;

import gopl.common.GoDuration;
import gopl.common.Tls;
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
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's control connection: the book's {@code handleConn}, reading commands and answering
 * them until QUIT. A transfer runs on a thread of its own; while it does, this thread still reads
 * the control connection, so ABOR and STAT work mid-transfer, every other command waits for the
 * transfer to end, and a transfer that stops moving is timed out. The idle timeout counts only
 * while no transfer runs, and a connection that has not logged in by the login deadline is closed
 * whatever it sends meanwhile. What each command does, and when it may run, is in {@link Commands}.
 */
final class Session {
    private static final Logger log = LoggerFactory.getLogger(Session.class);
    private static final int MAX_LINE = 8192; // a 4096-byte path and then some
    private static final Duration ABORT_WAIT = Duration.ofSeconds(5);
    private static final Duration HELLO_WAIT = Duration.ofSeconds(5); // a TLS client sends its hello at once

    /** What the command handlers of a logged-in session share. */
    record Context(Socket control, InetAddress client, FtpServer.Settings settings, FtpServer.Shared shared, Reply reply,
            FileCommands files, Account account, Protection protection) {
        /** What this account sees as {@code /}: the root, or a user's home. */
        Jail jail() {
            return account.jail();
        }

        FtpServer.Limits limits() {
            return settings.limits();
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
    private final FtpServer.Limits limits;
    private final FtpServer.Shared shared;
    private final InetAddress client;
    private final Reply reply;
    private final Protection protection;
    private final boolean implicitTls;
    private ControlReader reader;
    private SSLSocket tls; // the control connection in TLS, after AUTH TLS (or from the start)
    private final Duration tick;
    private long readDeadline; // System.nanoTime() by which the next line must have come; Long.MAX_VALUE: none
    private long loginDeadline;
    private boolean closing;
    private String user;
    private int failures;
    private Context context;
    private TransferCommands transfers;
    private ListCommands lists;
    private Transfer transfer;

    /** A session on {@code socket}; with {@code implicitTls}, one that speaks TLS from the first byte (implicit FTPS). */
    Session(Socket socket, FtpServer.Settings settings, FtpServer.Shared shared, boolean implicitTls) throws IOException {
        this.socket = socket;
        this.settings = settings;
        this.limits = settings.limits();
        this.shared = shared;
        this.client = ((InetSocketAddress) socket.getRemoteSocketAddress()).getAddress();
        socket.setOOBInline(true); // urgent bytes (ABOR's Telnet "synch") stay in the stream: see ControlReader
        socket.setTcpNoDelay(true);
        this.reply = new Reply(socket);
        this.reader = new ControlReader(socket.getInputStream(), MAX_LINE, this::beforeRead);
        this.protection = new Protection(settings.tls());
        this.implicitTls = implicitTls;
        long quarter = limits.dataTimeout().toMillis() / 4;
        this.tick = Duration.ofMillis(Math.clamp(quarter, 50, 1000));
        this.loginDeadline = System.nanoTime() + limits.loginTimeout().toNanos();
    }

    /** Go's handleConn: greet, then read and run commands until QUIT or the client goes. */
    void run() throws IOException {
        if (implicitTls && !secure(true)) {
            return;
        }
        reply.send(220, "gopl ftp server ready.");
        try {
            for (String line; !closing && (line = next()) != null; ) {
                execute(line);
            }
        } finally {
            end();
        }
    }

    /**
     * The next command line, or null at end of stream or when a deadline passed (said with a 421);
     * watches a running transfer meanwhile. Only a whole command line counts as activity.
     */
    private String next() throws IOException {
        long idleSince = System.nanoTime();
        while (true) {
            boolean busy = busy();
            var expired = expired(busy, idleSince);
            if (expired != null) {
                reply.send(421, expired + ": closing control connection.");
                return null;
            }
            readDeadline = readDeadline(busy, idleSince);
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

    /** Which deadline has passed, or null: the login deadline before login, the idle one while no transfer runs. */
    private String expired(boolean busy, long idleSince) {
        long now = System.nanoTime();
        if (context == null && now - loginDeadline >= 0) {
            return "Login timeout (" + GoDuration.format(limits.loginTimeout()) + ")";
        }
        if (!busy && !limits.idleTimeout().isZero() && now - (idleSince + limits.idleTimeout().toNanos()) >= 0) {
            return "Idle timeout (" + GoDuration.format(limits.idleTimeout()) + ")";
        }
        return null;
    }

    /** When the next read gives up: in a tick while a transfer runs (to watch it), else at the first deadline; MAX_VALUE for none. */
    private long readDeadline(boolean busy, long idleSince) {
        long deadline = busy ? System.nanoTime() + tick.toNanos()
                : limits.idleTimeout().isZero() ? Long.MAX_VALUE : idleSince + limits.idleTimeout().toNanos();
        if (context == null && (deadline == Long.MAX_VALUE || loginDeadline - deadline < 0)) {
            return loginDeadline;
        }
        return deadline;
    }

    /** Before each read of the control connection: it may wait only until the read deadline. */
    private void beforeRead() throws IOException {
        if (readDeadline == Long.MAX_VALUE) {
            socket.setSoTimeout(0);
            return;
        }
        long left = readDeadline - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        socket.setSoTimeout((int) Math.clamp(left / 1_000_000, 1, Integer.MAX_VALUE));
    }

    /** Aborts the running transfer if it has not moved a byte for the data timeout. */
    private void watch() {
        if (busy() && transfer.idleNanos() > limits.dataTimeout().toNanos()) {
            transfer.abort("Data connection timed out (" + GoDuration.format(limits.dataTimeout()) + "); transfer aborted.");
        }
    }

    private boolean busy() {
        return transfer != null && !transfer.isDone();
    }

    private void execute(String line) throws IOException {
        int space = line.indexOf(' ');
        var verb = (space < 0 ? line : line.substring(0, space)).strip().toUpperCase(Locale.ROOT);
        var arg = space < 0 ? "" : line.substring(space + 1);
        var command = Commands.find(verb);
        if (command == null || !command.has(Commands.Rule.DURING_TRANSFER)) {
            awaitTransfer(); // commands are answered in order: this one after the transfer's 226
        }
        if (command == null) {
            reply.send(500, "Unknown command.");
            return;
        }
        var refusal = Commands.refusal(command, arg, context == null ? null : context.account(), protection.available());
        if (refusal != null) {
            reply.send(refusal.code(), refusal.text());
            return;
        }
        if (context != null && !command.has(Commands.Rule.KEEPS_RENAME)) {
            context.files().forgetRename();
        }
        command.handler().run(this, arg);
    }

    // What the command table's handlers use.

    Reply reply() {
        return reply;
    }

    FileCommands files() {
        return context.files();
    }

    TransferCommands transfers() {
        return transfers;
    }

    ListCommands lists() {
        return lists;
    }

    /** Keeps a transfer a command started (null if it did not start) while it runs. */
    void start(Transfer started) {
        transfer = started;
    }

    void quit(String arg) throws IOException {
        reply.send(221, "Goodbye.");
        closing = true;
    }

    void rein(String arg) throws IOException {
        logout();
        reply.send(220, "Ready for a new user.");
    }

    void user(String name) throws IOException {
        if (protection.available() && protection.policy().required() && !protection.active()) {
            reply.send(530, "This server requires TLS: send AUTH TLS first.");
            return;
        }
        logout(); // USER starts a new login, as REIN does
        user = name.strip();
        boolean anonymous = Accounts.isAnonymousName(user) && settings.accounts().anonymousAllowed();
        reply.send(331, anonymous ? "Anonymous login okay, send your e-mail address as password." : "Password required for " + user + ".");
    }

    /**
     * PASS: logs in, or refuses after a pause that grows with the client's recent failures on all
     * its connections (see LoginGuard), and hangs up after too many on this one.
     */
    void pass(String password) throws IOException {
        if (user == null) {
            reply.send(503, "Login with USER first.");
            return;
        }
        var name = user;
        user = null;
        var anonymous = settings.accounts().anonymous(name);
        if (anonymous.isPresent()) { // any password will do: nothing to guess, no turn to wait for
            login(anonymous.get());
            return;
        }
        LoginGuard.Outcome outcome;
        try {
            outcome = shared.logins().attempt(client, () -> settings.accounts().login(name, password));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted checking a password");
        }
        switch (outcome) {
            case LoginGuard.Outcome.LoggedIn in -> login(in.account());
            case LoginGuard.Outcome.Refused refused -> {
                log.warn("refused a login as {} from {}: too many attempts waiting", Reply.printable(name), client.getHostAddress());
                reply.send(421, "Too many login attempts from your address; try again later.");
                closing = true;
            }
            case LoginGuard.Outcome.Failed failed -> failed(name, failed.failures());
        }
    }

    /** A wrong password: 530, or 421 and hang up after too many on this connection. */
    private void failed(String name, int recently) throws IOException {
        failures++;
        log.warn("failed login as {} from {} ({} of {} on this connection, {} recently from this address)",
                Reply.printable(name), client.getHostAddress(), failures, limits.maxLoginFails(), recently);
        if (failures >= limits.maxLoginFails()) {
            reply.send(421, "Too many failed logins; closing connection.");
            closing = true;
        } else {
            reply.send(530, "Login incorrect.");
        }
    }

    private void login(Account account) throws IOException {
        var files = new FileCommands(account.jail(), reply, account.canWrite());
        context = new Context(socket, client, settings, shared, reply, files, account, protection);
        transfers = new TransferCommands(context);
        lists = new ListCommands(context, transfers);
        log.info("{} logged in ({}{})", context.who(), account.canWrite() ? "read-write" : "read-only",
                protection.active() ? ", TLS" : "");
        reply.send(230, "Login successful" + (account.canWrite() ? "." : " (read-only)."));
    }

    private void logout() {
        if (transfers != null) {
            transfers.close();
        }
        if (context != null) {
            loginDeadline = System.nanoTime() + limits.loginTimeout().toNanos(); // logged out: a new deadline
        }
        user = null;
        context = null;
        transfers = null;
        lists = null;
    }

    Protection protection() {
        return protection;
    }

    /**
     * AUTH TLS (RFC 4217): 234, then the TLS handshake; the session starts over, so the user logs
     * in again, inside TLS. Plain text the client sent after AUTH without waiting for the 234 is
     * never read as commands (the STARTTLS injection attack): the connection is closed instead.
     */
    void auth(String arg) throws IOException {
        var mechanism = arg.strip().toUpperCase(Locale.ROOT);
        if (protection.active()) {
            reply.send(503, "Already using TLS.");
        } else if (!mechanism.equals("TLS") && !mechanism.equals("TLS-C") && !mechanism.equals("SSL")) {
            reply.send(504, "AUTH takes TLS.");
        } else if (reader.hasBuffered()) {
            log.warn("{} sent commands after AUTH TLS before the handshake: closing", client.getHostAddress());
            reply.send(421, "Commands sent before the TLS handshake; closing control connection.");
            closing = true;
        } else {
            logout();
            reply.send(234, "Proceed with TLS negotiation.");
            secure(false);
        }
    }

    /** The TLS handshake on the control connection, as the server; false (and closing) if it failed. */
    private boolean secure(boolean implicit) throws IOException {
        long left = loginDeadline - System.nanoTime();
        socket.setSoTimeout((int) Math.clamp(left / 1_000_000, 1, Integer.MAX_VALUE));
        try {
            tls = implicit ? protection.policy().acceptImplicit(socket, client, HELLO_WAIT) : protection.policy().accept(socket, client);
            reply.secure(tls.getOutputStream());
            reader = new ControlReader(tls.getInputStream(), MAX_LINE, this::beforeRead);
            if (implicit) {
                protection.startedImplicitly(tls.getSession());
            } else {
                protection.started(tls.getSession());
            }
            log.debug("{}: control connection in {}", client.getHostAddress(), protection.describe());
            return true;
        } catch (Protection.NotTls e) {
            log.info("{} on the implicit FTPS port {}: closing", client.getHostAddress(), e.getMessage());
            reply.send(421, "This port speaks FTPS from the first byte: connect with ftps://, or use AUTH TLS on the plain port.");
            socket.getInputStream().skipNBytes(socket.getInputStream().available()); // unread input would turn our close into a reset
            closing = true;
            return false;
        } catch (SSLException e) {
            log.info("TLS handshake with {} failed: {}", client.getHostAddress(), Tls.describe(e));
            closing = true;
            return false;
        }
    }

    /** ABOR: ends a running transfer (its 426 first, then 226 here), or says there was none (225). */
    void abor(String arg) throws IOException {
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

    void stat(String arg) throws IOException {
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
        if (protection.active()) {
            lines.add(" Control connection in " + protection.describe());
        }
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

    /** The client quit or vanished: no transfer, data connection or upload outlives the session. */
    private void end() throws IOException {
        if (busy()) {
            transfer.abort("Control connection closed; transfer aborted.");
            join(ABORT_WAIT);
        }
        logout();
        if (tls != null) {
            try {
                tls.shutdownOutput(); // close_notify: TLS clients (lftp) want the end said, not just the connection closed
            } catch (IOException e) {
                // The client has gone already.
            }
        }
    }
}
