package gopl.ftp;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The command set, as the session checks it before running a command (which need a login, which
 * write, which take an argument), and as FEAT, OPTS and HELP describe it to clients.
 */
final class Commands {
    /** Every command the server knows, for HELP; the X forms are RFC 775's, which Windows clients send. */
    static final List<String> ALL = List.of("ABOR", "ALLO", "APPE", "CDUP", "CLNT", "CWD", "DELE", "EPRT", "EPSV", "FEAT",
            "HELP", "LIST", "MDTM", "MFMT", "MKD", "MLSD", "MLST", "MODE", "NLST", "NOOP", "OPTS", "PASS", "PASV", "PORT", "PWD",
            "QUIT", "REIN", "REST", "RETR", "RMD", "RNFR", "RNTO", "SITE", "SIZE", "STAT", "STOR", "STOU", "STRU", "SYST", "TYPE",
            "USER", "XCUP", "XCWD", "XMKD", "XPWD", "XRMD");
    static final Set<String> BEFORE_LOGIN = Set.of("USER", "PASS", "QUIT", "REIN", "SYST", "FEAT", "OPTS", "HELP", "NOOP",
            "AUTH", "CLNT", "STAT");
    static final Set<String> WRITES = Set.of("STOR", "APPE", "STOU", "DELE", "MKD", "XMKD", "RMD", "XRMD", "RNFR", "RNTO", "MFMT");
    static final Set<String> NEED_ARGUMENT = Set.of("USER", "CWD", "XCWD", "SIZE", "MDTM", "DELE", "MKD", "XMKD", "RMD", "XRMD",
            "RNFR", "RNTO", "RETR", "STOR", "APPE", "REST", "TYPE", "MODE", "STRU", "PORT", "EPRT", "MFMT", "SITE");
    private static final List<String> FEATURES = List.of(" EPRT", " EPSV", " MDTM", " MFMT",
            " MLST type*;size*;modify*;perm*;UNIX.mode*;", " PASV", " REST STREAM", " SIZE", " TVFS", " UTF8");

    private Commands() {}

    /** Why a command may not run for this account (null: not logged in), as a reply; null if it may. */
    static Reply.Code refusal(String verb, String arg, Accounts.Account account) {
        if (account == null && !BEFORE_LOGIN.contains(verb)) {
            return ALL.contains(verb) ? new Reply.Code(530, "Please login with USER and PASS.") : new Reply.Code(500, "Unknown command.");
        }
        if (NEED_ARGUMENT.contains(verb) && arg.isBlank()) {
            return new Reply.Code(501, verb + " needs an argument.");
        }
        if (account != null && WRITES.contains(verb) && !account.canWrite()) {
            return new Reply.Code(550, "Permission denied (read-only account).");
        }
        return null;
    }

    /** FEAT (RFC 2389): the extensions, one per line, each after a space. */
    static void feat(Reply reply) throws IOException {
        reply.send(211, "Features:", FEATURES, "End");
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

    static void help(Reply reply, String arg) throws IOException {
        var command = arg.strip().toUpperCase(Locale.ROOT);
        if (!command.isEmpty()) {
            boolean known = ALL.contains(command);
            reply.send(known ? 214 : 502, command + (known ? " is supported." : " is not implemented."));
            return;
        }
        var rows = new ArrayList<String>();
        for (int i = 0; i < ALL.size(); i += 10) {
            rows.add(" " + String.join(" ", ALL.subList(i, Math.min(i + 10, ALL.size()))));
        }
        reply.send(214, "The following commands are recognized:", rows, "Help OK.");
    }
}
