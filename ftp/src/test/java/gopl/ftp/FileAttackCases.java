package gopl.ftp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 13's attacks through files and their names: a local user swapping a file or directory for
 * a link leading out between the server's check and its use, names that carry terminal escapes,
 * and a server locale with other digits. {@link FileAttackTest} runs them on an in-process server,
 * {@link FtpSecurityIT} on the real jar.
 */
@Timeout(120)
abstract class FileAttackCases {
    private static final String SECRET = "top secret";
    private static final int TRIES = 500; // commands with a data connection; others, which cost less, six times as many

    @TempDir
    Path tmp;

    Path root;
    Path outside;
    Path secret;
    FileTime secretTime = FileTime.from(Instant.parse("2020-02-02T02:02:02Z"));

    /** A server sharing {@code root}, with these options added. */
    abstract FtpUnderTest start(Path root, String... options) throws Exception;

    /** A server whose default locale is {@code languageTag}. */
    abstract FtpUnderTest startInLocale(Path root, String languageTag) throws Exception;

    @BeforeEach
    void files() throws IOException {
        root = Files.createDirectories(tmp.resolve("root"));
        outside = Files.createDirectories(tmp.resolve("outside"));
        secret = Files.writeString(outside.resolve("secret.txt"), SECRET);
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Files.setLastModifiedTime(secret, secretTime);
        Files.writeString(outside.resolve("victim.txt"), "victim");
        Files.writeString(root.resolve("pub.txt"), "public");
        Files.createDirectories(root.resolve("drop"));
        Files.writeString(root.resolve("drop/victim.txt"), "inside");
    }

    private RawControl writer(int port) throws IOException {
        var control = RawControl.open(port);
        control.expect("USER " + TestServer.USER, 331);
        control.expect("PASS " + TestServer.PASSWORD, 230);
        control.expect("TYPE I", 200);
        return control;
    }

