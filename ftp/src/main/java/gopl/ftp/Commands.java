package gopl.ftp;

import static gopl.ftp.Commands.Rule.ARGUMENT;
import static gopl.ftp.Commands.Rule.BEFORE_LOGIN;
import static gopl.ftp.Commands.Rule.DURING_TRANSFER;
import static gopl.ftp.Commands.Rule.KEEPS_RENAME;
import static gopl.ftp.Commands.Rule.TLS;
import static gopl.ftp.Commands.Rule.WRITES;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Every command the server knows, in one table: what runs it, the rules the session checks first
 * (which need a login, which write, which take an argument, which are answered mid-transfer), and
 * the FEAT line it adds. Dispatch, the pre-login check, HELP and FEAT all read this table, so they
 * cannot disagree. The X forms are RFC 775's, which Windows clients send.
 */
final class Commands {
    /** What the session checks before running a command. */
    enum Rule {
        /** May run before login (every other command gets 530). */
        BEFORE_LOGIN,
        /** Changes files: refused to a read-only account. */
        WRITES,
        /** Needs an argument (501 without). */
        ARGUMENT,
        /** Answered at once while a transfer runs; every other command waits for the transfer's end. */
        DURING_TRANSFER,
        /** Leaves a pending RNFR in place (any other command cancels it, RFC 959). */
        KEEPS_RENAME,
        /** Only on a server with TLS (--tls-cert or --keystore): 502 otherwise, and HELP and FEAT leave it out. */
        TLS
    }

    /** Runs a command on a session. */
    @FunctionalInterface
    interface Handler {
        void run(Session session, String arg) throws IOException;
    }

    /** One row of the table. */
    record Command(String verb, Set<Rule> rules, String feature, Handler handler) {
        boolean has(Rule rule) {
            return rules.contains(rule);
        }
    }

    /** FEAT lines that belong to no one command. */
    private static final List<String> OTHER_FEATURES = List.of("TVFS", "UTF8");

    private static final Map<String, Command> TABLE = table(
            row("ABOR", Set.of(DURING_TRANSFER), Session::abor),
            row("ALLO", Set.of(), (s, a) -> s.reply().send(202, "No storage allocation necessary.")),
            row("APPE", Set.of(WRITES, ARGUMENT), (s, a) -> s.start(s.transfers().store("APPE", a))),
            row("AUTH", Set.of(BEFORE_LOGIN, ARGUMENT, TLS), "AUTH TLS", Session::auth),
            row("CDUP", Set.of(), (s, a) -> s.files().cwd("..")),
            row("CLNT", Set.of(BEFORE_LOGIN), (s, a) -> s.reply().send(200, "Noted.")),
            row("CWD", Set.of(ARGUMENT), (s, a) -> s.files().cwd(a)),
            row("DELE", Set.of(WRITES, ARGUMENT), (s, a) -> s.files().dele(a)),
            row("EPRT", Set.of(ARGUMENT), "EPRT", (s, a) -> s.transfers().port(a, true)),
            row("EPSV", Set.of(), "EPSV", (s, a) -> s.transfers().epsv(a)),
            row("FEAT", Set.of(BEFORE_LOGIN), (s, a) -> feat(s.reply(), s.protection().available())),
            row("HELP", Set.of(BEFORE_LOGIN), (s, a) -> help(s.reply(), a, s.protection().available())),
            row("LIST", Set.of(), (s, a) -> s.start(s.lists().list("LIST", a))),
            row("MDTM", Set.of(ARGUMENT), "MDTM", (s, a) -> s.files().mdtm(a)),
            row("MFMT", Set.of(WRITES, ARGUMENT), "MFMT", (s, a) -> s.files().mfmt(a)),
            row("MKD", Set.of(WRITES, ARGUMENT), (s, a) -> s.files().mkd(a)),
            row("MLSD", Set.of(), (s, a) -> s.start(s.lists().list("MLSD", a))),
            row("MLST", Set.of(), "MLST type*;size*;modify*;perm*;UNIX.mode*;", (s, a) -> s.files().mlst(a)),
            row("MODE", Set.of(ARGUMENT), (s, a) -> s.transfers().mode("MODE", a, "S")),
            row("NLST", Set.of(), (s, a) -> s.start(s.lists().list("NLST", a))),
            row("NOOP", Set.of(BEFORE_LOGIN), (s, a) -> s.reply().send(200, "NOOP ok.")),
            row("OPTS", Set.of(BEFORE_LOGIN), (s, a) -> opts(s.reply(), a)),
            row("PASS", Set.of(BEFORE_LOGIN), Session::pass),
            row("PASV", Set.of(), "PASV", (s, a) -> s.transfers().pasv()),
            row("PBSZ", Set.of(BEFORE_LOGIN, ARGUMENT, TLS), "PBSZ", (s, a) -> s.reply().send(s.protection().pbsz(a))),
            row("PORT", Set.of(ARGUMENT), (s, a) -> s.transfers().port(a, false)),
            row("PROT", Set.of(BEFORE_LOGIN, ARGUMENT, TLS), "PROT", (s, a) -> s.reply().send(s.protection().prot(a))),
            row("PWD", Set.of(), (s, a) -> s.files().pwd()),
            row("QUIT", Set.of(BEFORE_LOGIN), Session::quit),
            row("REIN", Set.of(BEFORE_LOGIN), Session::rein),
            row("REST", Set.of(ARGUMENT), "REST STREAM", (s, a) -> s.transfers().rest(a)),
            row("RETR", Set.of(ARGUMENT), (s, a) -> s.start(s.transfers().retr(a))),
            row("RMD", Set.of(WRITES, ARGUMENT), (s, a) -> s.files().rmd(a)),
            row("RNFR", Set.of(WRITES, ARGUMENT), (s, a) -> s.files().rnfr(a)),
            row("RNTO", Set.of(WRITES, ARGUMENT, KEEPS_RENAME), (s, a) -> s.files().rnto(a)),
            row("SITE", Set.of(ARGUMENT), (s, a) -> s.files().site(a)),
            row("SIZE", Set.of(ARGUMENT), "SIZE", (s, a) -> s.files().size(a)),
            row("STAT", Set.of(BEFORE_LOGIN, DURING_TRANSFER), Session::stat),
            row("STOR", Set.of(WRITES, ARGUMENT), (s, a) -> s.start(s.transfers().store("STOR", a))),
            row("STOU", Set.of(WRITES), (s, a) -> s.start(s.transfers().store("STOU", a))),
            row("STRU", Set.of(ARGUMENT), (s, a) -> s.transfers().mode("STRU", a, "F")),
            row("SYST", Set.of(BEFORE_LOGIN), (s, a) -> s.reply().send(215, "UNIX Type: L8")),
            row("TYPE", Set.of(ARGUMENT), (s, a) -> s.transfers().type(a)),
            row("USER", Set.of(BEFORE_LOGIN, ARGUMENT), Session::user),
            row("XCUP", Set.of(), (s, a) -> s.files().cwd("..")),
            row("XCWD", Set.of(ARGUMENT), (s, a) -> s.files().cwd(a)),
            row("XMKD", Set.of(WRITES, ARGUMENT), (s, a) -> s.files().mkd(a)),
            row("XPWD", Set.of(), (s, a) -> s.files().pwd()),
            row("XRMD", Set.of(WRITES, ARGUMENT), (s, a) -> s.files().rmd(a)));

