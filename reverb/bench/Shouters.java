import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Load for reverb's benchmark (run by bench/run.sh): CLIENTS clients connect at once, each shouts
 * SHOUTS lines GAP_MS apart, closes its write half and reads every echo until reverb closes.
 * Prints key=value lines for the script.
 *
 * <p>Usage: java Shouters.java PORT CLIENTS SHOUTS GAP_MS
 */
public class Shouters {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int clients = Integer.parseInt(args[1]);
        int shouts = Integer.parseInt(args[2]);
        long gapMillis = Long.parseLong(args[3]);
        var echoes = new LongAdder();
        var completed = new LongAdder();
        var errors = new ConcurrentHashMap<String, LongAdder>();
        var open = new AtomicInteger();
        var mostOpen = new AtomicInteger();
        var connecting = new Semaphore(256); // a burst of 10,000 SYNs at once only overflows the backlog
        var connectMillis = new long[clients];
        var sessionMillis = new long[clients];
        long start = System.nanoTime();
        try (var all = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < clients; i++) {
                int id = i;
                all.execute(() -> {
                    try (var socket = new Socket()) {
                        long begin = System.nanoTime();
                        connecting.acquire();
                        try {
                            socket.connect(new InetSocketAddress("127.0.0.1", port), 60_000);
                        } finally {
                            connecting.release();
                        }
                        long connected = System.nanoTime();
                        connectMillis[id] = (connected - begin) / 1_000_000;
                        mostOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
                        try {
                            int heard = shoutAndListen(socket, id, shouts, gapMillis);
                            echoes.add(heard);
                            sessionMillis[id] = (System.nanoTime() - connected) / 1_000_000;
                            if (heard == 3 * shouts) {
                                completed.increment();
                            } else {
                                count(errors, "missing echoes");
                            }
                        } finally {
                            open.decrementAndGet();
                        }
                    } catch (IOException e) {
                        count(errors, e.getClass().getSimpleName() + ": " + e.getMessage());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.println("clients=" + clients);
        System.out.println("completed=" + completed.sum());
        System.out.println("echoes=" + echoes.sum());
        System.out.println("expected=" + (long) clients * shouts * 3);
        System.out.println("peak_open=" + mostOpen.get());
        System.out.println("wall_ms=" + millis);
        System.out.println("connect_ms_p50_p99_max=" + percentiles(connectMillis));
        System.out.println("session_ms_p50_p99_max=" + percentiles(sessionMillis));
        System.out.println("errors=" + errors.values().stream().mapToLong(LongAdder::sum).sum());
        errors.forEach((kind, n) -> System.out.println("error: " + n.sum() + " x " + kind));
    }

    /** Shouts, half-closes, then counts the echo lines that are right, until reverb closes. */
    private static int shoutAndListen(Socket socket, int id, int shouts, long gapMillis)
            throws IOException, InterruptedException {
        socket.setSoTimeout(120_000);
        var out = socket.getOutputStream();
        for (int k = 0; k < shouts; k++) {
            if (k > 0) {
                Thread.sleep(gapMillis);
            }
            out.write(("Client " + id + " shout " + k + "\n").getBytes(StandardCharsets.UTF_8));
        }
        socket.shutdownOutput();
        var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        int heard = 0;
        for (String line; (line = in.readLine()) != null; ) {
            var text = line.strip();
            var shout = text.toLowerCase().replaceFirst("^client (\\d+) shout (\\d+)$", "$1");
            heard += shout.equals(String.valueOf(id)) ? 1 : 0;
        }
        return heard;
    }

    private static String percentiles(long[] millis) {
        var sorted = millis.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2] + "/" + sorted[sorted.length * 99 / 100] + "/" + sorted[sorted.length - 1];
    }

    private static void count(Map<String, LongAdder> errors, String kind) {
        errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }
}
