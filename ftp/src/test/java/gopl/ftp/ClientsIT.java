package gopl.ftp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real jar with the real clients: the Debian {@code ftp} client with the book's own words
 * ({@code cd}, {@code ls}, {@code get}, {@code close}), curl, lftp's {@code mirror}, and Python's
 * ftplib. Each test is skipped when its client is not installed ({@code apt-get install ftp curl lftp python3}).
 */
class ClientsIT {
    @TempDir
    static Path tmp;

    static Path root;
    static byte[] binary;
    static JarServer server;
    static int port;

    record Output(int exitCode, String text) {}

    @BeforeAll
    static void startServer() throws Exception {
        root = Files.createDirectories(tmp.resolve("root"));
        binary = new byte[2_000_003];
        new Random(11).nextBytes(binary);
        Files.createDirectories(root.resolve("pub/docs"));
        Files.createDirectories(root.resolve("uploads"));
        Files.write(root.resolve("pub/data.bin"), binary);
        Files.writeString(root.resolve("pub/readme.txt"), "read me\n");
        Files.writeString(root.resolve("pub/notes.txt"), "notes\n");
        Files.writeString(root.resolve("pub/docs/guide.txt"), "a guide\n");
        Files.writeString(tmp.resolve("password"), "s3cret\n");
        Files.createDirectories(root.resolve("big"));
        try (var sparse = new java.io.RandomAccessFile(root.resolve("big/huge.iso").toFile(), "rw")) {
            sparse.setLength(256 << 20); // more than socket buffers hold: an abort finds it mid-transfer
        }
        server = JarServer.start(root, "--user", "bob", "--password-file", tmp.resolve("password").toString(), "--idle-timeout", "30s");
        port = server.port();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
            assertThat(server.log()).doesNotContain("Exception");
        }
    }

    private static void assumeInstalled(String program) {
        ExternalClient.assumeInstalled(program);
    }

    private static Output run(String stdin, String... command) throws IOException, InterruptedException {
        var out = ExternalClient.run(tmp, stdin, command);
        return new Output(out.exitCode(), out.text());
    }

    private static String url(String userInfo, String path) {
        return "ftp://" + userInfo + "127.0.0.1:" + port + path;
    }

    @Test
    void theDebianFtpClientWithTheBooksCommands() throws Exception {
        assumeInstalled("ftp");
        for (var activeFlag : List.of("-p", "-A")) { // passive, then active
            var local = Files.createDirectories(tmp.resolve("ftp" + activeFlag));
            var script = String.join("\n",
                    "user anonymous guest@example.org", "binary", "cd pub", "ls", "get data.bin " + local.resolve("data.bin"),
                    "lcd " + local, "prompt", "mget *.txt", "cd docs", "ls -la", "pwd", "close", "quit", "");
            var out = run(script, "ftp", "-n", "-v", activeFlag, "127.0.0.1", Integer.toString(port));
            assertThat(out.exitCode()).as(out.text()).isZero();
            assertThat(out.text()).contains("230 ", "250 Directory changed to /pub.", "data.bin", "readme.txt",
                    "guide.txt", "Remote directory: /pub/docs", "221 Goodbye.")
                    .doesNotContainPattern("(?m)^5\\d\\d "); // no error reply (a bare "550" also matches port 45505)
            assertThat(local.resolve("data.bin")).hasBinaryContent(binary);
            assertThat(local.resolve("readme.txt")).hasContent("read me");
            assertThat(local.resolve("notes.txt")).hasContent("notes");
        }
    }

    @Test
    void theDebianFtpClientUploadsWithTheWriteAccountOnly() throws Exception {
        assumeInstalled("ftp");
        var upload = Files.write(tmp.resolve("put.bin"), binary);
        var denied = run("user anonymous x\nput " + upload + " uploads/anon.bin\nquit\n",
                "ftp", "-n", "-v", "127.0.0.1", Integer.toString(port));
        assertThat(denied.text()).contains("550 Permission denied");
        assertThat(root.resolve("uploads/anon.bin")).doesNotExist();
        var ok = run("user bob s3cret\ncd uploads\nput " + upload + " bob.bin\nrename bob.bin renamed.bin\nquit\n",
                "ftp", "-n", "-v", "127.0.0.1", Integer.toString(port));
        assertThat(ok.text()).contains("226 ", "250 Renamed");
        assertThat(root.resolve("uploads/renamed.bin")).hasBinaryContent(binary);
    }

    @Test
    void curlDownloadsUploadsAndResumes() throws Exception {
        assumeInstalled("curl");
        var got = tmp.resolve("curl.bin");
        var out = run("", "curl", "-sS", "--fail", "-o", got.toString(), url("", "/pub/data.bin"));
        assertThat(out.exitCode()).as(out.text()).isZero();
        assertThat(got).hasBinaryContent(binary);

        var active = tmp.resolve("curl-active.bin");
        out = run("", "curl", "-sS", "--fail", "--ftp-port", "127.0.0.1", "-o", active.toString(), url("", "/pub/data.bin"));
        assertThat(out.exitCode()).as(out.text()).isZero();
        assertThat(active).hasBinaryContent(binary);

        var partial = tmp.resolve("curl-partial.bin");
        Files.write(partial, java.util.Arrays.copyOf(binary, 700_000));
        out = run("", "curl", "-sS", "--fail", "-C", "-", "-o", partial.toString(), url("", "/pub/data.bin"));
        assertThat(out.exitCode()).as(out.text()).isZero();
        assertThat(partial).hasBinaryContent(binary);

        var listing = run("", "curl", "-sS", "--fail", url("", "/pub/"));
        assertThat(listing.text()).contains("data.bin", "docs").matches("(?s).*-rw-r--r-- .*");

        out = run("", "curl", "-sS", "--fail", "-T", got.toString(), url("bob:s3cret@", "/uploads/curl-up.bin"));
        assertThat(out.exitCode()).as(out.text()).isZero();
        assertThat(root.resolve("uploads/curl-up.bin")).hasBinaryContent(binary);

        out = run("", "curl", "-sS", "--fail", "-T", got.toString(), url("", "/uploads/anonymous.bin"));
        assertThat(out.exitCode()).isNotZero();
        assertThat(root.resolve("uploads/anonymous.bin")).doesNotExist();

        out = run("", "curl", "-sS", "--fail", "-o", tmp.resolve("escape").toString(), url("", "/../../../etc/passwd"));
        assertThat(out.exitCode()).isNotZero();
    }

    @Test
    void lftpMirrorsTheTreeBothWays() throws Exception {
        assumeInstalled("lftp");
        var mirror = tmp.resolve("lftp-mirror");
        var settings = "set net:max-retries 1; set net:timeout 20; set ftp:ssl-allow no; ";
        var out = run("", "lftp", "-c", settings + "open " + url("", "") + "; mirror --verbose /pub " + mirror);
        assertThat(out.exitCode()).as(out.text()).isZero();
        assertThat(mirror.resolve("data.bin")).hasBinaryContent(binary);
        assertThat(mirror.resolve("readme.txt")).hasContent("read me");
        assertThat(mirror.resolve("docs/guide.txt")).hasContent("a guide");

        out = run("", "lftp", "-c", settings + "open " + url("bob:s3cret@", "") + "; mirror -R --verbose " + mirror + " /uploads/copy");
        assertThat(out.exitCode()).as(out.text()).isZero();
        assertThat(root.resolve("uploads/copy/data.bin")).hasBinaryContent(binary);
        assertThat(root.resolve("uploads/copy/docs/guide.txt")).hasContent("a guide");
    }

    @Test
    void pythonFtplibAbortsMidTransferWithUrgentData() throws Exception {
        assumeInstalled("python3");
        var script = String.join("\n",
                "import ftplib, sys",
                "f = ftplib.FTP()",
                "f.connect('127.0.0.1', int(sys.argv[1]), timeout=20)",
                "f.login()",
                "f.voidcmd('TYPE I')",
                "conn = f.transfercmd('RETR big/huge.iso')",
                "conn.recv(1024)",
                "print('abort', f.abort())",
                "conn.close()",
                "print('then', f.getresp())",
                "print('noop', f.voidcmd('NOOP'))",
                "data = []",
                "f.retrbinary('RETR pub/data.bin', data.append)",
                "print('size', sum(map(len, data)))",
                "f.quit()",
                "");
        var out = run(script, "python3", "-", Integer.toString(port));
        assertThat(out.exitCode()).as(out.text()).isZero();
        var lines = new ArrayList<>(out.text().lines().toList());
        assertThat(lines).containsSubsequence("abort 426 Transfer aborted.", "then 226 ABOR successful.", "noop 200 NOOP ok.",
                "size " + binary.length);
    }
}
