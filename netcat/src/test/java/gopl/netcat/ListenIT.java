package gopl.netcat;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Listening, and the source address, against OpenBSD nc ({@code -l -v}, {@code -k}, {@code -s},
 * {@code -p}) and ncat ({@code --broker}), each run through the same client script in the same test.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ListenIT {
    private static final int SOCKET_TIMEOUT = (int) Proc.TIMEOUT.toMillis();

    /** What a listener printed and what its clients received, to compare tool against tool. */
    private record Story(String serverOut, List<String> clientsGot, int status) {}

    private static String talk(int port, String send) throws IOException {
        try (var client = new Socket(InetAddress.getLoopbackAddress(), port)) {
            client.setSoTimeout(SOCKET_TIMEOUT);
            client.getOutputStream().write(send.getBytes(UTF_8));
            client.shutdownOutput();
            return new String(client.getInputStream().readAllBytes(), UTF_8);
        }
    }

    /** One client: -l -v prints nc's two lines, copies both ways, and exits 0 once the client has gone. */
    private static Story oneClient(Function<String[], Proc> tool) throws Exception {
        try (var server = tool.apply(new String[] {"-l", "-v", "127.0.0.1", "0"})) {
            int port = server.awaitPort();
            server.write("srv\n").closeStdin();
            var got = talk(port, "cli\n");
            server.awaitErr("^Connection received on localhost \\d+$");
            var result = server.finish(Proc.TIMEOUT);
            assertThat(result.err()).startsWith("Listening on localhost " + port + "\n");
            return new Story(result.text(), List.of(got), result.status());
        }
    }

    @Test
    void listenServesOneClientAsNcDoes() throws Exception {
        var theirs = oneClient(args -> Proc.real("nc", args));
        var ours = oneClient(Proc::ours);
        assertThat(ours).isEqualTo(theirs).isEqualTo(new Story("cli\n", List.of("srv\n"), 0));
    }

    /** -k: clients one after another; stdin goes to the first, and every client's bytes reach stdout. */
    private static Story clientAfterClient(Function<String[], Proc> tool) throws Exception {
        try (var server = tool.apply(new String[] {"-l", "-k", "-v", "127.0.0.1", "0"})) {
            int port = server.awaitPort();
            server.write("for the first\n").closeStdin();
            var first = talk(port, "one\n");
            var second = talk(port, "two\n");
            var third = talk(port, "three\n");
            server.awaitOut("one\ntwo\nthree\n");
            var result = server.kill();
            return new Story(result.text(), List.of(first, second, third), 0);
        }
    }

    @Test
    void keepOpenServesOneClientAfterAnotherAsNcDoes() throws Exception {
        var theirs = clientAfterClient(args -> Proc.real("nc", args));
        var ours = clientAfterClient(Proc::ours);
        assertThat(ours).isEqualTo(theirs)
                .isEqualTo(new Story("one\ntwo\nthree\n", List.of("for the first\n", "", ""), 0));
    }

    /** -s and -p: where the server sees the connection come from. */
    private static InetSocketAddress seenFrom(Function<String[], Proc> tool, String... args) throws Exception {
        try (var server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            var peer = CompletableFuture.supplyAsync(() -> {
                try (var accepted = server.accept()) {
                    accepted.setSoTimeout(SOCKET_TIMEOUT);
                    accepted.getInputStream().readAllBytes();
                    return (InetSocketAddress) accepted.getRemoteSocketAddress();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            var command = new ArrayList<>(List.of(args));
            command.addAll(List.of("127.0.0.1", String.valueOf(server.getLocalPort())));
            var result = tool.apply(command.toArray(String[]::new)).run(new byte[0]);
            assertThat(result.status()).as(result.err()).isZero();
            return peer.get(Proc.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    @Test
    void sourceAddressAndPortAsNcSetsThem() throws Exception {
        var theirs = seenFrom(args -> Proc.real("nc", args), "-N", "-s", "127.0.0.2");
        var ours = seenFrom(Proc::ours, "-N", "-s", "127.0.0.2");
        assertThat(ours.getAddress()).isEqualTo(theirs.getAddress()).isEqualTo(InetAddress.getByName("127.0.0.2"));
        int free;
        try (var probe = new ServerSocket(0)) {
            free = probe.getLocalPort();
        }
        var fromPort = seenFrom(Proc::ours, "-s", "127.0.0.3", "-p", String.valueOf(free));
        assertThat(fromPort).isEqualTo(new InetSocketAddress("127.0.0.3", free));
    }

    @Test
    void listenAddressFromDashSAndPortFromDashP() throws Exception {
        for (var tool : List.<Function<String[], Proc>>of(args -> Proc.real("nc", args), Proc::ours)) {
            try (var server = tool.apply(new String[] {"-l", "-v", "-s", "127.0.0.1", "-p", "0"})) {
                int port = server.awaitPort();
                assertThat(talk(port, "")).isEmpty();
                assertThat(server.finish(Proc.TIMEOUT).status()).isZero();
            }
        }
    }

    /**
     * --broker: two clients connected at once hear each other and the broker's stdin, never
     * themselves; the broker prints nothing of theirs.
     */
    private static Story brokered(Function<String[], Proc> tool, String connectedLine) throws Exception {
        int port;
        try (var probe = new ServerSocket(0)) {
            port = probe.getLocalPort(); // ncat does not say which port 0 picked
        }
        try (var broker = tool.apply(new String[] {"-v", "--broker", "-l", "127.0.0.1", String.valueOf(port)})) {
            broker.awaitErr("Listening on");
            try (var first = new Socket(InetAddress.getLoopbackAddress(), port);
                 var second = new Socket(InetAddress.getLoopbackAddress(), port)) {
                first.setSoTimeout(SOCKET_TIMEOUT);
                second.setSoTimeout(SOCKET_TIMEOUT);
                broker.awaitErr(connectedLine);
                broker.awaitErr(connectedLine);
                first.getOutputStream().write("hello from one\n".getBytes(UTF_8));
                var secondGot = Proc.readLine(second);
                second.getOutputStream().write("hello from two\n".getBytes(UTF_8));
                var firstGot = Proc.readLine(first);
                broker.write("from stdin\n");
                var both = Proc.readLine(first) + Proc.readLine(second);
                var result = broker.kill();
                return new Story(result.text(), List.of(firstGot, secondGot, both), 0);
            }
        }
    }

    @Test
    void brokerRelaysBetweenClientsAsNcatDoes() throws Exception {
        var theirs = brokered(args -> Proc.real("ncat", args), "Ncat: Connection from 127.0.0.1:\\d+");
        var ours = brokered(Proc::ours, "^Connection received on localhost \\d+$");
        assertThat(ours).isEqualTo(theirs).isEqualTo(new Story("",
                List.of("hello from two\n", "hello from one\n", "from stdin\nfrom stdin\n"), 0));
    }
}
