package gopl.netcat;

import static java.util.concurrent.TimeUnit.NANOSECONDS;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * One connection's copying, gopl's netcat3: stdin goes to the peer and the peer to stdout at the
 * same time, each on its own thread. Both report to one queue of events, which {@link #run()}
 * reads where Go's main waits on its {@code done} channel; the timers ({@code -w}, {@code -q}) are
 * the main thread's too, so they work the same over TCP, TLS, Unix sockets and UDP.
 */
final class Netcat {
    /** What the two copying threads tell the main thread. */
    sealed interface Event {}

    /** Stdin ended (or the peer stopped taking it): our write half is closed. */
    record InputEnded() implements Event {}

    /** The peer closed its write half: everything it sent is on stdout. */
    record PeerClosed() implements Event {}

    /** Nothing went either way for the {@code -w} timeout. */
    record Idle() implements Event {}

    /** {@code -q}: the time allowed after stdin ended is up. */
    record QuitAfterInput() implements Event {}

    /** Stdout went away ({@code netcat ... | head -1}): nobody wants the rest. */
    record OutputClosed() implements Event {}

    /** The connection or stdin failed; the message says which and why. */
    record Failed(String message) implements Event {}

    // Big enough for bulk copies, and a read returns whatever has arrived, so interactive bytes
    // are never held back waiting for a full buffer.
    private static final int BUFFER_SIZE = 64 * 1024;

    /**
     * How a session ends besides the peer closing.
     *
     * @param idle end after this long without traffic either way; null for never ({@code -w})
     * @param quitAfterInput end this long after stdin ends; null to wait for the peer ({@code -q})
     * @param interactive stdin is a terminal: when the peer closes there is nothing left to send
     */
    record Options(Duration idle, Duration quitAfterInput, boolean interactive) {}

    private final Link link;
    private final String peer;
    private final InputStream in;
    private final OutputStream out;
    private final Options options;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private volatile long lastActivity = System.nanoTime();

    Netcat(Link link, String peer, InputStream in, OutputStream out, Options options) {
        this.link = link;
        this.peer = peer;
        this.in = in;
        this.out = out;
        this.options = options;
    }

    /**
     * Copies both ways until the session ends, and says why it ended. When the peer closes
     * first, the rest of stdin is still sent (a file being uploaded is not cut short), unless
     * stdin is a terminal. The caller closes the link, which stops whichever copy is still going.
     */
    Event run() throws InterruptedException {
        // Two long-lived copy loops, not thousands of connections: platform threads read and
        // write straight through, without a virtual thread's park and poller wake-up per chunk,
        // which moves a bulk copy 30 to 40% faster (bench/run.sh). Daemons, like Go's goroutines,
        // so a send blocked on stdin does not keep netcat alive after the peer has closed.
        var sender = Thread.ofPlatform().daemon().name("netcat-send").start(this::send);
        Thread.ofPlatform().daemon().name("netcat-receive").start(this::receive);
        try {
            return await();
        } finally {
            sender.interrupt(); // with -k, stdin is shared: the next session reads it
        }
    }

    private Event await() throws InterruptedException {
        boolean inputEnded = false;
        boolean peerClosed = false;
        long quitAt = 0;
        while (true) {
            var event = next(quitAt);
            switch (event) {
                case InputEnded _ -> {
                    inputEnded = true;
                    quitAt = options.quitAfterInput() == null ? 0 : deadline(options.quitAfterInput());
                }
                case PeerClosed _ -> peerClosed = true;
                default -> {
                    return event;
                }
            }
            if (peerClosed && (inputEnded || options.interactive())) {
                return new PeerClosed();
            }
        }
    }

    /** The next event, or the one a timer stands for when it runs out first ({@code quitAt} 0: no -q timer yet). */
    private Event next(long quitAt) throws InterruptedException {
        while (true) {
            long wait = Long.MAX_VALUE;
            if (options.idle() != null) {
                wait = idleLeft();
            }
            if (quitAt != 0) {
                wait = Math.min(wait, quitAt - System.nanoTime());
            }
            if (wait == Long.MAX_VALUE) {
                return events.take();
            }
            var event = events.poll(Math.max(wait, 0), NANOSECONDS);
            if (event != null) {
                return event;
            }
            if (quitAt != 0 && System.nanoTime() - quitAt >= 0) {
                return new QuitAfterInput();
            }
            if (options.idle() != null && idleLeft() <= 0) {
                return new Idle();
            }
        }
    }

    /** Stdin to the peer; at the end only our write half closes (Go's CloseWrite). */
    private void send() {
        var buffer = new byte[BUFFER_SIZE];
        int chunk = Math.min(buffer.length, link.chunkSize());
        while (true) {
            int n;
            try {
                n = in.read(buffer, 0, chunk);
            } catch (IOException e) {
                events.add(new Failed("stdin: " + e.getMessage()));
                return;
            }
            try {
                if (n < 0) {
                    link.shutdownOutput();
                    events.add(new InputEnded());
                    return;
                }
                link.write(buffer, 0, n);
                lastActivity = System.nanoTime();
            } catch (IOException e) {
                // The peer stopped reading and closed: whether it ended cleanly (EOF) or not
                // (reset) is for the receiving side to find out.
                events.add(new InputEnded());
                return;
            }
        }
    }

    /** The peer to stdout, each chunk flushed the moment it arrives. */
    private void receive() {
        var buffer = new byte[BUFFER_SIZE];
        try {
            for (int n; (n = link.read(buffer)) >= 0; ) {
                lastActivity = System.nanoTime();
                try {
                    out.write(buffer, 0, n);
                    out.flush();
                } catch (IOException e) {
                    events.add(new OutputClosed());
                    return;
                }
            }
            events.add(new PeerClosed());
        } catch (IOException e) {
            events.add(new Failed(peer + ": " + Report.describe(e)));
        }
    }

    /** How long until the session has been idle for {@code -w}. */
    private long idleLeft() {
        return options.idle().toNanos() - (System.nanoTime() - lastActivity);
    }

    private static long deadline(Duration after) {
        long at = System.nanoTime() + after.toNanos();
        return at == 0 ? 1 : at;
    }
}
