package gopl.ftp;

import gopl.common.IoErrors;
import gopl.common.ToolException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code --users} file: one user a line, {@code NAME:HASH:HOME:ACCESS}, as {@code ftp passwd}
 * writes it, for example {@code bob:$2b$10$...:/incoming:rw}. HASH is bcrypt; HOME is a directory
 * under the shared root, which the user sees as {@code /}; ACCESS is {@code rw} or {@code ro}.
 * Blank lines and lines starting with {@code #} are ignored. Any mistake stops the server with one
 * line naming the file, the line and what is wrong.
 */
final class UsersFile {
    /** A user name: printable, no spaces or colons, at most 64 characters. */
    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N}._@+-]{1,64}");
    private static final long MAX_SIZE = 16 << 20;

    private UsersFile() {}

    /** The users in {@code file}, with homes resolved inside {@code root}. */
    static List<Accounts.User> read(Path file, Jail root) {
        var lines = lines(file);
        var users = new ArrayList<Accounts.User>();
        var names = new HashSet<String>();
        for (int i = 0; i < lines.size(); i++) {
            var line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            var where = file + ", line " + (i + 1) + ": ";
            try {
                var user = parse(line, root);
                if (!names.add(user.name())) {
                    throw new IllegalArgumentException("user " + user.name() + " appears twice");
                }
                users.add(user);
            } catch (IllegalArgumentException e) {
                throw new ToolException(where + e.getMessage());
            }
        }
        return users;
    }

    /** One line; throws IllegalArgumentException saying what is wrong with it. */
    static Accounts.User parse(String line, Jail root) {
        var fields = line.split(":", -1);
        if (fields.length != 4) {
            throw new IllegalArgumentException("expected NAME:HASH:HOME:rw|ro, found " + fields.length + " fields");
        }
        var name = checkName(fields[0]);
        if (!Passwords.isHash(fields[1])) {
            throw new IllegalArgumentException("the password of " + name + " is not a bcrypt hash (make one with: ftp passwd " + name + ")");
        }
        boolean canWrite = switch (fields[3]) {
            case "rw" -> true;
            case "ro" -> false;
            default -> throw new IllegalArgumentException("access must be rw or ro, not '" + fields[3] + "'");
        };
        var home = Jail.normalize("/", fields[2]);
        return new Accounts.User(name, new Accounts.Credential.Hash(fields[1]), home(root, home), home, canWrite);
    }

    /** A name a user may have: not an anonymous one, nothing that would break a line of the file. */
    static String checkName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + Reply.printable(name) + "' is not a user name (letters, digits, . _ @ + -; at most 64)");
        }
        if (Accounts.isAnonymousName(name)) {
            throw new IllegalArgumentException(name + " is the anonymous login (see --no-anonymous), not a user name");
        }
        return name;
    }

    /** The user's home: an existing directory inside the root (a link out of it does not count). */
    static Jail home(Jail root, String home) {
        try {
            var real = root.resolve(home);
            if (!Files.isDirectory(real)) {
                throw new IllegalArgumentException("home " + home + " is not a directory under " + root.root());
            }
            return new Jail(real);
        } catch (IOException e) {
            throw new IllegalArgumentException("home " + home + " is not a directory under " + root.root());
        }
    }

    /** {@code bob:$2b$10$...:/incoming:rw}. */
    static String line(String name, String hash, String home, boolean canWrite) {
        return name + ":" + hash + ":" + Jail.normalize("/", home) + ":" + (canWrite ? "rw" : "ro");
    }

    /** Whether others than the owner may read the file (and so try the hashes offline). */
    static boolean readableByOthers(Path file) {
        try {
            var permissions = Files.getPosixFilePermissions(file);
            return permissions.contains(PosixFilePermission.OTHERS_READ) || permissions.contains(PosixFilePermission.GROUP_READ);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    static List<String> lines(Path file) {
        try {
            if (Files.size(file) > MAX_SIZE) {
                throw new ToolException("users file " + file + " is larger than 16 MB: is it the right file?");
            }
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ToolException("cannot read users file " + file + ": no such file");
        } catch (IOException e) {
            throw new ToolException("cannot read users file " + file + ": " + IoErrors.reason(e));
        }
    }
}
