package gopl.ftp;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

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
        on(arg, path -> reply.send(213, Long.toString(Files.size(regularFile(path)))));
    }

    void mdtm(String arg) throws IOException {
        on(arg, path -> reply.send(213, Listing.time(Files.getLastModifiedTime(regularFile(path)))));
    }

    /** MLST: the facts of one file or directory, on the control connection (RFC 3659 7). */
    void mlst(String arg) throws IOException {
        on(arg, path -> {
            var entry = Listing.stat(jail.resolve(path), path);
            if (entry == null) {
                throw new NoSuchFileException(path);
            }
            reply.send(250, "Listing " + path, List.of(" " + Listing.facts(entry, canWrite)), "End.");
        });
    }

    void dele(String arg) throws IOException {
        on(arg, path -> {
            var file = jail.entry(path);
            if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
                reply.send(550, path + ": Is a directory (use RMD).");
                return;
            }
            Files.delete(file); // a link is deleted, never its target
            reply.send(250, path + " deleted.");
        });
    }

    void mkd(String arg) throws IOException {
        on(arg, path -> {
            Files.createDirectory(jail.entry(path));
            reply.send(257, quote(path) + " created.");
        });
    }

    void rmd(String arg) throws IOException {
        on(arg, path -> {
            var dir = jail.entry(path);
            if (dir.equals(jail.root())) {
                throw new AccessDeniedException(path);
            }
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw Files.exists(dir, LinkOption.NOFOLLOW_LINKS) ? new NotDirectoryException(path) : new NoSuchFileException(path);
            }
            Files.delete(dir);
            reply.send(250, path + " removed.");
        });
    }

    void rnfr(String arg) throws IOException {
        on(arg, path -> {
            var from = jail.entry(path);
            if (from.equals(jail.root())) {
                throw new AccessDeniedException(path);
            }
            if (!Files.exists(from, LinkOption.NOFOLLOW_LINKS)) {
                throw new NoSuchFileException(path);
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
            if (target.equals(jail.root())) {
                throw new AccessDeniedException(path);
            }
            move(source, target);
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
            Files.setLastModifiedTime(jail.resolve(path), time);
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
                Files.setPosixFilePermissions(jail.resolve(path), mode);
                reply.send(200, "SITE CHMOD command ok.");
            });
        }
    }

    /** Any command but RNTO after RNFR cancels the rename (RFC 959). */
    void forgetRename() {
        renameFrom = null;
    }

    private static void move(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE); // rename(2): replaces a file, as mv does
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(source, target); // another file system under the root: copy, then delete
        }
    }

    /** The real path of a regular file: SIZE, MDTM and RETR refuse directories and devices. */
    Path regularFile(String path) throws IOException {
        var file = jail.resolve(path);
        if (!Files.isRegularFile(file)) {
            if (Files.exists(file)) {
                throw new FileSystemException(path, null, "Not a regular file");
            }
            throw new NoSuchFileException(path);
        }
        return file;
    }

    /** RFC 959's 257 reply: the path in quotes, a quote inside doubled. */
    private static String quote(String path) {
        return '"' + path.replace("\"", "\"\"") + '"';
    }
}
