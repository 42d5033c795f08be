package gopl.chat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * One client's output, the book's {@code clientWriter}: lines wait in a bounded list for a writer
 * thread, so whoever sends to a client never waits for it, and a client too slow to take them
 * loses its own lines, no one else's.
 *
 * <p>The list is made when a line comes and handed whole to the writer, so a client with nothing
 * on its way holds no array: a queue of {@code --buffer} slots for each of 10,000 clients, idle
 * most of the time, was 10 MB. The writer starts with the first line and waits, parked, until the
 * last: a thread started for each burst and ended when idle was measured too, and cost more than
 * it saved, since at 10,000 clients its garbage (a thread per burst, a timer per idle wait)
 * outlived the young generation.
 */
final class Outbox {
    private static final ThreadFactory WRITERS = Thread.ofVirtual().name("writer").factory();

    private final OutputStream out;
    private final int capacity;
    private final Runnable onFailure;

    // Guarded by this.
    private List<byte[]> waiting; // lines for the writer to take; null when none
    private Thread writer; // null when none runs
    private boolean ended; // the last line is queued, or the connection failed: nothing more is taken
    private long missed; // lines dropped since the writer last said so
    private long dropped; // lines dropped in all, for the log

    /**
     * @param capacity lines that may wait; more are dropped
     * @param onFailure what to do when a write fails: the client is gone
     */
    Outbox(OutputStream out, int capacity, Runnable onFailure) {
        this.out = out;
        this.capacity = capacity;
        this.onFailure = onFailure;
    }

    /** Queues a line without waiting; when {@code capacity} lines are waiting it is dropped and counted. */
    synchronized boolean send(byte[] line) {
        if (ended) {
            return false;
        }
        if (waiting != null && waiting.size() >= capacity) {
            missed++;
            dropped++;
            return false;
        }
        if (waiting == null) {
            waiting = new ArrayList<>(4);
            notifyAll(); // the writer
        }
        waiting.add(line);
        if (writer == null) {
            writer = WRITERS.newThread(this::write);
            writer.start();
        }
        return true;
    }

    /** Queues a last line (none if null); nothing is sent after it. */
    synchronized void sendLast(byte[] line) {
        if (line != null) {
            send(line);
        }
        ended = true;
        notifyAll();
    }

    /** Lines lost because the client read too slowly. */
    synchronized long dropped() {
        return dropped;
    }

    /**
     * Waits for the last line ({@link #sendLast}) and lets the writer flush what is queued, for
     * at most {@code grace}; a client that is not reading is cut off then (interrupting a virtual
     * thread in a socket write closes the socket).
     */
    void finish(Duration grace) throws InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        Thread stuck;
        synchronized (this) {
            for (long left; !(ended && writer == null) && (left = deadline - System.nanoTime()) > 0; ) {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            ended = true;
            stuck = writer;
        }
        if (stuck != null) {
            stuck.interrupt();
        }
    }

    /** Waits until no writer is running or the deadline ({@link System#nanoTime()}) has passed. */
    synchronized void awaitWriter(long deadline) throws InterruptedException {
        for (long left; writer != null && (left = deadline - System.nanoTime()) > 0; ) {
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** The writer: everything waiting in one write (one system call, not one per line), until the last line. */
    private void write() {
        try {
            for (List<byte[]> batch; (batch = take()) != null; ) {
                out.write(join(batch));
            }
        } catch (IOException e) {
            synchronized (this) {
                ended = true;
                stop();
            }
            onFailure.run();
        } catch (InterruptedException e) {
            synchronized (this) {
                stop();
            }
        }
    }

    /** Takes what is waiting, and a note of what was lost; null, and the writer stops, after the last line. */
    private synchronized List<byte[]> take() throws InterruptedException {
        while (waiting == null) {
            if (ended) {
                stop();
                return null;
            }
            wait();
        }
        var batch = waiting;
        waiting = null;
        if (missed > 0) {
            batch.add(("(you missed " + missed + " messages: you were reading too slowly)\n").getBytes(StandardCharsets.UTF_8));
            missed = 0;
        }
        return batch;
    }

    private void stop() {
        writer = null;
        waiting = null;
        notifyAll(); // finish, awaitWriter
    }

    private static byte[] join(List<byte[]> lines) {
        if (lines.size() == 1) {
            return lines.getFirst();
        }
        int length = 0;
        for (var line : lines) {
            length += line.length;
        }
        var joined = new byte[length];
        int at = 0;
        for (var line : lines) {
            System.arraycopy(line, 0, joined, at, line.length);
            at += line.length;
        }
        return joined;
    }
}
