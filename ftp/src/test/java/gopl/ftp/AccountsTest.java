package gopl.ftp;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gopl.common.Cli;
import gopl.common.ToolException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The --users file, bcrypt, homes and read-only users, and {@code ftp passwd}, which writes the file's lines. */
@Timeout(60)
class AccountsTest {
    @TempDir
    Path tmp;

    /** Runs {@code ftp ARGS} with {@code stdin}; returns {status, stdout, stderr}. */
    private static String[] ftp(String stdin, String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        InputStream saved = System.in;
        System.setIn(new ByteArrayInputStream(stdin.getBytes(UTF_8)));
        try {
            int status = Cli.run(new FtpCommand(), new PrintStream(out, true, UTF_8), new PrintStream(err, true, UTF_8), args);
            return new String[] {Integer.toString(status), out.toString(UTF_8), err.toString(UTF_8)};
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void passwdWritesALineWhoseHashOpensTheAccount() throws Exception {
        var run = ftp("s3cret\n", "passwd", "--home", "/drop", "--read-only", "alice");
        assertThat(run[0]).isEqualTo("0");
        var line = run[1].strip();
        assertThat(line).matches("alice:\\$2b\\$10\\$[./A-Za-z0-9]{53}:/drop:ro").doesNotContain("s3cret");
        Files.createDirectories(tmp.resolve("root/drop"));
        var user = UsersFile.parse(line, new Jail(tmp.resolve("root")));
        try (var accounts = new Accounts(false, new Jail(tmp.resolve("root")), java.util.List.of(user))) {
            var account = accounts.login("alice", "s3cret").orElseThrow();
            assertThat(account.canWrite()).isFalse();
            assertThat(account.jail().root()).isEqualTo(tmp.resolve("root/drop").toRealPath());
            assertThat(accounts.login("alice", "S3cret")).isEmpty();
            assertThat(accounts.login("bob", "s3cret")).isEmpty();
            assertThat(accounts.login("anonymous", "x")).isEmpty();
        }
    }

    @Test
    void passwdUpdatesAFileInPlaceKeepingOtherUsers() throws Exception {
        var file = tmp.resolve("users");
        assertThat(ftp("one\n", "passwd", "--users", file.toString(), "bob")[0]).isEqualTo("0");
        assertThat(ftp("two\n", "passwd", "--users", file.toString(), "--home", "/x", "carol")[0]).isEqualTo("0");
        var first = Files.readAllLines(file);
        assertThat(ftp("three\n", "passwd", "--users", file.toString(), "bob")[0]).isEqualTo("0");
        var lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("bob:").endsWith(":/:rw").isNotEqualTo(first.get(0)); // replaced where it was
        assertThat(lines.get(1)).isEqualTo(first.get(1));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void passwdRefusesBadInputInOneLine() {
        var empty = ftp("\n", "passwd", "bob");
        assertThat(empty[0]).isEqualTo("1");
        assertThat(empty[2]).isEqualTo("ftp passwd: no password given; nothing written\n");
        var tooLong = ftp("x".repeat(73) + "\n", "passwd", "bob");
        assertThat(tooLong[2]).startsWith("ftp passwd: cannot use a password longer than 72 bytes").hasLineCount(1);
        var anonymous = ftp("pw\n", "passwd", "anonymous");
        assertThat(anonymous[0]).isEqualTo("2");
        assertThat(anonymous[2]).startsWith("ftp passwd: anonymous is the anonymous login").hasLineCount(1);
        var colon = ftp("pw\n", "passwd", "a:b");
        assertThat(colon[2]).contains("is not a user name").hasLineCount(1);
        assertThat(ftp("pw\n", "passwd", "--cost", "4", "bob")[2]).contains("--cost must be 10 to 16");
    }

    @Test
    void badUsersFilesStopTheServerNamingTheLine() throws IOException {
        var root = Files.createDirectories(tmp.resolve("root"));
        Files.createDirectories(root.resolve("home"));
        var jail = new Jail(root);
        var hash = Passwords.hash("pw".getBytes(UTF_8), 10);
        String[][] cases = {
            {"bob:" + hash + ":/home", "line 2: expected NAME:HASH:HOME:rw|ro, found 3 fields"},
            {"bob:plaintext:/home:rw", "line 2: the password of bob is not a bcrypt hash (make one with: ftp passwd bob)"},
            {"bob:" + hash + ":/home:rwx", "line 2: access must be rw or ro, not 'rwx'"},
            {"bob:" + hash + ":/missing:rw", "line 2: home /missing is not a directory under"},
            {"ftp:" + hash + ":/home:rw", "line 2: ftp is the anonymous login"},
            {"bob:" + hash + ":/home:rw\nbob:" + hash + ":/:ro", "line 3: user bob appears twice"},
        };
        for (var c : cases) {
            var file = Files.writeString(tmp.resolve("users"), "# users\n" + c[0] + "\n");
            assertThatThrownBy(() -> UsersFile.read(file, jail)).isInstanceOf(ToolException.class)
                    .hasMessageStartingWith(file + ", " + c[1]);
        }
        assertThatThrownBy(() -> UsersFile.read(tmp.resolve("none"), jail)).hasMessage("cannot read users file " + tmp.resolve("none") + ": no such file");
    }

    @Test
    void aHomeIsTheUsersWholeWorldAndReadOnlyUsersCannotWrite() throws Exception {
        var root = Files.createDirectories(tmp.resolve("root"));
        Files.createDirectories(root.resolve("drop"));
        Files.writeString(root.resolve("secret.txt"), "not for carol");
        Files.createSymbolicLink(root.resolve("drop/out"), root.resolve("secret.txt"));
        var users = tmp.resolve("users");
        ftp("carol-pw\n", "passwd", "--users", users.toString(), "--home", "/drop", "carol");
        ftp("dave-pw\n", "passwd", "--users", users.toString(), "--read-only", "dave");
        try (var server = TestServer.start(root, "--users", users.toString()); var carol = RawControl.open(server.port())) {
            carol.expect("USER carol", 331);
            carol.expect("PASS carol-pw", 230);
            assertThat(carol.send("PWD")).isEqualTo("257 \"/\" is the current directory.");
            assertThat(carol.send("SIZE /secret.txt")).startsWith("550");
            assertThat(carol.send("SIZE ../secret.txt")).startsWith("550");
            assertThat(carol.send("SIZE out")).startsWith("550"); // a link out of the home is not there
            carol.expect("MKD mine", 257);
            assertThat(root.resolve("drop/mine")).isDirectory();
            try (var dave = RawControl.open(server.port())) {
                dave.expect("USER dave", 331);
                assertThat(dave.send("PASS dave-pw")).isEqualTo("230 Login successful (read-only).");
                assertThat(dave.send("SIZE /secret.txt")).isEqualTo("213 13");
                assertThat(dave.send("MKD /drop/his")).startsWith("550 Permission denied");
                dave.expect("USER " + TestServer.USER, 331); // --user still works beside --users
                dave.expect("PASS " + TestServer.PASSWORD, 230);
            }
        }
    }
}
