package gopl.chat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The load generator of {@code chat/bench/run.sh}: N clients join a chat server, then some of
 * them send messages and every client times every broadcast it receives (the send time travels in
 * the message; all clients share this JVM's clock). Two phases: a loaded one (several senders,
 * each with a window of messages not yet echoed back) for deliveries per second, and a light one
 * (one message at a time) for the latency of a single broadcast. Prints one Markdown table row.
 */
@Command(name = "chat-load", mixinStandardHelpOptions = true)
public final class LoadGenerator implements Callable<Integer> {
    enum Protocol { gopl, book }

    @Option(names = "--port", description = "Server port on localhost.") int port;
    @Option(names = "--protocol", description = "gopl: ours (asks a name); book: gopl.io ch8/chat (no name).") Protocol protocol = Protocol.gopl;
    @Option(names = "--clients") int clients = 100;
    @Option(names = "--messages", description = "Messages in the loaded phase.") int messages = 10_000;
    @Option(names = "--senders") int senders = 10;
    @Option(names = "--window", description = "Messages each sender may have in flight.") int window = 8;
    @Option(names = "--probes", description = "Messages in the light phase, one at a time.") int probes = 100;
    @Option(names = "--server-pid", description = "For the server's CPU time and RSS.") long pid;
    @Option(names = "--label") String label = "server";
    @Option(names = "--hold", description = "Seconds to stay connected after the run, to inspect the server.") int hold;
    @Option(names = "--free-port", description = "Just print a free port and exit.") boolean freePort;

    private LoadClient[] conns;
    private CountDownLatch warmed; // counts down once per client that heard a warm-up marker
    private final AtomicInteger lastWarmUpHeard = new AtomicInteger(-1);

