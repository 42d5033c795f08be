import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.time.LocalTime;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load generator for the clock benchmark (run by run.sh with java's source launcher):
 * holds N clients open for S seconds and checks that each saw every second, in order.
 * Usage: java ClockLoad.java PORT CLIENTS SECONDS
 */
public class ClockLoad {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int clients = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        var connected = new CountDownLatch(clients);
        var failures = new ConcurrentLinkedQueue<String>();
        var perfect = new AtomicInteger();
        var measureFrom = new long[1];
        var start = new CountDownLatch(1);
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < clients; i++) {
                pool.submit(() -> {
                    try (var socket = connect(port)) {
                        connected.countDown();
                        var in = new BufferedReader(new InputStreamReader(socket.getInputStream()));
                        start.await();
                        if (everyTick(in, measureFrom[0], seconds)) {
                            perfect.incrementAndGet();
                        } else {
                            failures.add("gap");
                        }
                    } catch (Exception e) {
                        connected.countDown();
                        failures.add(e.toString());
                    }
                    return null;
                });
            }
            connected.await();
            measureFrom[0] = (System.currentTimeMillis() / 1000 + 2) * 1000; // the next-but-one whole second
            start.countDown();
            System.out.println("connected " + clients + " clients; watching " + seconds + " s of ticks");
        }
        System.out.printf("clients=%d every_tick=%d failed=%d%n", clients, perfect.get(), failures.size());
        failures.stream().distinct().limit(5).forEach(f -> System.out.println("  e.g. " + f));
    }

    private static Socket connect(int port) throws Exception {
        for (int attempt = 0; ; attempt++) {
            try {
                var socket = new Socket("localhost", port);
                socket.setSoTimeout(15_000);
                return socket;
            } catch (java.net.ConnectException e) {
                if (attempt > 50) throw e;
                Thread.sleep(20 + attempt * 10); // the backlog is full while the server catches up
            }
        }
    }

    /** Reads lines until the window ends; true if every second of the window came, in order. */
    private static boolean everyTick(BufferedReader in, long from, int seconds) throws Exception {
        LocalTime previous = null;
        int seen = 0;
        long until = from + seconds * 1000L;
        for (String line; (line = in.readLine()) != null; ) {
            long now = System.currentTimeMillis();
            if (now < from - 200) continue; // backlog from before the window
            var time = LocalTime.parse(line);
            if (previous != null && !time.equals(previous.plusSeconds(1))) return false;
            previous = time;
            seen++;
            if (now >= until) break;
        }
        return seen >= seconds;
    }
}
