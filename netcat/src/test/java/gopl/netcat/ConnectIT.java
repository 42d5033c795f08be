package gopl.netcat;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Connect-mode sessions against OpenBSD nc on the same server: {@code -v}'s line, {@code -d},
 * and the half-close ({@code -N}, which netcat always does), compared byte for byte.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ConnectIT {
    /** Answers each client, once it has sent everything, with how many bytes that was. */
    private static ServerSocket countingServer() throws IOException {
        var server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try (var client = server.accept()) {
                    client.setSoTimeout((int) Proc.TIMEOUT.toMillis());
                    long n = client.getInputStream().transferTo(OutputStream.nullOutputStream());
                    client.getOutputStream().write(("got " + n + " bytes\n").getBytes(UTF_8));
                } catch (IOException e) {
                    // Closed by the test, or a client gone: the client's side is what is checked.
                }
            }
        });
        return server;
    }

    private static void assertSameAsNc(byte[] stdin, String... args) throws IOException {
        try (var server = countingServer()) {
            var withPort = new String[args.length + 1];
            System.arraycopy(args, 0, withPort, 0, args.length);
            withPort[args.length] = String.valueOf(server.getLocalPort());
            var theirs = Proc.real("nc", withPort).run(stdin);
            var ours = Proc.ours(withPort).run(stdin);
            Proc.assertSame(ours, theirs);
        }
    }

    @Test
    void verboseSaysNcsLineAndTheHalfCloseLetsTheServerAnswer() throws Exception {
        assertSameAsNc("12345".getBytes(UTF_8), "-v", "-N", "127.0.0.1");
        assertSameAsNc("12345".getBytes(UTF_8), "-v", "-N", "localhost");
        assertSameAsNc("12345".getBytes(UTF_8), "-vn", "-N", "127.0.0.1");
    }

    @Test
    void dashDNeitherReadsStdinNorClosesItsSendingHalf() throws Exception {
        // nc -d never half-closes, so a server that waits for the end of what it is sent waits on.
        try (var server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 2; i++) {
                    try (var client = server.accept()) {
                        // A negative cannot be awaited: a second of nothing, not even an end of stream, stands for it.
                        client.setSoTimeout(1000);
                        int first;
                        try {
                            first = client.getInputStream().read();
                        } catch (SocketTimeoutException silent) {
                            first = -2;
                        }
                        client.getOutputStream().write(("read " + first + "\n").getBytes(UTF_8));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            var port = String.valueOf(server.getLocalPort());
            var theirs = Proc.real("nc", "-d", "127.0.0.1", port).run("ignored".getBytes(UTF_8));
            var ours = Proc.ours("-d", "127.0.0.1", port).run("ignored".getBytes(UTF_8));
            Proc.assertSame(ours, theirs);
            assertThat(ours.text()).isEqualTo("read -2\n");
        }
    }
}
