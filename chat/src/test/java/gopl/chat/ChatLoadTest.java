package gopl.chat;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Many clients, slow clients, loud clients: nobody harms anybody else. Bounded in count and time. */
class ChatLoadTest {
    private static final Pattern TALK = Pattern.compile("t(\\d): (\\d+) x+");

    @Test
    void aClientThatNeverReadsSlowsNobodyAndCostsBoundedMemory() throws Exception {
        int talkers = 3, lines = 4000, window = 200;
        var pad = "x".repeat(1000); // 12 MB in all: more than a stuck client's queue and socket buffers hold
        try (var server = ChatServerTest.start(new ChatServer.Settings(Duration.ofMinutes(1), 1024, 4096, 0))) {
            var peers = new ArrayList<Peer>();
            for (int t = 0; t < talkers; t++) {
                peers.add(Peer.named(server.port(), "t" + t));
            }
            try (var stuck = new Socket()) {
                stuck.setReceiveBufferSize(4096);
                stuck.connect(new InetSocketAddress("localhost", server.port()));
                stuck.getOutputStream().write("stuck\n".getBytes(UTF_8)); // and never reads a byte
                peers.forEach(peer -> peer.skipTo("stuck has arrived"));

                var received = new ArrayList<AtomicInteger>();
                try (var tasks = Executors.newVirtualThreadPerTaskExecutor()) {
                    var running = new ArrayList<Future<?>>();
                    for (int t = 0; t < talkers; t++) {
                        var peer = peers.get(t);
                        var echoes = new Semaphore(window); // at most `window` lines of ours not yet heard back
                        var count = new AtomicInteger();
                        received.add(count);
                        int me = t;
                        running.add(tasks.submit(() -> listen(peer, me, talkers * lines, echoes, count)));
                        running.add(tasks.submit(() -> talk(peer, lines, echoes, pad)));
                    }
                    for (var task : running) {
                        task.get(90, TimeUnit.SECONDS); // a talker that waited 20 s for a line has failed already
                    }
                }
                assertThat(received).allSatisfy(count -> assertThat(count.get()).isEqualTo(talkers * lines));

                // What the stuck client gets when it finally reads: what was queued, then a note of what it missed.
                var got = readUntilQuiet(stuck);
                assertThat(got.size()).isLessThan(talkers * lines / 2);
                assertThat(got.getLast()).matches("\\(you missed \\d+ messages: you were reading too slowly\\)");
            }
            peers.forEach(Peer::close);
        }
    }

    private static Void talk(Peer peer, int lines, Semaphore echoes, String pad) throws InterruptedException {
        for (int i = 0; i < lines; i++) {
            assertThat(echoes.tryAcquire(Peer.WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("echo heard in time").isTrue();
            peer.say(i + " " + pad);
        }
        return null;
    }

    /** One talker's ears: every line from every talker, each talker's in the order sent. */
    private static Void listen(Peer peer, int me, int expected, Semaphore echoes, AtomicInteger count) {
        var next = new int[3];
        while (count.get() < expected) {
            var matcher = TALK.matcher(peer.next());
            if (matcher.matches()) {
                int from = Integer.parseInt(matcher.group(1));
                assertThat(Integer.parseInt(matcher.group(2))).isEqualTo(next[from]++);
                count.incrementAndGet();
                if (from == me) {
                    echoes.release();
                }
            }
        }
        return null;
    }

    private static List<String> readUntilQuiet(Socket socket) throws IOException {
        socket.setSoTimeout(2000);
        var lines = new ArrayList<String>();
        var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), UTF_8));
        try {
            for (String line; (line = in.readLine()) != null; ) {
                lines.add(line);
            }
        } catch (SocketTimeoutException quiet) {
            // Everything queued has come.
        }
        return lines;
    }

    @Test
    void aThousandClientsAllReceiveABroadcast() throws Exception {
        int clients = 1000;
        // Room for every arrival announcement, so that the test is about fan-out, not dropping.
        try (var server = ChatServerTest.start(new ChatServer.Settings(Duration.ofMinutes(1), 2048, 4096, 0))) {
            var sockets = new ConcurrentLinkedQueue<Socket>();
            var ready = new CountDownLatch(clients);
            var heard = new CountDownLatch(clients);
            for (int i = 0; i < clients; i++) {
                var name = "c" + i;
                Thread.ofVirtual().start(() -> join(server.port(), name, sockets, ready, heard));
            }
            try {
                assertThat(ready.await(60, TimeUnit.SECONDS)).as("all joined").isTrue();
                try (var host = Peer.named(server.port(), "host")) {
                    host.say("hello, everyone");
                    assertThat(heard.await(60, TimeUnit.SECONDS)).as("all heard").isTrue();
                    host.say("/who");
                    assertThat(host.skipTo(line -> line.contains(" here: "))).startsWith((clients + 1) + " here: ");
                }
            } finally {
                sockets.forEach(ChatLoadTest::closeQuietly);
            }
        }
    }

    private static void join(int port, String name, ConcurrentLinkedQueue<Socket> sockets, CountDownLatch ready, CountDownLatch heard) {
        try {
            var socket = new Socket("localhost", port);
            sockets.add(socket);
            socket.setSoTimeout(90_000);
            var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), UTF_8));
            in.readLine(); // Welcome! What is your name?
            socket.getOutputStream().write((name + "\n").getBytes(UTF_8));
            if (!in.readLine().startsWith("You are " + name + ".")) {
                return;
            }
            ready.countDown();
            for (String line; (line = in.readLine()) != null; ) {
                if (line.equals("host: hello, everyone")) {
                    heard.countDown();
                    return;
                }
            }
        } catch (IOException e) {
            // Counted as not heard: the latch tells.
        }
    }

    @Test
    void aFloodingClientIsReadMoreSlowlyButLosesNothing() {
        try (var server = ChatServerTest.start(new ChatServer.Settings(Duration.ofMinutes(1), 256, 4096, 20))) {
            try (var alice = Peer.named(server.port(), "alice"); var bob = Peer.named(server.port(), "bob")) {
                alice.skipTo("bob has arrived");
                var flood = new StringBuilder();
                for (int i = 0; i < 60; i++) {
                    flood.append("line ").append(i).append('\n');
                }
                long start = System.nanoTime();
                alice.send(flood.toString().getBytes(UTF_8));
                for (int i = 0; i < 60; i++) {
                    bob.expect("alice: line " + i);
                }
                // 20 lines at once, then 20 a second: the other 40 take at least 2 s. (A lower bound,
                // which a slow machine cannot break.)
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(1500));
            }
        }
    }

    @Test
    void aClientThatFloodsWithoutABreakIsCutOff() {
        var settings = new ChatServer.Settings(Duration.ofMinutes(1), 256, 4096, 20, Duration.ofSeconds(1));
        try (var server = ChatServerTest.start(settings)) {
            try (var alice = Peer.named(server.port(), "alice"); var mallory = Peer.named(server.port(), "mallory")) {
                alice.skipTo("mallory has arrived");
                var flood = new StringBuilder();
                for (int i = 0; i < 1000; i++) {
                    flood.append("spam ").append(i).append('\n');
                }
                mallory.send(flood.toString().getBytes(UTF_8));
                mallory.skipTo("Disconnected: more than 20 lines a second for 1s.");
                mallory.expect(Peer.EOF);
                int heard = 0;
                for (String line; !(line = alice.next()).equals("mallory has left (flooding)"); ) {
                    assertThat(line).startsWith("mallory: spam ");
                    heard++;
                }
                assertThat(heard).isBetween(20, 200); // the burst, then about a second's worth, not 1,000
            }
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closed already.
        }
    }
}
