package gopl.ftp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replies as RFC 959, 2389, 2428 and 3659 have them, and what clients in the wild send. */
class ProtocolTest {
    @TempDir
    Path root;

    TestServer server;

    @BeforeEach
    void start() throws IOException {
        Files.writeString(root.resolve("unix.txt"), "one\ntwo\r\nthree\n");
        Files.createDirectories(root.resolve("dir"));
        try (var sparse = new RandomAccessFile(root.resolve("big.bin").toFile(), "rw")) {
            sparse.setLength(64 << 20);
        }
        server = TestServer.start(root);
    }

    @AfterEach
    void stop() throws InterruptedException {
        server.close();
    }

    @Test
    void greetingLoginAndLowerCaseCommands() throws IOException {
        try (var control = RawControl.open(server.port())) {
            assertThat(control.send("pwd")).startsWith("530");
            assertThat(control.send("LIST")).startsWith("530");
            assertThat(control.send("BOGUS")).startsWith("500");
            assertThat(control.send("PASS x")).startsWith("503");
            assertThat(control.send("user anonymous")).startsWith("331");
            assertThat(control.send("pass guest@")).startsWith("230");
            assertThat(control.send("pwd")).isEqualTo("257 \"/\" is the current directory.");
            assertThat(control.send("cwd dir")).startsWith("250");
            assertThat(control.send("cdup")).startsWith("250");
            assertThat(control.send("syst")).isEqualTo("215 UNIX Type: L8");
            assertThat(control.send("noop")).startsWith("200");
            assertThat(control.send("CWD")).startsWith("501");
            assertThat(control.send("RNTO x")).startsWith("550"); // read-only account
            assertThat(control.send("quit")).startsWith("221");
            assertThat(control.reply()).isNull();
        }
    }

    @Test
    void featuresOptionsHelpAndStatus() throws IOException {
        try (var control = RawControl.open(server.port())) {
            var feat = control.send("FEAT");
            assertThat(feat).startsWith("211-").endsWith("211 End")
                    .contains("\n UTF8", "\n EPSV", "\n EPRT", "\n PASV", "\n SIZE", "\n MDTM", "\n REST STREAM", "\n MLST type*;");
            assertThat(control.send("OPTS UTF8 ON")).startsWith("200");
            assertThat(control.send("OPTS NONSENSE")).startsWith("501");
            assertThat(control.send("HELP")).startsWith("214-").contains("RETR").endsWith("214 Help OK.");
            assertThat(control.send("STAT")).startsWith("211-").contains("Not logged in");
            control.send("USER anonymous");
            control.send("PASS x");
            assertThat(control.send("STAT")).contains("Logged in as anonymous", "No data transfer in progress");
            assertThat(control.send("STAT unix.txt")).startsWith("213-").contains("unix.txt").endsWith("213 End of status.");
            assertThat(control.send("MLST unix.txt")).startsWith("250-").contains(" type=file;size=15;", "perm=r;");
            assertThat(control.send("TYPE E")).startsWith("504");
            assertThat(control.send("MODE B")).startsWith("504");
            assertThat(control.send("MODE S")).startsWith("200");
            assertThat(control.send("STRU F")).startsWith("200");
            assertThat(control.send("ALLO 100")).startsWith("202");
            assertThat(control.send("REST -1")).startsWith("501");
            assertThat(control.send("SITE CHMOD 777 unix.txt")).startsWith("550"); // read-only account
            assertThat(control.send("SITE BOGUS")).startsWith("502");
            assertThat(control.send("SITE HELP")).startsWith("214");
            assertThat(control.send("SIZE dir")).startsWith("550");
            assertThat(control.send("ABOR")).startsWith("225");
        }
    }

