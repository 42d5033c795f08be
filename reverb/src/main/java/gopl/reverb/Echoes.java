package gopl.reverb;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.NANOSECONDS;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.LongAdder;

/**
 * The echoes still sounding for one client: what Go's reverb counts with a {@code sync.WaitGroup}.
 * {@link #start} is {@code wg.Add(1); go echo(...)}, and {@link #awaitAll} is {@code wg.Wait()}.
 * Unlike a WaitGroup, {@link #close()} can also cancel them, when the client goes idle or away.
 *
 * <p>An echo waiting for its next line is a task on the server's timer, as with Go's
 * {@code time.AfterFunc}, not a thread asleep: it holds its lines and about a hundred bytes,
 * where a parked virtual thread holds its stack, a few KB. Each line is written on a virtual
 * thread of its own, since a client that does not read can block the write.
 *
 * <p>A semaphore caps what one client may have in flight (Go's counting-semaphore channel), so
 * that a client pouring in shouts is slowed down instead of filling the server; a second one,
 * shared by every client, caps what they hold together. An echo is charged for the bytes it
 * really holds until it is out (its three lines), plus a rough cost for itself.
 */
final class Echoes implements AutoCloseable {
    /** Bytes of echo lines (plus a rough cost for each echo) that one client may have pending at once. */
    static final int BUDGET = 1 << 20;
    private static final int ECHO_COST = 1024;
    /** The most an echo holds per byte shouted: the byte, and up to 3 in each case. */
    static final int MOST_PER_BYTE = 7;
    private static final ThreadFactory WRITERS = Thread.ofVirtual().name("echo").factory();

    /** What every client's echoes share: the timer, the delay, the memory of all echoes, a count of them. */
    record Shared(ScheduledExecutorService timer, Duration delay, Semaphore memory, LongAdder inFlight) {}

    /** One shout's echo: its lines, each said after the delay. Its fields are guarded by the Echoes. */
    private static final class Echo {
        final List<byte[]> lines;
        final int cost;
        int said;
        Future<?> turn; // while waiting for the next line's turn
        Thread writer; // while saying a line

        Echo(List<byte[]> lines, int cost) {
            this.lines = lines;
            this.cost = cost;
        }
    }

    private final Client client;
    private final Shared shared;
    private final Semaphore budget = new Semaphore(BUDGET);
    private final Set<Echo> sounding = new HashSet<>(); // guarded by this
    private boolean closed; // guarded by this

    Echoes(Client client, Shared shared) {
        this.client = client;
        this.shared = shared;
    }

    /**
     * {@code go echo(...)} with {@code wg.Add(1)}: echoes a shout, first waiting while the client,
     * or all clients, have too much in flight. Room for the most the echo can hold is taken before
     * its lines are made, and what they do not need is given back, so that the budgets hold for
     * the echo being made too.
     *
     * @param patience how long to wait for earlier echoes to make room; null for ever
     * @return false if no room was made in time: the client is not reading its echoes
     */
    boolean start(byte[] shout, Duration patience) throws InterruptedException {
        int reserved = cost(MOST_PER_BYTE * (long) shout.length);
        long deadline = patience == null ? 0 : System.nanoTime() + patience.toNanos();
        if (!acquire(budget, reserved, deadline)) {
            return false;
        }
        if (!acquire(shared.memory(), reserved, deadline)) {
            budget.release(reserved);
            return false;
        }
        var lines = lines(shout);
        var echo = new Echo(lines, cost(lines.stream().mapToLong(line -> line.length).sum()));
        release(reserved - echo.cost);
        synchronized (this) {
            sounding.add(echo);
            shared.inFlight().increment();
            waitForTurn(echo);
        }
        return true;
    }

    /**
     * The echo's lines: the shout in upper case, as it was, in lower case. Each byte of the shout
     * is at most 3 in each case ({@link #MOST_PER_BYTE}): an invalid byte decodes to U+FFFD, 3
     * bytes in UTF-8, and no character's case mapping takes more than 3 bytes per byte of it.
     */
    static List<byte[]> lines(byte[] shout) {
        var text = new String(shout, UTF_8);
        return List.of(text.toUpperCase(Locale.ROOT).getBytes(UTF_8), shout, text.toLowerCase(Locale.ROOT).getBytes(UTF_8));
    }

    private synchronized void waitForTurn(Echo echo) {
        echo.turn = shared.timer().schedule(() -> turn(echo), shared.delay().toNanos(), NANOSECONDS);
    }

    /** On the timer thread: the echo's next line is due; a virtual thread says it. */
    private synchronized void turn(Echo echo) {
        if (sounding.contains(echo)) {
            echo.turn = null;
            echo.writer = WRITERS.newThread(() -> say(echo));
            echo.writer.start();
        }
    }

    /** Says the echo's next line, then waits for the turn of the one after, if any. */
    private void say(Echo echo) {
        try {
            client.say(echo.lines.get(echo.said));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // cancelled: close() ends the echo
            return;
        } catch (IOException e) {
            // The client vanished mid-echo. Hang up, so that the reading side stops too rather
            // than echo what the client sent before it went.
            client.hangUp();
            end(echo);
            return;
        }
        synchronized (this) {
            echo.writer = null;
            if (++echo.said == echo.lines.size() || closed) {
                end(echo);
            } else {
                waitForTurn(echo);
            }
        }
    }

    /** Forgets the echo and gives back what it held, once. */
    private synchronized void end(Echo echo) {
        if (sounding.remove(echo)) {
            release(echo.cost);
            shared.inFlight().decrement();
            notifyAll(); // awaitAll
        }
    }

    private static int cost(long held) {
        return (int) Math.min(BUDGET, held + ECHO_COST);
    }

    private void release(int permits) {
        shared.memory().release(permits);
        budget.release(permits);
    }

    /** Takes {@code cost} permits, waiting until the deadline ({@link System#nanoTime()}; 0: for ever). */
    private static boolean acquire(Semaphore semaphore, int cost, long deadline) throws InterruptedException {
        if (deadline == 0) {
            semaphore.acquire(cost);
            return true;
        }
        return semaphore.tryAcquire(cost, deadline - System.nanoTime(), NANOSECONDS);
    }

    /**
     * {@code wg.Wait()}: waits for the echoes sounding to finish.
     *
     * @param patience how long they may take; null for ever
     * @return false if some were still sounding when patience ran out
     */
    synchronized boolean awaitAll(Duration patience) throws InterruptedException {
        long deadline = patience == null ? 0 : System.nanoTime() + patience.toNanos();
        while (!sounding.isEmpty()) {
            if (patience == null) {
                wait();
                continue;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** Cancels the echoes still sounding and waits until the lines being written are done with. */
    @Override
    public void close() {
        var writers = new ArrayList<Thread>();
        synchronized (this) {
            closed = true;
            for (var echo : List.copyOf(sounding)) {
                if (echo.turn != null) {
                    echo.turn.cancel(false);
                }
                if (echo.writer != null) {
                    writers.add(echo.writer);
                }
                end(echo);
            }
        }
        writers.forEach(Thread::interrupt);
        boolean interrupted = false;
        for (var writer : writers) {
            while (writer.isAlive()) {
                try {
                    writer.join();
                } catch (InterruptedException e) {
                    interrupted = true; // finish waiting: no echo thread may outlive its connection
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
