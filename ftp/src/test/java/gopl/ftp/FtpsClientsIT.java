package gopl.ftp;

import static org.assertj.core.api.Assertions.assertThat;

import gopl.common.testing.Certificates;
import gopl.common.testing.ToolProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real jar over explicit FTPS with the clients the issue names: curl {@code --ssl-reqd -k},
 * lftp with {@code ftp:ssl-force}, and Python's {@code ftplib.FTP_TLS}, which does not resume the
 * control connection's TLS session on its data connections unless told to (so it is refused
 * by default, and works with a five-line subclass or with --no-require-tls-reuse). The server
 * requires TLS; each test is skipped when its client is not installed.
 */
class FtpsClientsIT {
    @TempDir
    static Path tmp;

    static Path root;
    static byte[] binary;
    static JarServer server;
    static JarServer relaxed;

    @BeforeAll
    static void startServer() throws Exception {
        root = Files.createDirectories(tmp.resolve("root"));
        Files.createDirectories(root.resolve("incoming"));
        binary = new byte[2_000_003];
        new Random(5).nextBytes(binary);
        Files.write(root.resolve("data.bin"), binary);
        var pem = Certificates.selfSigned(tmp, "server", "RSA");
        var users = tmp.resolve("users"); // the line as a user makes it: ftp passwd, through the jar
        var passwd = ExternalClient.run(tmp, "s3cret\n", ToolProcess.command("passwd", "--home", "/incoming", "bob").toArray(String[]::new));
        assertThat(passwd.exitCode()).as(passwd.text()).isZero();
        Files.writeString(users, passwd.text());
        var tls = new String[] {"--users", users.toString(), "--tls-cert", pem.certificate().toString(), "--tls-key", pem.key().toString()};
        server = JarServer.start(root, concat(tls, "--require-tls", "--implicit-tls-port", "0"));
        relaxed = JarServer.start(root, concat(tls, "--no-require-tls-reuse"));
    }

