package gopl.netcat;

import static java.nio.charset.StandardCharsets.UTF_8;

import gopl.common.TcpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;

/** Loopback servers for netcat to talk to, each a few lines so a test says what it expects. */
final class Servers {
    private Servers() {}

    /** Serves on a free localhost port in the background; close it when done. */
    static TcpServer start(TcpServer.Handler handler) {
        var server = TcpServer.listen("localhost", 0);
        server.onError(e -> { }); // the test asserts on what the client sees
        Thread.ofVirtual().name("test-server").start(() -> server.serve(handler));
        return server;
    }

    /** Sends back every byte, and closes its write half once the client has closed its own. */
    static void echo(Socket socket) throws IOException {
        socket.getInputStream().transferTo(socket.getOutputStream());
        socket.shutdownOutput();
    }

    /**
     * A small reverb (exercise 8.4), so netcat's tests need not depend on the reverb module:
     * three echoes of each line, each after the delay, echoes of different lines overlapping,
     * and the connection closed only once the client has half-closed and every echo is out.
     */
    static TcpServer.Handler reverb(Duration delay) {
        return socket -> {
            var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), UTF_8));
            var out = socket.getOutputStream();
            try (var echoes = Executors.newVirtualThreadPerTaskExecutor()) {
                for (String line; (line = in.readLine()) != null; ) {
                    var shout = line;
                    echoes.submit(() -> {
                        for (var echo : List.of(shout.toUpperCase(Locale.ROOT), shout, shout.toLowerCase(Locale.ROOT))) {
                            Thread.sleep(delay);
                            synchronized (out) {
                                out.write(("\t" + echo + "\n").getBytes(UTF_8));
                            }
                        }
                        return null;
                    });
                }
            }
        };
    }

    /** A port nothing listens on (it was free a moment ago). */
    static int closedPort() throws IOException {
        try (var probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }
}
