package gopl.netcat;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -U}, both ways, against OpenBSD nc in the same test: the same bytes, the half-close (a
 * server that answers only after end of stream), the same error line and exit status.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UnixSocketIT {
    @TempDir
    Path dir;

    /** A server that reads to end of stream, then says how much it got: only a half-close lets it answer. */
    private String countingServer(Path path, Function<String[], Proc> tool, String... args) throws Exception {
        try (var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(path));
            var served = CompletableFuture.runAsync(() -> {
                try (var client = server.accept()) {
                    long n = Channels.newInputStream(client).transferTo(OutputStream.nullOutputStream());
                    client.write(ByteBuffer.wrap(("got " + n + " bytes\n").getBytes(UTF_8)));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            var result = tool.apply(args).run("12345".getBytes(UTF_8));
            served.get(Proc.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(result.status()).as(result.err()).isZero();
            return result.text();
        } finally {
            Files.deleteIfExists(path);
        }
    }

    @Test
    void clientHalfClosesAsNcDashNDoes() throws Exception {
        var path = dir.resolve("count.sock");
        var theirs = countingServer(path, args -> Proc.real("nc", args), "-N", "-U", path.toString());
        var ours = countingServer(path, Proc::ours, "-U", path.toString());
        assertThat(ours).isEqualTo(theirs).isEqualTo("got 5 bytes\n");
    }

    /** -l -U: a client (nc -N -U) and the listener exchange lines; -v says nc's three lines. */
    private List<String> listener(Function<String[], Proc> tool, Path path) throws Exception {
        try (var server = tool.apply(new String[] {"-l", "-v", "-U", path.toString()})) {
            server.awaitErr("^Listening on " + path + "$");
            server.write("from the server\n").closeStdin();
            var client = Proc.real("nc", "-N", "-U", path.toString()).run("from the client\n".getBytes(UTF_8));
            var result = server.finish(Proc.TIMEOUT);
            return List.of(result.text(), client.text(), result.err(), String.valueOf(result.status()));
        }
    }

    @Test
    void listenerServesAClientAsNcDoes() throws Exception {
        var theirs = listener(args -> Proc.real("nc", args), dir.resolve("theirs.sock"));
        var ours = listener(Proc::ours, dir.resolve("ours.sock"));
        assertThat(ours.get(0)).isEqualTo(theirs.get(0)).isEqualTo("from the client\n");
        assertThat(ours.get(1)).isEqualTo(theirs.get(1)).isEqualTo("from the server\n");
        var path = dir.resolve("ours.sock");
        assertThat(ours.get(2)).isEqualTo(theirs.get(2).replace("theirs.sock", "ours.sock"))
                .isEqualTo("Bound on " + path + "\nListening on " + path + "\nConnection received on " + path + "\n");
        assertThat(ours.get(3)).isEqualTo(theirs.get(3)).isEqualTo("0");
        // nc leaves its socket file behind; netcat removes the one it made.
        assertThat(dir.resolve("theirs.sock")).exists();
        assertThat(path).doesNotExist();
    }

    @Test
    void aMissingSocketIsNcsOneLine() throws Exception {
        var path = dir.resolve("nobody.sock").toString();
        for (var args : List.of(new String[] {"-U", path}, new String[] {"-zU", path})) {
            var theirs = Proc.real("nc", args).run(new byte[0]);
            var ours = Proc.ours(args).run(new byte[0]);
            Proc.assertSame(ours, theirs);
            assertThat(ours.err()).isEqualTo("netcat: " + path + ": No such file or directory\n");
        }
    }

    @Test
    void listeningReplacesAStaleSocketButNeverAFile() throws Exception {
        var stale = dir.resolve("stale.sock");
        try (var dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(stale)); // closing leaves the file, as a crashed server does
        }
        try (var server = Proc.ours("-l", "-v", "-U", stale.toString())) {
            server.awaitErr("^Listening on ");
            var client = Proc.ours("-U", stale.toString()).run("hi\n".getBytes(UTF_8));
            assertThat(client.status()).isZero();
            assertThat(server.finish(Proc.TIMEOUT).text()).isEqualTo("hi\n");
        }
        var precious = dir.resolve("notes.txt");
        Files.writeString(precious, "keep me\n");
        var refused = Proc.ours("-l", "-U", precious.toString()).run(new byte[0]);
        assertThat(refused.status()).isEqualTo(1);
        assertThat(refused.err()).isEqualTo("netcat: cannot listen on " + precious
                + ": File exists and is not a socket (netcat replaces only a stale socket)\n");
        assertThat(precious).hasContent("keep me");
    }
}
