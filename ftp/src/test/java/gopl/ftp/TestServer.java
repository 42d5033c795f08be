package gopl.ftp;

import gopl.common.Cli;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPReply;

/** An in-process server on a free loopback port, sharing a test's temp directory. */
final class TestServer implements FtpUnderTest {
    static final String USER = "bob";
    static final String PASSWORD = "s3cret";

    private final FtpServer server;
    private final Thread thread;

    private TestServer(FtpServer server) {
        this.server = server;
        this.thread = Thread.ofVirtual().name("test-ftp").start(server::serve);
    }

    /**
     * A server sharing {@code root} with anonymous access and the write account {@link #USER}, set
     * up with the command line's own options: {@code options} are added to (and override) a
     * 1-minute idle timeout, a 30-second data timeout and a 200 ms failed-login delay.
     */
    static TestServer start(Path root, String... options) {
        return start("127.0.0.1", root, options);
    }

    static TestServer start(String host, Path root, String... options) {
        var args = new ArrayList<>(List.of("--root", root.toString(), "--user", USER, "--password-file", passwordFile().toString(),
                "--idle-timeout", "1m", "--data-timeout", "30s", "--delay-failed-login", "200ms"));
        args.addAll(List.of(options));
        var command = new FtpCommand();
        var cli = Cli.commandLine(command, System.out, System.err);
        cli.setOverwrittenOptionsAllowed(true);
        cli.parseArgs(args.toArray(String[]::new));
        var settings = command.settings();
        return new TestServer(FtpServer.listen(host, 0, command.tls.implicitPort(), settings));
    }

    /** A file holding {@link #PASSWORD}, outside any shared root (passwords never go on the command line). */
    static Path passwordFile() {
        try {
            var file = Files.createTempFile("ftp-test-password-", ".txt");
            file.toFile().deleteOnExit();
            Files.writeString(file, PASSWORD + "\n");
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public int port() {
        return server.port();
    }

    /** The implicit FTPS port (--implicit-tls-port), -1 without one. */
    int implicitPort() {
        return server.implicitPort();
    }

    /** A commons-net client, connected, logged in, binary, passive or active. */
    FTPClient client(String user, String password, boolean passive) throws IOException {
        var ftp = connect();
        if (!ftp.login(user, password)) {
            throw new IOException("login failed: " + ftp.getReplyString());
        }
        ftp.setFileType(FTP.BINARY_FILE_TYPE);
        if (passive) {
            ftp.enterLocalPassiveMode();
        } else {
            ftp.enterLocalActiveMode();
            ftp.setActiveExternalIPAddress("127.0.0.1");
        }
        return ftp;
    }

    FTPClient anonymous(boolean passive) throws IOException {
        return client("anonymous", "test@example.org", passive);
    }

    FTPClient writer(boolean passive) throws IOException {
        return client(USER, PASSWORD, passive);
    }

    /** Connected, not logged in. */
    FTPClient connect() throws IOException {
        var ftp = new FTPClient();
        ftp.setConnectTimeout(10_000);
        ftp.setDefaultTimeout(20_000);
        ftp.setDataTimeout(Duration.ofSeconds(20));
        ftp.setControlEncoding("UTF-8");
        ftp.connect(InetAddress.getLoopbackAddress(), port());
        if (!FTPReply.isPositiveCompletion(ftp.getReplyCode())) {
            throw new IOException("no greeting: " + ftp.getReplyString());
        }
        return ftp;
    }

    @Override
    public void close() throws InterruptedException {
        server.close();
        thread.join(Duration.ofSeconds(5));
    }
}
