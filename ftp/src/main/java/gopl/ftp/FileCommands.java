package gopl.ftp;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The commands on paths that need no data connection: PWD, CWD, CDUP, SIZE, MDTM, MLST, DELE, MKD,
 * RMD, RNFR, RNTO, MFMT and SITE CHMOD (the last two let {@code lftp mirror -R} keep times and modes). It keeps a logged-in session's working directory, as the client sees it.
 * Write access is checked by the session before these run.
 */
final class FileCommands {
    private interface Operation {
        void run(String path) throws IOException;
    }

    private final Jail jail;
    private final Reply reply;
    private final boolean canWrite;
    private String cwd = "/";
    private String renameFrom;

    FileCommands(Jail jail, Reply reply, boolean canWrite) {
        this.jail = jail;
        this.reply = reply;
        this.canWrite = canWrite;
    }

    /** The client's absolute path for an argument. */
    String path(String arg) {
        return Jail.normalize(cwd, arg);
    }

    String cwd() {
        return cwd;
    }

    /** Runs a path operation, turning file system failures into their replies. */
    private void on(String arg, Operation operation) throws IOException {
        var path = path(arg);
        try {
            operation.run(path);
        } catch (InvalidPathException e) {
            reply.send(553, "File name not allowed.");
        } catch (IOException e) {
            reply.failed(path, e);
        }
    }

    void pwd() throws IOException {
        reply.send(257, quote(cwd) + " is the current directory.");
    }

    void cwd(String arg) throws IOException {
        on(arg, path -> {
            var dir = jail.resolve(path);
            if (!Files.isDirectory(dir)) {
                throw Files.exists(dir) ? new NotDirectoryException(path) : new NoSuchFileException(path);
            }
            if (!Files.isExecutable(dir)) {
                throw new AccessDeniedException(path);
            }
            cwd = path;
            reply.send(250, "Directory changed to " + path + ".");
        });
    }

    void size(String arg) throws IOException {
        on(arg, path -> reply.send(213, Long.toString(jail.attributes(regularFile(path)).size())));
    }

    void mdtm(String arg) throws IOException {
        on(arg, path -> reply.send(213, Listing.time(jail.attributes(regularFile(path)).lastModifiedTime())));
    }

    /** MLST: the facts of one file or directory, on the control connection (RFC 3659 7). */
    void mlst(String arg) throws IOException {
        on(arg, path -> {
            var entry = Listing.stat(jail, jail.resolve(path), path);
            if (entry == null) {
                throw new NoSuchFileException(path);
            }
            reply.send(250, "Listing " + path, List.of(" " + Listing.facts(entry, canWrite)), "End.");
        });
    }

    void dele(String arg) throws IOException {
        on(arg, path -> {
            try (var file = jail.locate(jail.entry(path))) {
                if (file.attributes().isDirectory()) {
                    reply.send(550, path + ": Is a directory (use RMD).");
                    return;
                }
                file.deleteFile(); // a link is deleted, never its target
            }
            reply.send(250, path + " deleted.");
        });
    }

    void mkd(String arg) throws IOException {
        on(arg, path -> {
            jail.createDirectory(jail.entry(path));
            reply.send(257, quote(path) + " created.");
        });
    }

    void rmd(String arg) throws IOException {
        on(arg, path -> {
            try (var dir = jail.locate(jail.entry(path))) {
                if (!dir.attributes().isDirectory()) {
                    throw new NotDirectoryException(path);
                }
                dir.deleteDirectory();
            }
            reply.send(250, path + " removed.");
        });
    }

    void rnfr(String arg) throws IOException {
        on(arg, path -> {
            try (var from = jail.locate(jail.entry(path))) {
                from.attributes(); // NoSuchFileException if it is not there
            }
            renameFrom = path;
            reply.send(350, "Ready for RNTO.");
        });
    }

    void rnto(String arg) throws IOException {
        var from = renameFrom;
        renameFrom = null;
        if (from == null) {
            reply.send(503, "RNFR first.");
            return;
        }
        on(arg, path -> {
            var source = jail.entry(from);
            var target = jail.entry(path);
            try (var sourceEntry = jail.locate(source); var targetEntry = jail.locate(target)) {
                sourceEntry.moveTo(targetEntry); // rename(2): replaces a file, as mv does
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(source, target); // another file system mounted under the root: copy, then delete
            }
            reply.send(250, "Renamed " + from + " to " + path + ".");
        });
    }

    /** MFMT {@code 20240307091500 path}: sets a file's modification time (draft-somers-ftp-mfxx). */
    void mfmt(String arg) throws IOException {
        var words = arg.strip().split(" ", 2);
        FileTime time;
        try {
            time = FileTime.from(Listing.parseTime(words[0]));
        } catch (DateTimeParseException e) {
            reply.send(501, "MFMT takes YYYYMMDDHHMMSS and a path.");
            return;
        }
        if (words.length < 2) {
            reply.send(501, "MFMT takes YYYYMMDDHHMMSS and a path.");
            return;
        }
        on(words[1], path -> {
            try (var file = jail.locate(jail.resolve(path))) {
                file.setTimes(time);
            }
            reply.send(213, "Modify=" + words[0] + "; " + path);
        });
    }

    /** SITE CHMOD {@code 644 path} for the write account, and SITE HELP. */
    void site(String arg) throws IOException {
        var words = arg.strip().split(" ", 3);
        var command = words[0].toUpperCase(Locale.ROOT);
        if (command.equals("HELP")) {
            reply.send(214, "SITE CHMOD and SITE HELP are supported.");
        } else if (!command.equals("CHMOD")) {
            reply.send(502, "SITE " + command + " is not implemented.");
        } else if (!canWrite) {
            reply.send(550, "Permission denied (read-only account).");
        } else if (words.length < 3 || !words[1].matches("0?[0-7]{1,3}")) {
            reply.send(501, "SITE CHMOD takes an octal mode (no more than 777) and a path.");
        } else {
            var mode = Listing.permissions(Integer.parseInt(words[1], 8));
            on(words[2], path -> {
                try (var file = jail.locate(jail.resolve(path))) {
                    file.setPermissions(mode);
                }
                reply.send(200, "SITE CHMOD command ok.");
            });
        }
    }

    /** Any command but RNTO after RNFR cancels the rename (RFC 959). */
    void forgetRename() {
        renameFrom = null;
    }

    /** Opens a regular file for RETR, through its directory's handle: a link swapped in since the check is refused. */
    FileChannel openRegular(String path) throws IOException {
        try (var file = jail.locate(jail.resolve(path))) {
            if (!file.attributes().isRegularFile()) {
                throw new FileSystemException(path, null, "Not a regular file");
            }
            return file.open(Set.of(StandardOpenOption.READ));
        }
    }

    /** The real path of a regular file: SIZE and MDTM refuse directories and devices. */
    Path regularFile(String path) throws IOException {
        var file = jail.resolve(path);
        var attrs = jail.attributes(file); // NoSuchFileException if missing
        if (!attrs.isRegularFile()) {
            throw new FileSystemException(path, null, "Not a regular file");
        }
        return file;
    }

    /** RFC 959's 257 reply: the path in quotes, a quote inside doubled. */
    private static String quote(String path) {
        return '"' + path.replace("\"", "\"\"") + '"';
    }
}
