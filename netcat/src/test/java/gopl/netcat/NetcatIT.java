package gopl.netcat;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import gopl.common.testing.ToolProcess;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The real jar, as a user runs it, against loopback servers. */
class NetcatIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static CompletableFuture<byte[]> readAll(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }, runnable -> Thread.ofVirtual().start(runnable));
    }

    @Test
    void tenMegabytesOfBinaryRoundTripByteExact() throws Exception {
        var data = new byte[10 << 20];
        new Random(8_3).nextBytes(data);
        try (var server = Servers.start(Servers::echo)) {
            var process = new ProcessBuilder(ToolProcess.command("localhost", String.valueOf(server.port()))).start();
            var stdout = readAll(process.getInputStream());
            var stderr = readAll(process.getErrorStream());
            Thread.ofVirtual().start(() -> {
                try (var stdin = process.getOutputStream()) {
                    stdin.write(data);
                } catch (IOException ignored) {
                    // The assertions below say what went wrong.
                }
            });
            assertThat(process.waitFor(TIMEOUT.toSeconds(), SECONDS)).as("netcat exits").isTrue();
            assertThat(new String(stderr.get(10, SECONDS), UTF_8)).isEmpty();
            assertThat(process.exitValue()).isZero();
            var echoed = stdout.get(10, SECONDS);
            assertThat(echoed.length).isEqualTo(data.length);
            assertThat(echoed).isEqualTo(data);
        }
    }

    @Test
    void bytesPassAsTheyArriveNotLineByLineOrAtTheEnd() throws Exception {
        try (var server = Servers.start(Servers::echo)) {
            var process = new ProcessBuilder(ToolProcess.command(String.valueOf(server.port()))).start();
            try {
                var stdin = process.getOutputStream();
                var stdout = process.getInputStream();
                stdin.write("abc".getBytes(UTF_8)); // no newline, stdin stays open
                stdin.flush();
                assertThat(readWithin(stdout, 3)).isEqualTo("abc");
                stdin.write("def\n".getBytes(UTF_8));
                stdin.flush();
                assertThat(readWithin(stdout, 4)).isEqualTo("def\n");
                stdin.close();
                assertThat(process.waitFor(TIMEOUT.toSeconds(), SECONDS)).isTrue();
                assertThat(process.exitValue()).isZero();
            } finally {
                process.destroyForcibly();
            }
        }
    }

    private static String readWithin(InputStream in, int n) throws Exception {
        var bytes = CompletableFuture.supplyAsync(() -> {
            try {
                return in.readNBytes(n);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }, runnable -> Thread.ofVirtual().start(runnable));
        return new String(bytes.get(30, SECONDS), UTF_8);
    }

    @Test
    void printfIntoNetcatShowsEveryLateEcho() throws Exception {
        try (var server = Servers.start(Servers.reverb(Duration.ofMillis(300)))) {
            var result = ToolProcess.run(TIMEOUT, "Hello\n".getBytes(UTF_8), "localhost", String.valueOf(server.port()));
            assertThat(result.exitCode()).isZero();
            assertThat(result.stdout()).isEqualTo("\tHELLO\n\tHello\n\thello\n");
            assertThat(result.stderr()).isEmpty();
        }
    }

    @Test
    void listenModeServesOneClient() throws Exception {
        try (var netcat = ToolProcess.start("-l", "-v", "0")) {
            int port = listeningPort(netcat);
            try (var client = new Socket("localhost", port)) {
                client.getOutputStream().write("hi from the client\n".getBytes(UTF_8));
                assertThat(netcat.nextLine(TIMEOUT)).isEqualTo("hi from the client");
                netcat.process().getOutputStream().write("hi from netcat\n".getBytes(UTF_8));
                netcat.closeStdin();
                assertThat(new String(client.getInputStream().readAllBytes(), UTF_8)).isEqualTo("hi from netcat\n");
            }
            var result = netcat.waitFor(TIMEOUT);
            assertThat(result.exitCode()).isZero();
            assertThat(result.stderr()).contains("Connection received on localhost ");
        }
    }

    private static int listeningPort(ToolProcess netcat) {
        var listening = Pattern.compile("Listening on localhost (\\d+)");
        return Integer.parseInt(netcat.awaitStderr(listening, TIMEOUT).group(1));
    }

    @Test
    void refusedConnectionIsOneLineWithoutAStackTrace() throws Exception {
        int port = Servers.closedPort();
        var result = ToolProcess.run("localhost", String.valueOf(port));
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).isEqualTo("netcat: connect localhost:" + port + ": Connection refused\n");
    }

    @Test
    void usageErrorIsOneLineAndExitTwo() {
        var result = ToolProcess.run("--listen", "--zero-io");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).isEqualTo(
                "netcat: -z checks a port by connecting to it; it cannot be used with -l (see netcat --help)\n");
    }

    @Test
    void helpAndVersion() {
        var help = ToolProcess.run("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.stdout()).startsWith("Usage: netcat").contains("-q, --quit=D", "-w, --wait=D", "-l, --listen");
        var version = ToolProcess.run("--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.stdout()).matches("netcat \\d+\\.\\d+\\.\\d+ \\(Java \\d+\\)\\n");
    }
}
