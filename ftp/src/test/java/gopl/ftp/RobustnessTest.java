package gopl.ftp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Timeouts, failed and abandoned transfers, floods: one client's trouble never harms a file or another client. */
class RobustnessTest {
    private static final int BIG = 64 << 20; // more than loopback socket buffers hold, so a transfer blocks

    @TempDir
    Path root;

    byte[] original;
    TestServer server;

    @BeforeEach
    void setUp() throws IOException {
        original = new byte[200_000];
        new Random(3).nextBytes(original);
        Files.write(root.resolve("keep.bin"), original);
        try (var sparse = new RandomAccessFile(root.resolve("big.bin").toFile(), "rw")) {
            sparse.setLength(BIG);
        }
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    private RawControl login(String user, String password) throws IOException {
        var control = RawControl.open(server.port());
        control.expect("USER " + user, 331);
        control.expect("PASS " + password, 230);
        control.expect("TYPE I", 200);
        return control;
    }

    /**
     * Waits until no temporary upload file is left, seen so for a quarter of a second: the
     * server may create one just after we look, so a single empty look proves nothing.
     */
    private void assertNoTempFilesSoon() throws Exception {
        int emptyLooks = 0;
        for (int i = 0; i < 200 && emptyLooks < 5; i++) {
            emptyLooks = tempFiles() == 0 ? emptyLooks + 1 : 0;
            Thread.sleep(50);
        }
        assertThat(tempFiles()).isZero();
    }

    private long tempFiles() throws IOException {
        try (var files = Files.list(root)) {
            return files.filter(p -> p.getFileName().toString().startsWith(".ftp-upload")).count();
        }
    }

    @Test
    void aStalledDataConnectionTimesOutAndTheSessionGoesOn() throws IOException {
        server = TestServer.start(root, "--data-timeout", "500ms");
        try (var control = login("anonymous", "x"); var data = control.pasv()) {
            control.write("RETR big.bin\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(control.reply()).startsWith("150");
            assertThat(control.reply()).startsWith("426").contains("timed out"); // we never read
            control.expect("NOOP", 200);
        }
        try (var control = login("anonymous", "x")) {
            control.pasvAddress(); // and never connect
            assertThat(control.send("RETR keep.bin")).startsWith("425");
        }
    }

    @Test
    void theIdleTimeoutClosesAnIdleSessionButNeverOneWhoseTransferRuns() throws Exception {
        server = TestServer.start(root, "--idle-timeout", "300ms", "--data-timeout", "20s");
        try (var control = login("anonymous", "x"); var data = control.pasv()) {
            control.write("RETR big.bin\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(control.reply()).startsWith("150");
            Thread.sleep(1200); // the transfer is blocked on us, far past the idle timeout
            assertThat(data.getInputStream().transferTo(java.io.OutputStream.nullOutputStream())).isEqualTo(BIG);
            assertThat(control.reply()).startsWith("226");
            control.expect("NOOP", 200);
            Thread.sleep(1000);
            assertThat(control.reply()).startsWith("421");
            assertThat(control.reply()).isNull();
        }
    }

    @Test
    void anAbortedUploadLeavesTheOldFileAsItWas() throws Exception {
        server = TestServer.start(root);
        for (var command : new String[] {"STOR", "APPE"}) {
            try (var control = login(TestServer.USER, TestServer.PASSWORD); var data = control.pasv()) {
                control.write((command + " keep.bin\r\n").getBytes(StandardCharsets.US_ASCII));
                assertThat(control.reply()).startsWith("150");
                data.getOutputStream().write(new byte[100_000]);
                assertThat(control.send("ABOR")).startsWith("426");
                assertThat(control.reply()).startsWith("226");
                assertThat(control.send("SIZE keep.bin")).isEqualTo("213 " + original.length);
            }
            assertThat(root.resolve("keep.bin")).hasBinaryContent(original);
        }
        assertNoTempFilesSoon();
    }

    @Test
    void aClientVanishingMidUploadLeavesTheOldFileAndFreesItsSession() throws Exception {
        server = TestServer.start(root, "--max-sessions", "1");
        for (var command : new String[] {"STOR", "APPE", "REST 1000\r\nSTOR"}) {
            var control = login(TestServer.USER, TestServer.PASSWORD);
            var data = control.pasv();
            control.write((command + " keep.bin\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(control.reply()).startsWith(command.startsWith("REST") ? "350" : "150");
            data.getOutputStream().write(new byte[150_000]);
            data.setSoLinger(true, 0); // vanish: reset, not a clean end of file
            control.socket.setSoLinger(true, 0);
            data.close();
            control.close();
            assertNoTempFilesSoon();
            assertThat(root.resolve("keep.bin")).hasBinaryContent(original);
        }
        // The one session slot is free again: the server kept no half-dead session.
        RawControl control = null;
        for (int i = 0; i < 100 && control == null; i++) {
            var attempt = RawControl.open(server.port());
            if (attempt.greeting.startsWith("220")) {
                control = attempt;
            } else {
                attempt.close();
                Thread.sleep(50);
            }
        }
        assertThat(control).isNotNull();
        control.expect("USER anonymous", 331);
        control.expect("PASS x", 230);
        control.close();
    }

    @Test
    void aClientThatNeverReadsItsRepliesIsCutOffAndFreesItsSession() throws Exception {
        server = TestServer.start(root, "--idle-timeout", "500ms", "--max-sessions", "1");
        try (var greedy = new java.net.Socket()) {
            greedy.setReceiveBufferSize(4096);
            greedy.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()));
            var flood = Thread.ofVirtual().start(() -> {
                try {
                    var out = greedy.getOutputStream();
                    var commands = "HELP\r\n".repeat(1000).getBytes(StandardCharsets.US_ASCII);
                    for (int i = 0; i < 100; i++) {
                        out.write(commands); // 100,000 replies of 400 bytes, none of them read
                    }
                } catch (IOException expected) {
                    // the server hung up
                }
            });
            // The one session slot frees up once the server gives up writing to the greedy client.
            RawControl control = null;
            for (int i = 0; i < 200 && control == null; i++) {
                var attempt = RawControl.open(server.port());
                if (attempt.greeting.startsWith("220")) {
                    control = attempt;
                } else {
                    attempt.close();
                    Thread.sleep(50);
                }
            }
            assertThat(control).isNotNull();
            control.expect("USER anonymous", 331);
            control.expect("PASS x", 230);
            control.close();
            flood.join(Duration.ofSeconds(10));
        }
    }

    @Test
    void aControlConnectionClosedMidDownloadEndsTheTransfer() throws Exception {
        server = TestServer.start(root, "--max-sessions", "1");
        var control = login("anonymous", "x");
        var data = control.pasv();
        control.write("RETR big.bin\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(control.reply()).startsWith("150");
        control.close();
        // The server drops the data connection too: reading ends well before the 64 MB.
        long read = 0;
        try (var in = data.getInputStream()) {
            var buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                read += n;
            }
        } catch (IOException reset) {
            // also an end
        }
        assertThat(read).isLessThan(BIG);
    }

    @Test
    void twoHundredClientsAtOnceAreAllServed() throws Exception {
        var file = new byte[100_000];
        new Random(5).nextBytes(file);
        Files.write(root.resolve("small.bin"), file);
        server = TestServer.start(root, "--max-sessions", "500", "--max-per-ip", "500");
        var go = new CountDownLatch(1);
        var results = new ArrayList<Future<byte[]>>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 200; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    var ftp = server.anonymous(true);
                    var out = new ByteArrayOutputStream();
                    ftp.retrieveFile("small.bin", out);
                    ftp.logout();
                    ftp.disconnect();
                    return out.toByteArray();
                }));
            }
            go.countDown();
        }
        for (var result : results) {
            assertThat(result.get()).isEqualTo(file);
        }
    }

    @Test
    void clientsBeyondTheLimitAreTurnedAwayPolitely() throws IOException {
        server = TestServer.start(root, "--max-sessions", "2");
        try (var a = RawControl.open(server.port()); var b = RawControl.open(server.port()); var c = new java.net.Socket("127.0.0.1", server.port())) {
            c.setSoTimeout(10_000);
            var reply = new String(c.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(reply).startsWith("421");
            a.expect("NOOP", 200);
        }
    }
}
