package gopl.clockwall;

import gopl.common.HostPort;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One clock server's column: connects, keeps the latest line it sent, and when the server is
 * unreachable or drops, shows {@link #DOWN} and retries with exponential backoff until it returns.
 * The book's clockwall has no such loop: a server that dies there ends the whole wall.
 */
final class ClockFeed {
    static final String DOWN = "down";
    private static final Duration FIRST_RETRY = Duration.ofMillis(100);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    // A clock speaks every second; three seconds of silence means it hangs, so we reconnect.
    private static final int SILENCE_TIMEOUT_MS = 3_000;
    private static final int MAX_CELL = 24;

    private final String name;
    private final HostPort server;
    private final Duration maxBackoff;
    private final Runnable onChange;
    private volatile String latest = DOWN;
    private final CountDownLatch firstAttempt = new CountDownLatch(1); // a line heard, or a failure

    ClockFeed(String name, HostPort server, Duration maxBackoff, Runnable onChange) {
        this.name = name;
        this.server = server;
        this.maxBackoff = maxBackoff;
        this.onChange = onChange;
    }

    String name() {
        return name;
    }

    /** What the column shows now: the server's last line, or {@link #DOWN}. */
    String cell() {
        return latest;
    }

    /** Waits up to {@code nanos} for the first connection to send a line or fail. */
    void awaitFirstAttempt(long nanos) throws InterruptedException {
        firstAttempt.await(nanos, TimeUnit.NANOSECONDS);
    }

    /** Runs until interrupted: connect, read lines, and on any failure wait and try again. */
    void run() {
        var backoff = FIRST_RETRY;
        while (!Thread.currentThread().isInterrupted()) {
            if (readUntilDropped()) {
                backoff = FIRST_RETRY; // it was up: retry quickly
            }
            show(DOWN);
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                return;
            }
            backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
        }
    }

    /** Reads lines while the connection lasts; returns whether any line arrived. */
    private boolean readUntilDropped() {
        boolean heard = false;
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress(server.host(), server.port()), (int) CONNECT_TIMEOUT.toMillis());
            socket.setSoTimeout(SILENCE_TIMEOUT_MS);
            var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null; ) {
                show(sanitize(line));
                heard = true;
            }
        } catch (IOException e) {
            // Refused, unreachable, timed out or reset: the column says down and we retry.
        }
        return heard;
    }

    private void show(String cell) {
        firstAttempt.countDown();
        if (!cell.equals(latest)) {
            latest = cell;
            onChange.run();
        }
    }

    /** One whitespace-free token of bounded length, whatever the server sent. */
    static String sanitize(String line) {
        var token = line.strip().replaceAll("[\\s\\p{Cntrl}]+", "_");
        if (token.isEmpty()) {
            return "?";
        }
        return token.length() > MAX_CELL ? token.substring(0, MAX_CELL) : token;
    }
}
