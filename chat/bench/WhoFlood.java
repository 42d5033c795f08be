import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The /who flood against a chat server (issue 13): USERS named clients that read everything, then
 * ATTACKERS clients that each send /who WHO times and never read. A probe client times the round
 * trip of its own lines before and during the flood; the server's RSS is read from /proc.
 * Usage: java WhoFlood.java PORT SERVER_PID USERS ATTACKERS WHO
 */
public class WhoFlood {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        long pid = Long.parseLong(args[1]);
        int users = Integer.parseInt(args[2]), attackers = Integer.parseInt(args[3]), who = Integer.parseInt(args[4]);
        var held = new ArrayList<Socket>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var joins = new ArrayList<java.util.concurrent.Future<Socket>>();
            for (int i = 0; i < users; i++) {
                var name = "u%05d".formatted(i);
                joins.add(pool.submit(() -> join(port, name, true)));
            }
            for (var join : joins) {
                held.add(join.get(120, TimeUnit.SECONDS));
            }
        }
        var probe = new Probe(join(port, "probe", false));
        System.out.printf("%d users in; server RSS %s%n", users, rss(pid));
        System.out.println("quiet:  " + probe.time(50));
        var flood = new ArrayList<Thread>();
        for (int a = 0; a < attackers; a++) {
            var attacker = join(port, "attacker%03d".formatted(a), false); // never read from again
            held.add(attacker);
            flood.add(Thread.ofVirtual().start(() -> {
                try {
                    var out = attacker.getOutputStream();
                    for (int i = 0; i < who; i++) {
                        out.write("/who\n".getBytes(StandardCharsets.UTF_8));
                    }
                } catch (IOException e) {
                    // Cut off by the server.
                }
            }));
        }
        System.out.println("flood:  " + probe.time(50));
        for (var thread : flood) {
            thread.join(java.time.Duration.ofMinutes(2));
        }
        System.out.printf("after %d x %d /who: server RSS %s, peak %s%n", attackers, who, rss(pid), peak(pid));
        for (var socket : held) {
            socket.close();
        }
    }

    /** Connects and takes a name; a user drains everything it is sent on a thread of its own. */
    static Socket join(int port, String name, boolean drain) throws IOException {
        var socket = new Socket("localhost", port);
        var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        in.readLine(); // Welcome!
        socket.getOutputStream().write((name + "\n").getBytes(StandardCharsets.UTF_8));
        var answer = in.readLine();
        if (answer == null || !answer.startsWith("You are")) {
            throw new IOException(name + " not let in: " + answer);
        }
        if (drain) {
            Thread.ofVirtual().start(() -> {
                try {
                    while (in.readLine() != null) {
                        // Discard.
                    }
                } catch (IOException e) {
                    // Closed at the end.
                }
            });
        }
        return socket;
    }

    /** Times its own lines' trip through the broadcaster and back. */
    static final class Probe {
        private final OutputStream out;
        private final BlockingQueue<String> mine = new LinkedBlockingQueue<>();
        private int sent;

        Probe(Socket socket) throws IOException {
            out = socket.getOutputStream();
            var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            Thread.ofVirtual().start(() -> {
                try {
                    for (String line; (line = in.readLine()) != null; ) {
                        if (line.startsWith("probe: ")) {
                            mine.add(line);
                        }
                    }
                } catch (IOException e) {
                    // Closed at the end.
                }
            });
        }

        String time(int n) throws Exception {
            var millis = new ArrayList<Double>();
            for (int i = 0; i < n; i++) {
                long start = System.nanoTime();
                out.write(("ping " + sent++ + "\n").getBytes(StandardCharsets.UTF_8));
                if (mine.poll(60, TimeUnit.SECONDS) == null) {
                    return "no echo within 60 s";
                }
                millis.add((System.nanoTime() - start) / 1e6);
                Thread.sleep(20);
            }
            Collections.sort(millis);
            return "probe round trip p50 %.1f ms, p99 %.1f ms, max %.1f ms".formatted(
                    millis.get(n / 2), millis.get(n * 99 / 100), millis.getLast());
        }
    }

    static String rss(long pid) throws IOException {
        return status(pid, "VmRSS:");
    }

    static String peak(long pid) throws IOException {
        return status(pid, "VmHWM:");
    }

    private static String status(long pid, String field) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("/proc/" + pid + "/status"));
        for (var line : lines) {
            if (line.startsWith(field)) {
                long kb = Long.parseLong(line.replaceAll("\\D", ""));
                return (kb / 1024) + " MiB";
            }
        }
        return "?";
    }
}