    private Commands() {}

    private static Command row(String verb, Set<Rule> rules, Handler handler) {
        return row(verb, rules, null, handler);
    }

    private static Command row(String verb, Set<Rule> rules, String feature, Handler handler) {
        return new Command(verb, rules.isEmpty() ? Set.of() : EnumSet.copyOf(rules), feature, handler);
    }

    private static Map<String, Command> table(Command... rows) {
        var table = new TreeMap<String, Command>();
        for (var row : rows) {
            if (table.put(row.verb(), row) != null) {
                throw new AssertionError("two rows for " + row.verb());
            }
        }
        return table;
    }

    /** The command for a verb (upper case), or null if there is none. */
    static Command find(String verb) {
        return TABLE.get(verb);
    }

    /** Every command, in alphabetical order. */
    static List<Command> all() {
        return List.copyOf(TABLE.values());
    }

    /** The commands HELP names: all of them, but the TLS ones only on a server with TLS. */
    static List<Command> listed(boolean tls) {
        return TABLE.values().stream().filter(c -> tls || !c.has(TLS)).toList();
    }

    /**
     * Why a command may not run for this account (null: not logged in) on a server with or without
     * TLS, as a reply; null if it may.
     */
    static Reply.Code refusal(Command command, String arg, Accounts.Account account, boolean tls) {
        if (command.has(TLS) && !tls) {
            return new Reply.Code(502, "TLS is not configured on this server.");
        }
        if (account == null && !command.has(BEFORE_LOGIN)) {
            return new Reply.Code(530, "Please login with USER and PASS.");
        }
        if (command.has(ARGUMENT) && arg.isBlank()) {
            return new Reply.Code(501, command.verb() + " needs an argument.");
        }
        if (account != null && command.has(WRITES) && !account.canWrite()) {
            return new Reply.Code(550, "Permission denied (read-only account).");
        }
        return null;
    }

    /** FEAT (RFC 2389): the extensions, one per line, each after a space. */
    static void feat(Reply reply, boolean tls) throws IOException {
        var features = Stream.concat(listed(tls).stream().map(Command::feature), OTHER_FEATURES.stream())
                .filter(f -> f != null).sorted().map(f -> " " + f).toList();
        reply.send(211, "Features:", features, "End");
    }

    /** OPTS UTF8 ON, which Windows clients send before anything else, and OPTS MLST. */
    static void opts(Reply reply, String arg) throws IOException {
        var option = arg.strip().toUpperCase(Locale.ROOT);
        if (option.startsWith("UTF8") || option.startsWith("UTF-8")) {
            reply.send(200, "Always in UTF8 mode.");
        } else if (option.startsWith("MLST")) {
            reply.send(200, "MLST OPTS type;size;modify;perm;UNIX.mode;");
        } else {
            reply.send(501, "Option not understood.");
        }
    }

    /** HELP, or HELP with a command: the commands HELP names are exactly those the table runs. */
    static void help(Reply reply, String arg, boolean tls) throws IOException {
        var listed = listed(tls).stream().map(Command::verb).toList();
        var command = arg.strip().toUpperCase(Locale.ROOT);
        if (!command.isEmpty()) {
            boolean known = listed.contains(command);
            reply.send(known ? 214 : 502, command + (known ? " is supported." : " is not implemented."));
            return;
        }
        var rows = new ArrayList<String>();
        for (int i = 0; i < listed.size(); i += 10) {
            rows.add(" " + String.join(" ", listed.subList(i, Math.min(i + 10, listed.size()))));
        }
        reply.send(214, "The following commands are recognized:", rows, "Help OK.");
    }
}
