package gopl.ftp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPReply;

/** An in-process server on a free loopback port, sharing a test's temp directory. */
final class TestServer implements AutoCloseable {
    static final String USER = "bob";
    static final String PASSWORD = "s3cret";

    private final FtpServer server;
    private final Thread thread;

    private TestServer(FtpServer server) {
        this.server = server;
        this.thread = Thread.ofVirtual().name("test-ftp").start(server::serve);
    }

    static TestServer start(Path root) {
        return start(root, Duration.ofMinutes(1), Duration.ofSeconds(30), 100);
    }

    static TestServer start(Path root, Duration idleTimeout, Duration dataTimeout, int maxSessions) {
        try {
            var settings = new FtpServer.Settings(new Jail(root), new Accounts(true, USER, PASSWORD), null, null,
                    idleTimeout, dataTimeout, Duration.ofMillis(200), maxSessions);
            return new TestServer(FtpServer.listen("127.0.0.1", 0, settings));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return server.port();
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