    @Test
    void typeAPutsCrlfOnTheWire() throws IOException {
        try (var control = RawControl.anonymous(server.port())) {
            control.expect("TYPE A", 200);
            try (var data = control.pasv()) {
                control.write("RETR unix.txt\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(control.reply()).startsWith("150");
                assertThat(data.getInputStream().readAllBytes()).asString(StandardCharsets.US_ASCII).isEqualTo("one\r\ntwo\r\nthree\r\n");
            }
            assertThat(control.reply()).startsWith("226");
        }
    }

    @Test
    void extendedPassiveAndActiveModes() throws IOException {
        try (var control = RawControl.anonymous(server.port())) {
            var epsv = control.expect("EPSV", 229);
            int port = Integer.parseInt(epsv.replaceAll(".*\\(\\|\\|\\|(\\d+)\\|\\).*", "$1"));
            try (var data = RawControl.connect(new java.net.InetSocketAddress("127.0.0.1", port), null)) {
                control.write("NLST\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(control.reply()).startsWith("150");
                assertThat(data.getInputStream().readAllBytes()).asString(StandardCharsets.UTF_8).isEqualTo("big.bin\r\ndir\r\nunix.txt\r\n");
                assertThat(control.reply()).startsWith("226");
            }
            try (var listener = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                control.expect("EPRT |1|127.0.0.1|" + listener.getLocalPort() + "|", 200);
                control.write("LIST -la\r\n".getBytes(StandardCharsets.US_ASCII));
                try (var data = listener.accept()) {
                    assertThat(control.reply()).startsWith("150");
                    var listing = new String(data.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    assertThat(listing).matches("(?s).*\r\ndrwxr-xr-x +2 ftp +ftp +\\d+ \\w{3} [ \\d]\\d \\d\\d:\\d\\d dir\r\n.*")
                            .contains(" 15 ", " unix.txt\r\n");
                }
                assertThat(control.reply()).startsWith("226");
            }
            control.expect("EPSV ALL", 200);
            assertThat(control.send("PASV")).startsWith("503");
            assertThat(control.send("PORT 127,0,0,1,200,10")).startsWith("503");
        }
    }

    @Test
    void passivePortRangeAndPublicAddress() throws Exception {
        try (var other = TestServer.start(root, "--passive-ports", "40100-40139", "--public-address", "192.0.2.10")) {
            try (var control = RawControl.anonymous(other.port())) {
                for (int i = 0; i < 5; i++) {
                    var reply = control.expect("PASV", 227);
                    assertThat(reply).startsWith("227 Entering Passive Mode (192,0,2,10,");
                    var numbers = reply.replaceAll(".*\\((.*)\\).*", "$1").split(",");
                    int port = Integer.parseInt(numbers[4]) * 256 + Integer.parseInt(numbers[5]);
                    assertThat(port).isBetween(40100, 40139);
                    var epsv = control.expect("EPSV", 229);
                    assertThat(Integer.parseInt(epsv.replaceAll(".*\\|\\|\\|(\\d+)\\|.*", "$1"))).isBetween(40100, 40139);
                }
            }
        }
    }

    @Test
    void ipv6UsesEpsvAndEprt() throws Exception {
        var loopback6 = InetAddress.getByName("::1");
        try (var probe = new ServerSocket(0, 1, loopback6)) {
            probe.getLocalPort();
        } catch (IOException e) {
            org.junit.jupiter.api.Assumptions.abort("no IPv6 loopback here: " + e.getMessage());
        }
        try (var six = TestServer.start("::1", root); var socket = new java.net.Socket(loopback6, six.port())) {
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            var out = socket.getOutputStream();
            assertThat(in.readLine()).startsWith("220");
            out.write("USER anonymous\r\nPASS x\r\nPASV\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(in.readLine()).startsWith("331");
            assertThat(in.readLine()).startsWith("230");
            assertThat(in.readLine()).startsWith("425"); // PASV cannot name an IPv6 address
            try (var listener = new ServerSocket(0, 1, loopback6)) {
                out.write(("EPRT |2|::1|" + listener.getLocalPort() + "|\r\nNLST\r\n").getBytes(StandardCharsets.US_ASCII));
                assertThat(in.readLine()).startsWith("200");
                try (var data = listener.accept()) {
                    assertThat(in.readLine()).startsWith("150");
                    assertThat(data.getInputStream().readAllBytes()).asString(StandardCharsets.UTF_8).contains("unix.txt\r\n");
                }
                assertThat(in.readLine()).startsWith("226");
            }
            out.write("EPRT |1|127.0.0.1|50000|\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(in.readLine()).startsWith("501"); // not the client's address
        }
    }

    @Test
    void aborLikeBsdFtpTelnetInterruptAndSynch() throws IOException {
        abortMidTransfer(control -> {
            control.write(new byte[] {(byte) 255, (byte) 244, (byte) 255}); // IAC IP IAC
            control.socket.sendUrgentData(242); // DM, as TCP urgent data
            control.write("ABOR\r\n".getBytes(StandardCharsets.US_ASCII));
        });
    }

    @Test
    void aborLikePythonFtplibAllOfItUrgent() throws IOException {
        // ftplib: sock.sendall(b'ABOR\r\n', MSG_OOB) - the urgent pointer marks the last byte.
        abortMidTransfer(control -> {
            control.write("ABOR\r".getBytes(StandardCharsets.US_ASCII));
            control.socket.sendUrgentData('\n');
        });
    }

    private interface Abort {
        void send(RawControl control) throws IOException;
    }

    private void abortMidTransfer(Abort abort) throws IOException {
        try (var control = RawControl.anonymous(server.port())) {
            control.expect("TYPE I", 200);
            try (var data = control.pasv()) {
                control.write("RETR big.bin\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(control.reply()).startsWith("150 Opening BINARY mode data connection for /big.bin (67108864 bytes)");
                assertThat(data.getInputStream().readNBytes(1000)).hasSize(1000);
                abort.send(control);
                assertThat(control.reply()).startsWith("426");
                assertThat(control.reply()).startsWith("226");
            }
            control.expect("NOOP", 200);
            assertThat(control.send("SIZE big.bin")).isEqualTo("213 67108864");
        }
    }

    @Test
    void renameNeedsRnfrFirstAndAnyOtherCommandCancelsIt() throws IOException {
        try (var control = RawControl.open(server.port())) {
            control.send("USER " + TestServer.USER);
            control.expect("PASS " + TestServer.PASSWORD, 230);
            assertThat(control.send("RNTO x")).startsWith("503");
            control.expect("RNFR unix.txt", 350);
            control.expect("NOOP", 200);
            assertThat(control.send("RNTO x")).startsWith("503");
            control.expect("RNFR unix.txt", 350);
            control.expect("RNTO moved.txt", 250);
            assertThat(root.resolve("moved.txt")).exists();
            assertThat(control.send("MKD \"q\"uote")).isEqualTo("257 \"/\"\"q\"\"uote\" created.");
        }
    }
}
