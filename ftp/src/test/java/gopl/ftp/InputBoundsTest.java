package gopl.ftp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Every other input a client controls is bounded in size, time and work, and the session goes on. */
@Timeout(60)
class InputBoundsTest {
    @TempDir
    Path root;

    @Test
    void aLineDrippedAByteAtATimeCannotOutlastTheIdleTimeout() throws Exception {
        try (var server = TestServer.start(root, "--idle-timeout", "500ms")) {
            // 10 s of drip at most; a timeout that counted per read would never fire.
            assertThat(Attacks.drip(server.port(), true, Duration.ofMillis(50), 200)).isLessThan(200);
        }
    }

    @Test
    void aLineDrippedBeforeLoginCannotOutlastTheLoginTimeout() throws Exception {
        try (var server = TestServer.start(root, "--login-timeout", "500ms")) {
            assertThat(Attacks.drip(server.port(), false, Duration.ofMillis(50), 200)).isLessThan(200);
        }
    }

    @Test
    void eprtTakesAddressLiteralsOnlyAndNeverLooksUpAName() throws Exception {
        var names = new String[] {"deadbeef", "cafe.example", "999.1.1.1", "1.2.3.4.5", "1.2.3", "localhost"};
        try (var server = TestServer.start(root); var control = RawControl.anonymous(server.port())) {
            for (var name : names) {
                for (var protocol : new String[] {"1", "2"}) {
                    assertThat(control.send("EPRT |" + protocol + "|" + name + "|5000|")).matches("5\\d\\d .*");
                }
            }
            control.expect("EPRT |1|127.0.0.1|5000|", 200);
        }
        assertThat(RecordingResolver.lookups()).doesNotContain(names);
    }

    @Test
    void stouTriesAHundredNamesAtMost() throws Exception {
        Files.writeString(root.resolve("upload"), "taken");
        for (int i = 1; i < 100; i++) {
            Files.writeString(root.resolve("upload." + i), "taken");
        }
        try (var server = TestServer.start(root); var control = RawControl.open(server.port())) {
            control.expect("USER " + TestServer.USER, 331);
            control.expect("PASS " + TestServer.PASSWORD, 230);
            control.pasvAddress();
            assertThat(control.send("STOU")).startsWith("550");
            Files.delete(root.resolve("upload.57"));
            Attacks.repeat(control, "STOU", 1, "new".getBytes(StandardCharsets.US_ASCII));
            assertThat(root.resolve("upload.57")).hasContent("new");
        }
    }

    @Test
    void aListingReadsNoMoreEntriesThanItsLimit() throws Exception {
        for (int i = 0; i < 50; i++) {
            Files.writeString(root.resolve("f%02d".formatted(i)), "x");
        }
        try (var server = TestServer.start(root, "--max-list-entries", "20"); var control = RawControl.anonymous(server.port())) {
            try (var data = control.pasv()) {
                control.write("NLST\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(control.reply()).startsWith("150");
                assertThat(new String(data.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()).hasSize(20);
                assertThat(control.reply()).startsWith("226").contains("listing cut at 20 directory entries");
            }
            assertThat(new String(Attacks.listing(control, "NLST f4*"), StandardCharsets.UTF_8).lines().count()).isLessThanOrEqualTo(10);
            var stat = control.send("STAT .");
            assertThat(stat.lines()).hasSize(22);
            assertThat(stat).endsWith("listing cut at 20 directory entries.");
        }
    }

    @Test
    void aGlobLongerThanAFileNameIsRefused() throws Exception {
        Files.writeString(root.resolve(Attacks.BOMBED_NAME), "a");
        try (var server = TestServer.start(root); var control = RawControl.anonymous(server.port())) {
            assertThat(control.send("STAT " + "*".repeat(256))).startsWith("550"); // too long for a name, and so for a pattern
            assertThat(control.send("STAT " + "*".repeat(254) + "a")).startsWith("213").contains(Attacks.BOMBED_NAME);
        }
    }

    @Test
    void restOffsetsAreNumbersThatTheFileMustHave() throws Exception {
        Files.writeString(root.resolve("small.txt"), "12345");
        try (var server = TestServer.start(root); var control = RawControl.anonymous(server.port())) {
            for (var bad : new String[] {"-1", "abc", "99999999999999999999", "1e9", ""}) {
                assertThat(control.send("REST " + bad)).startsWith("501");
            }
            control.expect("REST 9223372036854775807", 350);
            control.pasvAddress();
            assertThat(control.send("RETR small.txt")).startsWith("554");
            control.expect("REST 2", 350);
            assertThat(Attacks.transfer(control, "RETR small.txt")).asString(StandardCharsets.US_ASCII).isEqualTo("345");
        }
    }

    @Test
    void aFloodOfAborIsAnsweredInOrderAndTheSessionGoesOn() throws Exception {
        try (var server = TestServer.start(root); var control = RawControl.anonymous(server.port())) {
            control.write("ABOR\r\n".repeat(5000).getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 5000; i++) {
                assertThat(control.reply()).startsWith("225");
            }
            control.expect("NOOP", 200);
        }
    }

    @Test
    void aSessionRunsOneTransferAtATimeAndCommandsWaitTheirTurn() throws Exception {
        Files.write(root.resolve("big.bin"), new byte[8 << 20]); // more than socket buffers hold: the transfer waits for us
        try (var server = TestServer.start(root, "--accept-timeout", "300ms"); var control = RawControl.anonymous(server.port())) {
            control.expect("TYPE I", 200);
            try (var data = control.pasv()) {
                control.write("RETR big.bin\r\nPASV\r\nRETR big.bin\r\nNOOP\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(control.reply()).startsWith("150");
                assertThat(data.getInputStream().readAllBytes()).hasSize(8 << 20);
            }
            // Nothing was answered until the transfer's 226: then the rest, in order, the second RETR
            // on the second PASV's port (nobody connects, so it ends with 425 at the accept timeout).
            assertThat(control.reply()).startsWith("226");
            assertThat(control.reply()).startsWith("227");
            assertThat(control.reply()).startsWith("425");
            assertThat(control.reply()).startsWith("200");
        }
    }

    @Test
    void pathsLongerThanTheSystemAllowsAreRefusedAndTheSessionGoesOn() throws Exception {
        try (var server = TestServer.start(root); var control = RawControl.open(server.port())) {
            control.expect("USER " + TestServer.USER, 331);
            control.expect("PASS " + TestServer.PASSWORD, 230);
            assertThat(control.send("CWD " + "a/".repeat(3000))).startsWith("550");
            assertThat(control.send("MKD " + "x".repeat(300))).startsWith("550");
            assertThat(control.send("RNFR " + "y/".repeat(3000))).startsWith("550");
            control.expect("PWD", 257);
        }
    }
}
