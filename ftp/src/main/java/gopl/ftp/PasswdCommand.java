package gopl.ftp;

import gopl.common.IoErrors;
import gopl.common.StandardOptions;
import gopl.common.ToolException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ftp passwd NAME}: asks for a password (twice on a terminal, else the first line of
 * standard input) and writes the user's line of a {@code --users} file, bcrypt-hashed; into FILE
 * with {@code --users FILE} (replacing the user's old line, as {@code htpasswd} does), else on
 * standard output. The password never appears on a command line.
 */
@Command(name = "passwd", description = {"Write a --users line for NAME with a bcrypt hash of a password read from the",
        "terminal (asked twice) or from the first line of standard input."},
        footer = {"", "Examples:", "  ftp passwd --users users --home /incoming bob        asks for bob's password",
            "  printf '%s\\n' \"$PW\" | ftp passwd --read-only alice >> users"})
final class PasswdCommand implements Callable<Integer> {
    @Mixin
    StandardOptions standard;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "The user's name.")
    String name;

    @Option(names = {"-home", "--home"}, paramLabel = "DIR", description = "The user's home under the shared root, which they see as / (default: /).")
    String home = "/";

    @Option(names = {"-read-only", "--read-only"}, description = "The user may only read (default: read and write).")
    boolean readOnly;

    @Option(names = {"-cost", "--cost"}, paramLabel = "N", description = "bcrypt cost, 2^N rounds, 10 to 16 (default: ${DEFAULT-VALUE}).")
    int cost = Passwords.DEFAULT_COST;

    @Option(names = {"-users", "--users"}, paramLabel = "FILE", description = "Add or replace the line in FILE (made with mode 600) instead of printing it.")
    Path users;

    @Override
    public Integer call() throws IOException {
        try {
            UsersFile.checkName(name);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (cost < 10 || cost > 16) {
            throw new ParameterException(spec.commandLine(), "--cost must be 10 to 16");
        }
        var password = readPassword();
        String hash;
        try {
            hash = Passwords.hash(password, cost);
        } catch (IllegalArgumentException e) {
            throw new ToolException("cannot use " + e.getMessage());
        } finally {
            Arrays.fill(password, (byte) 0);
        }
        var line = UsersFile.line(name, hash, home, !readOnly);
        if (users == null) {
            spec.commandLine().getOut().println(line);
        } else {
            update(line);
            spec.commandLine().getErr().println("ftp: " + (readOnly ? "read-only" : "read-write") + " user " + name + " in " + users);
        }
        return 0;
    }

    private byte[] readPassword() throws IOException {
        var console = System.console();
        String password;
        if (console != null && console.isTerminal()) {
            var first = console.readPassword("Password for %s: ", name);
            var again = console.readPassword("Again: ");
            if (first == null || again == null || !Arrays.equals(first, again)) {
                throw new ToolException("the passwords differ; nothing written");
            }
            password = new String(first);
        } else {
            var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            password = in.readLine();
        }
        if (password == null || password.isEmpty()) {
            throw new ToolException("no password given; nothing written");
        }
        return password.getBytes(StandardCharsets.UTF_8);
    }

    /** Replaces the user's line in the file, or adds it, in one rename: a reader never sees half a file. */
    private void update(String line) {
        var lines = new ArrayList<String>();
        boolean replaced = false;
        if (Files.exists(users)) {
            for (var old : UsersFile.lines(users)) {
                boolean theirs = old.startsWith(name + ":");
                if (theirs && !replaced) {
                    lines.add(line);
                }
                replaced |= theirs;
                if (!theirs) {
                    lines.add(old);
                }
            }
        }
        if (!replaced) {
            lines.add(line);
        }
        var dir = users.toAbsolutePath().getParent();
        try {
            var temp = Files.createTempFile(dir, ".users-", ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                Files.write(temp, lines, StandardCharsets.UTF_8);
                move(temp);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new ToolException("cannot write users file " + users + ": " + IoErrors.reason(e));
        }
    }

    private void move(Path temp) throws IOException {
        try {
            Files.move(temp, users, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, users, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