    /** Whether anything outside the root changed: a new file, the secret's content, mode or time, the victim gone. */
    private boolean outsideTouched() throws IOException {
        try (var files = Files.list(outside)) {
            return !files.map(p -> p.getFileName().toString()).sorted().toList().equals(List.of("secret.txt", "victim.txt"))
                    || !Files.readString(secret).equals(SECRET) || !Files.readString(outside.resolve("victim.txt")).equals("victim")
                    || !PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)).equals("rw-------")
                    || !Files.getLastModifiedTime(secret).equals(secretTime);
        }
    }

    @Test
    void retrNeverReadsThroughALinkSwappedIn() throws Exception {
        try (var server = start(root); var swapper = new Swapper(root.resolve("pub.txt"), secret);
                var control = RawControl.anonymous(server.port())) {
            control.expect("TYPE I", 200);
            assertThat(Attacks.retrieveRepeatedly(control, "pub.txt", "public", TRIES)).isEqualTo("public");
            assertThat(swapper.swaps()).isPositive();
        }
    }

    /**
     * A write account's command while {@code swapped} is swapped for a link out: the file
     * {@code pub.txt} for a link to the secret, the directory {@code drop} for one to the directory
     * outside. Commands joined by " ; " are sent in turn; APPE and STOR send data.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "pub.txt | APPE pub.txt",
        "pub.txt | SITE CHMOD 777 pub.txt",
        "pub.txt | MFMT 20010101000000 pub.txt",
        "drop    | STOR drop/new.txt",
        "drop    | DELE drop/victim.txt",
        "drop    | MKD drop/made",
        "drop    | SITE CHMOD 777 drop/secret.txt",
        "drop    | RNFR drop/victim.txt ; RNTO moved.txt ; RNFR moved.txt ; RNTO drop/victim.txt",
    })
    void nothingGoesThroughALinkSwappedIn(String swapped, String command) throws Exception {
        var path = root.resolve(swapped);
        try (var server = start(root); var swapper = new Swapper(path, Files.isDirectory(path) ? outside : secret);
                var control = writer(server.port())) {
            var upload = command.startsWith("APPE") || command.startsWith("STOR") ? "pwned".getBytes(StandardCharsets.US_ASCII) : null;
            var lines = command.replace(" ; ", "\r\n");
            int tries = upload == null ? 6 * TRIES : TRIES;
            assertThat(Attacks.repeatUntil(control, lines, tries, upload, this::outsideTouched)).isFalse();
            assertThat(swapper.swaps()).isPositive();
        }
        assertThat(outsideTouched()).isFalse();
    }

    @Test
    void aLinkLeadingOutStaysInvisibleWhenRenamed() throws Exception {
        Files.createSymbolicLink(root.resolve("out-link"), secret);
        // Inside while it lives in drop/ (drop/../pub.txt), outside once moved up a level (../pub.txt).
        Files.writeString(tmp.resolve("pub.txt"), SECRET);
        Files.createSymbolicLink(root.resolve("drop/relative"), Path.of("../pub.txt"));
        try (var server = start(root); var control = writer(server.port())) {
            assertThat(new String(Attacks.listing(control, "NLST drop"), StandardCharsets.UTF_8)).contains("relative");
            control.expect("RNFR out-link", 350);
            control.expect("RNTO renamed", 250);
            control.expect("RNFR drop/relative", 350);
            control.expect("RNTO relative", 250);
            var names = new String(Attacks.listing(control, "NLST -a"), StandardCharsets.UTF_8);
            assertThat(names).doesNotContain("renamed", "relative", "out-link");
            for (var name : new String[] {"renamed", "relative"}) {
                assertThat(control.send("SIZE " + name)).startsWith("550");
                assertThat(Attacks.retrieveRepeatedly(control, name, "public", 1)).isEqualTo("public"); // 550: nothing read
            }
        }
    }

    /** Control characters a write account puts in a name: ESC, BEL, CSI in its one-byte (C1) form, DEL. */
    private static final String EVIL = "evil\u001b]0;owned\u0007\u001b[2J\u009b31m\u007f.txt";

    @Test
    void namesCannotSendEscapesToAnotherUsersTerminal() throws Exception {
        try (var server = start(root)) {
            try (var control = writer(server.port())) {
                Attacks.repeat(control, "STOR " + EVIL, 1, "x".getBytes(StandardCharsets.US_ASCII));
            }
            assertThat(root.resolve(EVIL)).exists();
            try (var control = RawControl.anonymous(server.port())) {
                for (var command : new String[] {"LIST", "NLST", "MLSD", "STAT .", "MLST " + EVIL, "LIST e*", "NLST *.txt"}) {
                    var shown = new String(Attacks.listing(control, command), StandardCharsets.UTF_8);
                    assertThat(shown).as(command).contains("evil?]0;owned??[2J?31m?.txt")
                            .doesNotContainPattern("[\\x00-\\x09\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]");
                }
            }
        }
    }

    @Test
    void numbersAreAsciiWhateverTheServersLocale() throws Exception {
        Files.write(root.resolve("big.bin"), new byte[123_456]);
        Files.setLastModifiedTime(root.resolve("big.bin"), FileTime.from(Instant.parse("2024-03-07T09:15:00Z")));
        try (var server = startInLocale(root, "ar-EG"); var control = RawControl.anonymous(server.port())) {
            var replies = String.join("\n", control.send("PASV"), control.send("EPSV"), control.send("SIZE big.bin"),
                    control.send("MDTM big.bin"), control.send("STAT big.bin"), control.send("MLST big.bin"),
                    new String(Attacks.listing(control, "LIST"), StandardCharsets.UTF_8));
            assertThat(replies).contains("213 123456", "213 20240307091500", "size=123456;", " 123456 Mar  7  2024 big.bin")
                    .matches("(?s)[\\x00-\\x7f]*").containsPattern("227 Entering Passive Mode \\(127,0,0,1,\\d+,\\d+\\)");
        }
    }
}
