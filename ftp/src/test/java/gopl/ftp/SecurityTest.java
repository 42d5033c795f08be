package gopl.ftp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Nothing outside the root is read, listed or written; accounts, addresses and line lengths are enforced. */
class SecurityTest {
    @TempDir
    Path tmp;

    Path root;
    Path outside;
    TestServer server;

    @BeforeEach
    void start() throws IOException {
        root = Files.createDirectories(tmp.resolve("root"));
        outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(tmp.resolve("secret.txt"), "top secret");
        Files.writeString(outside.resolve("secret.txt"), "top secret");
        Files.writeString(root.resolve("public.txt"), "public");
        Files.createDirectories(root.resolve("sub"));
        Files.createSymbolicLink(root.resolve("out"), outside);
        Files.createSymbolicLink(root.resolve("secret-link"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("dangling"), outside.resolve("created-through-link"));
        Files.createSymbolicLink(root.resolve("public-link"), root.resolve("public.txt"));
        server = TestServer.start(root);
    }

    @AfterEach
    void stop() throws InterruptedException {
        server.close();
    }

    private static String fetch(FTPClient ftp, String path) throws IOException {
        var out = new ByteArrayOutputStream();
        return ftp.retrieveFile(path, out) ? out.toString(StandardCharsets.UTF_8) : null;
    }

    @ParameterizedTest
    @ValueSource(strings = {"../secret.txt", "../../secret.txt", "/../secret.txt", "sub/../../secret.txt",
        "%2e%2e/secret.txt", "..%2fsecret.txt", "..\\secret.txt", "out/secret.txt", "secret-link", "/out/../../secret.txt"})
    void nothingOutsideTheRootCanBeRead(String path) throws IOException {
        var ftp = server.writer(true);
        assertThat(fetch(ftp, path)).isNull();
        assertThat(ftp.getReplyCode()).isEqualTo(550);
        assertThat(ftp.getSize(path)).isNull();
        assertThat(ftp.changeWorkingDirectory(path.replace("secret.txt", ""))).isIn(false, true); // may name "/" itself
        assertThat(ftp.printWorkingDirectory()).doesNotContain("..");
        ftp.disconnect();
    }

    @Test
    void climbingAboveTheRootStaysAtTheRoot() throws IOException {
        var ftp = server.anonymous(true);
        assertThat(ftp.changeWorkingDirectory("../../..")).isTrue();
        assertThat(ftp.printWorkingDirectory()).isEqualTo("/");
        assertThat(ftp.changeToParentDirectory()).isTrue();
        assertThat(ftp.printWorkingDirectory()).isEqualTo("/");
        assertThat(Arrays.stream(ftp.listFiles("..")).map(FTPFile::getName)).containsExactly("public-link", "public.txt", "sub");
        ftp.disconnect();
    }

    @Test
    void linksLeadingOutAreNeitherListedNorEntered() throws IOException {
        var ftp = server.writer(true);
        assertThat(ftp.listNames()).containsExactly("public-link", "public.txt", "sub");
        assertThat(ftp.mlistDir()).extracting(FTPFile::getName).containsExactly("public-link", "public.txt", "sub");
        assertThat(ftp.changeWorkingDirectory("out")).isFalse();
        assertThat(ftp.listFiles("out")).isEmpty();
        assertThat(ftp.getReplyCode()).isEqualTo(550);
        assertThat(ftp.sendCommand("STAT out")).isEqualTo(550);
        assertThat(ftp.mlistFile("secret-link")).isNull();
        assertThat(fetch(ftp, "public-link")).isEqualTo("public"); // a link inside the root works
        ftp.disconnect();
    }

    @Test
    void nothingIsWrittenThroughLinksLeadingOut() throws IOException {
        var ftp = server.writer(true);
        var data = "pwned".getBytes(StandardCharsets.US_ASCII);
        assertThat(ftp.storeFile("out/new.txt", new ByteArrayInputStream(data))).isFalse();
        assertThat(ftp.storeFile("dangling", new ByteArrayInputStream(data))).isFalse();
        assertThat(ftp.appendFile("secret-link", new ByteArrayInputStream(data))).isFalse();
        assertThat(ftp.makeDirectory("out/dir")).isFalse();
        assertThat(ftp.deleteFile("out/secret.txt")).isFalse();
        assertThat(ftp.rename("public.txt", "out/moved.txt")).isFalse();
        assertThat(ftp.rename("out/secret.txt", "stolen.txt")).isFalse();
        try (var files = Files.list(outside)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("secret.txt");
        }
        assertThat(outside.resolve("secret.txt")).hasContent("top secret");
        assertThat(root.resolve("public.txt")).hasContent("public");
        // Deleting a link removes the link, never what it points to.
        assertThat(ftp.deleteFile("secret-link")).isTrue();
        assertThat(outside.resolve("secret.txt")).hasContent("top secret");
        assertThat(ftp.removeDirectory("/")).isFalse();
        ftp.disconnect();
    }

    @Test
    void anonymousUsersCannotWrite() throws IOException {
        var ftp = server.anonymous(true);
        var data = new ByteArrayInputStream("x".getBytes(StandardCharsets.US_ASCII));
        assertThat(ftp.storeFile("public.txt", data)).isFalse();
        assertThat(ftp.getReplyCode()).isEqualTo(550);
        assertThat(ftp.appendFile("public.txt", data)).isFalse();
        assertThat(ftp.storeFile("new.txt", data)).isFalse();
        assertThat(ftp.storeUniqueFile(data)).isFalse();
        assertThat(ftp.deleteFile("public.txt")).isFalse();
        assertThat(ftp.makeDirectory("dir")).isFalse();
        assertThat(ftp.removeDirectory("sub")).isFalse();
        assertThat(ftp.rename("public.txt", "renamed.txt")).isFalse();
        assertThat(root.resolve("public.txt")).hasContent("public");
        assertThat(root.resolve("sub")).isDirectory();
        try (var files = Files.list(root)) {
            assertThat(files.count()).isEqualTo(6);
        }
        ftp.disconnect();
    }

    @Test
    void portAndEprtToAnotherAddressAreRefused() throws IOException {
        try (var control = RawControl.anonymous(server.port())) {
            assertThat(control.send("PORT 10,0,0,1,195,80")).startsWith("501");
            assertThat(control.send("PORT 127,0,0,2,195,80")).startsWith("501");
            assertThat(control.send("EPRT |1|192.0.2.7|50000|")).startsWith("501");
            assertThat(control.send("EPRT |2|::1|50000|")).startsWith("501");
            assertThat(control.send("PORT 127,0,0,1,0,25")).startsWith("501"); // a privileged port: SMTP
            assertThat(control.send("PORT 1,2,3")).startsWith("501");
            assertThat(control.send("EPRT |9|x|1|")).startsWith("522");
            // None of those set up a data connection.
            assertThat(control.send("LIST")).startsWith("425");
        }
    }

    @Test
    void aPassiveConnectionFromAnotherAddressIsNotServed() throws IOException {
        try (var control = RawControl.anonymous(server.port())) {
            control.expect("TYPE I", 200);
            var address = control.pasvAddress();
            try (var thief = RawControl.connect(address, InetAddress.getByName("127.0.0.2"));
                    var mine = RawControl.connect(address, null)) {
                control.write("RETR public.txt\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(control.reply()).startsWith("150");
                assertThat(mine.getInputStream().readAllBytes()).asString(StandardCharsets.US_ASCII).isEqualTo("public");
                assertThat(control.reply()).startsWith("226");
                assertThat(readOrReset(thief)).isEqualTo(-1); // closed without a byte
            }
        }
    }

    private static int readOrReset(java.net.Socket socket) {
        try {
            return socket.getInputStream().read();
        } catch (IOException e) {
            return -1;
        }
    }

    @Test
    void aNulInANameIsRefusedAndTheSessionGoesOn() throws IOException {
        try (var control = RawControl.open(server.port())) {
            control.send("USER " + TestServer.USER);
            control.expect("PASS " + TestServer.PASSWORD, 230);
            for (var command : new String[] {"CWD", "SIZE", "DELE", "MKD", "RNFR", "MLST", "STAT"}) {
                assertThat(control.send(command + " a\u0000b")).startsWith("553");
            }
            for (var command : new String[] {"RETR", "STOR", "APPE", "STOU", "LIST", "NLST", "MLSD"}) {
                control.expect("PASV", 227);
                assertThat(control.send(command + " a\u0000b")).as(command).startsWith("553");
            }
            control.expect("NOOP", 200);
        }
    }

    @Test
    void binaryGarbageGetsErrorRepliesAndTheSessionGoesOn() throws IOException {
        var garbage = new byte[200_000];
        new java.util.Random(42).nextBytes(garbage);
        try (var control = RawControl.anonymous(server.port())) {
            control.write(garbage);
            control.write("\r\nNOOP\r\n".getBytes(StandardCharsets.US_ASCII));
            String reply;
            int errors = 0;
            while ((reply = control.reply()) != null && !reply.equals("200 NOOP ok.")) {
                assertThat(reply).matches("(?s)[45]\\d\\d .*");
                errors++;
            }
            assertThat(reply).isEqualTo("200 NOOP ok.");
            assertThat(errors).isPositive();
        }
        try (var other = RawControl.anonymous(server.port())) {
            other.expect("PWD", 257);
        }
    }

    @Test
    void overlongCommandLinesAreRefusedAndTheSessionGoesOn() throws IOException {
        try (var control = RawControl.open(server.port())) {
            control.write(("USER " + "a".repeat(200_000) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(control.reply()).startsWith("500");
            control.send("USER anonymous");
            control.expect("PASS x", 230);
            control.expect("NOOP", 200);
        }
    }
}