    public static void main(String[] args) {
        System.exit(new CommandLine(new LoadGenerator()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (freePort) {
            try (var socket = new ServerSocket(0)) {
                System.out.println(socket.getLocalPort());
            }
            return 0;
        }
        long t0 = System.nanoTime();
        connectAll();
        double joined = seconds(System.nanoTime() - t0);
        long cpu0 = cpuTicks();
        var loaded = run(1, Math.min(senders, clients), window, messages, false);
        double cpu = (cpuTicks() - cpu0) / 100.0; // USER_HZ is 100 on Linux
        var light = run(2, 1, 1, probes, true);
        System.out.printf("| %s | %,d | %.1f | %,.0f | %,d | %.2f | %.2f | %.2f | %.2f | %.1f | %s |%n",
                label, clients, joined, loaded.perSecond(), loaded.lost, loaded.p50, loaded.p99, light.p50, light.p99, cpu, rss());
        Thread.sleep(hold * 1000L);
        return 0;
    }

    /** Connects everyone (a few hundred handshakes at a time), then waits until all hear a broadcast. */
    private void connectAll() throws InterruptedException {
        conns = new LoadClient[clients];
        warmed = new CountDownLatch(clients);
        var handshakes = new Semaphore(200);
        var connected = new CountDownLatch(clients);
        for (int i = 0; i < clients; i++) {
            int index = i;
            Thread.ofVirtual().start(() -> {
                handshakes.acquireUninterruptibly();
                try {
                    conns[index] = new LoadClient(this, index, port, protocol == Protocol.gopl);
                } catch (IOException e) {
                    System.err.println("chat-load: client " + index + ": " + e);
                    System.exit(1);
                } finally {
                    handshakes.release();
                }
                connected.countDown();
                conns[index].listen();
            });
        }
        connected.await();
        // Then the arrival announcements must drain: a marker sent after them has to reach everyone.
        // A client may miss one (ours drops lines for a client still far behind; the book's server
        // adds a client to its map only after "You are"), so send the next marker once the last has
        // come out of the server and stopped spreading. Never more than one is in flight: a queue
        // of them would run into the measured phase.
        int sent = 0;
        conns[0].send(warmUp(sent));
        for (long left = clients; !warmed.await(1, TimeUnit.SECONDS); left = warmed.getCount()) {
            if (lastWarmUpHeard.get() == sent && warmed.getCount() == left) {
                conns[0].send(warmUp(++sent));
            }
        }
    }

    private static byte[] warmUp(int number) {
        return ("~" + number + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    record Result(long delivered, long lost, double seconds, double p50, double p99) {
        double perSecond() {
            return delivered / seconds;
        }
    }

    private volatile Phase phase;

    /** The phase running now, or null before the first. */
    Phase phase() {
        return phase;
    }

    /** A client heard warm-up marker {@code number}, its first one if {@code first}. */
    void heardWarmUp(int number, boolean first) {
        lastWarmUpHeard.accumulateAndGet(number, Math::max);
        if (first) {
            warmed.countDown();
        }
    }

    /**
     * One phase: messages sent, latency of each delivery, until all arrived or none came for 10 s.
     * In lockstep, each message is sent once the one before has reached every client.
     */
    private Result run(int id, int senderCount, int window, int total, boolean lockstep) throws InterruptedException {
        var current = new Phase(id, clients, total, senderCount, window);
        phase = current;
        long start = System.nanoTime();
        var threads = new ArrayList<Thread>();
        for (int s = 0; s < senderCount; s++) {
            int sender = s;
            int count = total / senderCount + (s < total % senderCount ? 1 : 0);
            threads.add(Thread.ofVirtual().start(() -> send(current, sender, count, lockstep)));
        }
        long expected = (long) total * clients;
        long seen = -1, lastProgress = System.nanoTime();
        while (current.delivered.sum() < expected && System.nanoTime() - lastProgress < TimeUnit.SECONDS.toNanos(10)) {
            Thread.sleep(20);
            long now = current.delivered.sum();
            if (now != seen) {
                seen = now;
                lastProgress = System.nanoTime();
            }
        }
        for (var thread : threads) {
            thread.join();
        }
        long delivered = current.delivered.sum();
        var all = new long[(int) delivered];
        int at = 0;
        for (int i = 0; i < clients; i++) {
            int n = Math.min(current.counts[i], total);
            System.arraycopy(current.latencies[i], 0, all, at, Math.min(n, all.length - at));
            at += n;
        }
        Arrays.sort(all, 0, at);
        return new Result(delivered, expected - delivered, seconds(current.last.get() - start),
                millis(all, at, 0.50), millis(all, at, 0.99));
    }

    private void send(Phase current, int sender, int count, boolean lockstep) {
        var conn = conns[sender];
        var credit = current.windows[sender];
        try {
            for (int k = 0; k < count; k++) {
                if (lockstep) {
                    awaitDelivered(current, (long) k * clients);
                } else {
                    credit.tryAcquire(5, TimeUnit.SECONDS); // an echo lost by a dropping server must not stall us
                }
                conn.send(("#" + current.id + ":" + sender + ":" + System.nanoTime() + "\n").getBytes(StandardCharsets.US_ASCII));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitDelivered(Phase current, long target) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (current.delivered.sum() < target && System.nanoTime() < deadline) {
            Thread.sleep(Duration.ofNanos(20_000));
        }
    }

    /** What the readers fill in during one phase. */
    static final class Phase {
        final int id;
        final long[][] latencies;
        final int[] counts;
        final Semaphore[] windows;
        final LongAdder delivered = new LongAdder();
        final LongAccumulator last = new LongAccumulator(Math::max, Long.MIN_VALUE);

        Phase(int id, int clients, int total, int senders, int window) {
            this.id = id;
            this.latencies = new long[clients][total];
            this.counts = new int[clients];
            this.windows = new Semaphore[senders];
            for (int s = 0; s < senders; s++) {
                windows[s] = new Semaphore(window);
            }
        }
    }

    private long cpuTicks() {
        try {
            var fields = Files.readString(Path.of("/proc/" + pid + "/stat")).split("\\) ")[1].split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime + stime
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** The server's peak resident memory (VmHWM), in MB. */
    private String rss() {
        try {
            for (var line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return String.valueOf(Long.parseLong(line.replaceAll("\\D", "")) / 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Unknown.
        }
        return "?";
    }

    private static double millis(long[] sorted, int n, double quantile) {
        return n == 0 ? Double.NaN : sorted[Math.min(n - 1, (int) (n * quantile))] / 1e6;
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
