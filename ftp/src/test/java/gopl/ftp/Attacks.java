package gopl.ftp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The attacks of issue 13 on an FTP server at a loopback port, written once for the in-process
 * tests ({@code *Test}) and for the real jar ({@link FtpSecurityIT}). Each one reports what it saw;
 * the tests say what is acceptable. Attack threads are platform threads, so that a server frozen
 * by CPU-bound virtual threads in the same JVM cannot freeze the attacker too.
 */
final class Attacks {
    /** The file the glob bomb is matched against: 40 a's. */
    static final String BOMBED_NAME = "a".repeat(40);
    /** The issue's attack: 40 stars and a {@code #}, exponential for a backtracking matcher on 40 a's. */
    static final String GLOB_BOMB = "STAT " + "*".repeat(40) + "#";

    private Attacks() {}

    /** Anonymous sessions that each send one command over and over, as fast as replies come, until closed. */
    static final class Flood implements AutoCloseable {
        private final List<Thread> threads = new ArrayList<>();
        private final List<Socket> sockets = Collections.synchronizedList(new ArrayList<>());
        private final AtomicLong replies = new AtomicLong();
        private volatile boolean stopped;

        /** Starts the sessions and returns once each has logged in and sent its command (or failed to). */
        Flood(int port, int sessions, String command) throws InterruptedException {
            var sent = new CountDownLatch(sessions);
            for (int i = 0; i < sessions; i++) {
                threads.add(Thread.ofPlatform().daemon().name("flood-" + i).start(() -> run(port, command, sent)));
            }
            sent.await(30, TimeUnit.SECONDS);
        }

        private void run(int port, String command, CountDownLatch sent) {
            var line = (command + "\r\n").getBytes(StandardCharsets.UTF_8);
            boolean counted = false;
            try (var control = RawControl.anonymous(port)) {
                sockets.add(control.socket);
                control.write(line);
                sent.countDown();
                counted = true;
                while (!stopped && control.reply() != null) {
                    replies.incrementAndGet();
                    control.write(line);
                }
            } catch (IOException e) {
                // closed by close(), or by the server
            } finally {
                if (!counted) {
                    sent.countDown();
                }
            }
        }

        /** Replies the server gave so far, all sessions together. */
        long replies() {
            return replies.get();
        }

        @Override
        public void close() throws InterruptedException {
            stopped = true;
            synchronized (sockets) {
                for (var socket : sockets) {
                    try {
                        socket.close();
                    } catch (IOException ignored) {
                        // already closed
                    }
                }
            }
            for (var thread : threads) {
                thread.join(Duration.ofSeconds(10));
            }
        }
    }

    /** What a normal client's visit got: the listing and the file. */
    record Visit(String listing, byte[] file) {}

    /** A normal client: logs in anonymously, lists the root and downloads {@code file}, each read waiting at most {@code timeout}. */
    static Visit visit(int port, String file, Duration timeout) throws IOException {
        try (var control = RawControl.open(port, null, timeout)) {
            control.expect("USER anonymous", 331);
            control.expect("PASS guest@", 230);
            control.expect("TYPE I", 200);
            var listing = transfer(control, "LIST");
            return new Visit(new String(listing, StandardCharsets.UTF_8), transfer(control, "RETR " + file));
        }
    }

    /** PASV, then {@code command}; returns what came over the data connection, after its 226. */
    static byte[] transfer(RawControl control, String command) throws IOException {
        try (var data = control.pasv()) {
            control.write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
            var opening = control.reply();
            if (opening == null || !opening.startsWith("150")) {
                throw new IOException(command + ": " + opening);
            }
            var bytes = data.getInputStream().readAllBytes();
            var done = control.reply();
            if (done == null || !done.startsWith("226")) {
                throw new IOException(command + ": " + done);
            }
            return bytes;
        }
    }

    /** Opens {@code count} control connections from {@code from}; the caller closes them. A refused one's greeting is its 421. */
    static List<RawControl> connect(int port, InetAddress from, int count) throws IOException {
        var connections = new ArrayList<RawControl>();
        for (int i = 0; i < count; i++) {
            connections.add(RawControl.open(port, from, Duration.ofSeconds(20)));
        }
        return connections;
    }

    /** Without logging in, sends NOOP every {@code every}, until the server hangs up or {@code max} went; returns the replies. */
    static List<String> noopWithoutLogin(int port, Duration every, int max) throws IOException, InterruptedException {
        var replies = new ArrayList<String>();
        try (var control = RawControl.open(port)) {
            for (int i = 0; i < max; i++) {
                String reply;
                try {
                    reply = control.send("NOOP");
                } catch (IOException reset) {
                    reply = null;
                }
                replies.add(reply);
                if (reply == null || !reply.startsWith("200")) {
                    break;
                }
                Thread.sleep(every); // the attacker's pace, not a wait for the server
            }
        }
        return replies;
    }