    private static String[] concat(String[] a, String... b) {
        var all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @AfterAll
    static void stopServers() throws Exception {
        for (var jar : new JarServer[] {server, relaxed}) {
            if (jar != null) {
                jar.close();
                assertThat(jar.log()).doesNotContain("Exception");
            }
        }
    }

    private static String url(JarServer jar, String path) {
        return "ftp://bob:s3cret@127.0.0.1:" + jar.port() + path;
    }

    @Test
    void curlDownloadsUploadsAndListsOverTls() throws Exception {
        ExternalClient.assumeInstalled("curl");
        var up = Files.write(tmp.resolve("up.bin"), binary);
        // curl 7.88 loses the end of an upload over TLS 1.3, to vsftpd just as here: it closes the data
        // connection with the server's session ticket unread, and the kernel resets it. TLS 1.2 has no
        // ticket after the handshake.
        var out = ExternalClient.run(tmp, "", "curl", "-sS", "--fail", "--ssl-reqd", "-k", "--tls-max", "1.2", "-T", up.toString(),
                url(server, "/curl.bin"));
        assertThat(out.exitCode()).as(out.text()).isZero();
        assertThat(root.resolve("incoming/curl.bin")).hasBinaryContent(binary);

        var got = tmp.resolve("curl-got.bin");
        out = ExternalClient.run(tmp, "", "curl", "-sS", "--fail", "--ssl-reqd", "-k", "-o", got.toString(), url(server, "/curl.bin"));
        assertThat(out.exitCode()).as(out.text()).isZero();
        assertThat(got).hasBinaryContent(binary);

        out = ExternalClient.run(tmp, "", "curl", "-sS", "--fail", "--ssl-reqd", "-k", url(server, "/"));
        assertThat(out.text()).contains("curl.bin");

        // Without TLS the server says no before the password crosses the wire.
        out = ExternalClient.run(tmp, "", "curl", "-sS", "--fail", url(server, "/curl.bin"));
        assertThat(out.exitCode()).isNotZero();
        assertThat(out.text()).contains("530");
    }

    @Test
    void lftpPutsAndGetsOverTls() throws Exception {
        ExternalClient.assumeInstalled("lftp");
        var up = Files.write(tmp.resolve("lftp-up.bin"), binary);
        var got = tmp.resolve("lftp-got.bin");
        var settings = "set net:max-retries 1; set net:timeout 20; set ftp:ssl-force true; set ssl:verify-certificate no; ";
        var open = "open -u bob,s3cret 127.0.0.1:" + server.port() + "; ";
        // lftp 4.9 (GnuTLS) uploading over TLS 1.3 closes its data connection after about 112 KB in one
        // run of four, to vsftpd 3.0.3 just as here ("426 Failure reading network stream" there), so the
        // upload is over TLS 1.2, and the download and listing over 1.3.
        var put = ExternalClient.run(tmp, "", "lftp", "-c", settings + "set ssl:priority NORMAL:-VERS-TLS1.3; " + open
                + "put " + up + " -o lftp.bin");
        assertThat(root.resolve("incoming/lftp.bin")).as(put.text()).hasBinaryContent(binary);
        var out = ExternalClient.run(tmp, "", "lftp", "-c", settings + open + "get lftp.bin -o " + got + "; ls");
        assertThat(out.exitCode()).as(out.text()).isZero();
        assertThat(got).hasBinaryContent(binary);
        assertThat(out.text()).contains("lftp.bin").doesNotContain("Fatal");
    }

    @Test
    void curlSpeaksImplicitFtpsAndAPlainClientThereIsToldInOneLine() throws Exception {
        ExternalClient.assumeInstalled("curl");
        var m = java.util.regex.Pattern.compile("implicit TLS on 127\\.0\\.0\\.1:(\\d+)").matcher(server.log());
        assertThat(m.find()).as(server.log()).isTrue();
        var implicit = "bob:s3cret@127.0.0.1:" + m.group(1) + "/data.bin";
        Files.write(root.resolve("incoming/data.bin"), binary);
        var got = tmp.resolve("implicit-got.bin");
        var out = ExternalClient.run(tmp, "", "curl", "-sS", "--fail", "-k", "-o", got.toString(), "ftps://" + implicit);
        assertThat(out.exitCode()).as(out.text()).isZero();
        assertThat(got).hasBinaryContent(binary);

        // curl shows the greeting with -v, and reports a 421 as "(28) Timeout was reached".
        out = ExternalClient.run(tmp, "", "curl", "-sS", "-v", "--fail", "-o", got.toString(), "ftp://" + implicit);
        assertThat(out.exitCode()).isNotZero();
        assertThat(out.text()).contains("< 421 This port speaks FTPS from the first byte");
        assertThat(server.log()).contains("127.0.0.1 on the implicit FTPS port sent no TLS hello in 5s (a plain FTP client waiting for a greeting?): closing");
    }

    private static String ftplib(boolean reuse) {
        return String.join("\n",
                "import ftplib, ssl, sys",
                "ctx = ssl.create_default_context()",
                "ctx.check_hostname = False",
                "ctx.verify_mode = ssl.CERT_NONE",
                "class Reusing(ftplib.FTP_TLS):",
                "    def ntransfercmd(self, cmd, rest=None):",
                "        conn, size = ftplib.FTP.ntransfercmd(self, cmd, rest)",
                "        if self._prot_p:",
                "            conn = self.context.wrap_socket(conn, server_hostname=self.host, session=self.sock.session)",
                "        return conn, size",
                "f = (Reusing if " + (reuse ? "True" : "False") + " else ftplib.FTP_TLS)(context=ctx, timeout=20)",
                "f.connect('127.0.0.1', int(sys.argv[1]))",
                "f.login('bob', 's3cret')",
                "f.prot_p()",
                "data = []",
                "try:",
                "    f.retrbinary('RETR /data.bin', data.append)",
                "    print('size', sum(map(len, data)))",
                "except ftplib.error_perm as e:",
                "    print('refused', e)",
                "f.quit()",
                "");
    }

    @Test
    void pythonFtplibWorksWhenItResumesTheSessionAndIsRefusedWhenItDoesNot() throws Exception {
        ExternalClient.assumeInstalled("python3");
        Files.write(root.resolve("incoming/data.bin"), binary);
        var plain = ExternalClient.run(tmp, ftplib(false), "python3", "-", Integer.toString(server.port()));
        assertThat(plain.text()).as(plain.text()).contains("refused 522 TLS session reuse required");
        var reusing = ExternalClient.run(tmp, ftplib(true), "python3", "-", Integer.toString(server.port()));
        assertThat(reusing.text()).as(reusing.text()).contains("size " + binary.length);
        var relaxedPlain = ExternalClient.run(tmp, ftplib(false), "python3", "-", Integer.toString(relaxed.port()));
        assertThat(relaxedPlain.text()).as(relaxedPlain.text()).contains("size " + binary.length);
    }

    @Test
    void opensslNegotiatesTls12And13AndIsRefusedTls11() throws Exception {
        ExternalClient.assumeInstalled("openssl");
        String[] expected = {"-tls1_1", "alert protocol version", "-tls1_2", "New, TLSv1.2", "-tls1_3", "New, TLSv1.3"};
        for (int i = 0; i < expected.length; i += 2) {
            var out = ExternalClient.run(tmp, "QUIT\n", "openssl", "s_client", "-starttls", "ftp", "-connect",
                    "127.0.0.1:" + server.port(), expected[i], "-cipher", "DEFAULT@SECLEVEL=0");
            assertThat(out.text()).as(expected[i]).contains(expected[i + 1]);
        }
        assertThat(server.log()).contains("TLS handshake with 127.0.0.1 failed: no TLS version in common (TLS 1.2 or newer is required)");
    }
}