    /**
     * Sends a command line one byte every {@code every} and never ends it; returns the bytes sent
     * before the server hung up (with a 421), or {@code max} if it never did.
     */
    static int drip(int port, boolean login, Duration every, int max) throws IOException, InterruptedException {
        try (var control = login ? RawControl.anonymous(port) : RawControl.open(port)) {
            var sent = new AtomicInteger();
            var hungUpAt = new AtomicInteger(-1);
            var listener = Thread.ofPlatform().daemon().start(() -> {
                try {
                    var reply = control.reply(); // nothing comes until the server gives up on the line
                    hungUpAt.set(reply == null || reply.startsWith("421") ? sent.get() : -2);
                } catch (IOException e) {
                    hungUpAt.set(sent.get());
                }
            });
            for (int i = 0; i < max && hungUpAt.get() == -1; i++) {
                try {
                    control.write(new byte[] {'x'});
                } catch (IOException closed) {
                    break;
                }
                sent.incrementAndGet();
                Thread.sleep(every); // the attacker's pace
            }
            control.close();
            listener.join(Duration.ofSeconds(10));
            return hungUpAt.get() >= 0 ? hungUpAt.get() : max;
        }
    }

    /** From {@code connections} connections at once, each sends one wrong password for {@code user}; returns the replies. */
    static List<String> guessPasswords(int port, String user, int connections) throws InterruptedException {
        var replies = Collections.synchronizedList(new ArrayList<String>());
        var threads = new ArrayList<Thread>();
        var go = new CountDownLatch(1);
        for (int i = 0; i < connections; i++) {
            var guess = "guess-" + i;
            threads.add(Thread.ofPlatform().daemon().start(() -> {
                try (var control = RawControl.open(port)) {
                    control.expect("USER " + user, 331);
                    go.await();
                    replies.add(control.send("PASS " + guess));
                } catch (IOException | InterruptedException e) {
                    replies.add(e.toString());
                }
            }));
        }
        go.countDown();
        for (var thread : threads) {
            thread.join(Duration.ofMinutes(2));
        }
        return replies;
    }

    /** Whether something still listens at {@code address}, polled until it does not or {@code max} passed. */
    static boolean stopsListeningWithin(InetSocketAddress address, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            try (var probe = new Socket()) {
                probe.connect(address, 300);
            } catch (ConnectException refused) {
                return true;
            } catch (SocketTimeoutException full) {
                // its accept queue is full of our probes: still listening
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Thread.sleep(100); // a bounded poll of the condition
        }
        return false;
    }

    /** Retrieves {@code name} up to {@code tries} times on one session, stopping at the first content other than {@code expected}. */
    static String retrieveRepeatedly(RawControl control, String name, String expected, int tries) throws IOException {
        for (int i = 0; i < tries; i++) {
            try (var data = control.pasv()) {
                control.write(("RETR " + name + "\r\n").getBytes(StandardCharsets.UTF_8));
                var opening = control.reply();
                if (!opening.startsWith("150")) {
                    continue; // a link or nothing there at this instant: 550
                }
                var content = new String(data.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                control.reply();
                if (!content.equals(expected)) {
                    return content;
                }
            }
        }
        return expected;
    }

    /** Sends {@code command} {@code tries} times on one session; with an {@code upload}, over a passive data connection. */
    static void repeat(RawControl control, String command, int tries, byte[] upload) throws IOException {
        repeatUntil(control, command, tries, upload, () -> false);
    }

    /**
     * {@link #repeat}, stopping early once {@code done} holds (the attack got through); returns
     * whether it did. {@code command} may be several lines, each answered before the next is sent.
     */
    static boolean repeatUntil(RawControl control, String commands, int tries, byte[] upload, Check done) throws IOException {
        var lines = commands.split("\r\n");
        var command = lines[lines.length - 1];
        for (int i = 0; i < tries; i++) {
            for (int j = 0; j < lines.length - 1; j++) {
                control.send(lines[j]);
            }
            if (upload == null) {
                control.send(command);
            } else {
                try (var data = control.pasv()) {
                    control.write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
                    if (control.reply().startsWith("150")) {
                        data.getOutputStream().write(upload);
                        data.close();
                        control.reply();
                    }
                }
            }
            if (done.holds()) {
                return true;
            }
        }
        return false;
    }

    /** A condition that may need to look at files. */
    @FunctionalInterface
    interface Check {
        boolean holds() throws IOException;
    }

    /** What a listing command shows, raw: the data connection's bytes for LIST, NLST and MLSD, the reply for STAT and MLST. */
    static byte[] listing(RawControl control, String command) throws IOException {
        if (command.startsWith("STAT") || command.startsWith("MLST ")) {
            return control.send(command).getBytes(StandardCharsets.UTF_8);
        }
        return transfer(control, command);
    }
}
