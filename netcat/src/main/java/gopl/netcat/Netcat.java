package gopl.netcat;

import static java.util.concurrent.TimeUnit.NANOSECONDS;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
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

    // Big enough for bulk copies (and any datagram), and a read returns whatever has arrived, so
    // interactive bytes are never held back waiting for a full buffer.
    private static final int BUFFER_SIZE = 64 * 1024;

    /**
     * How a session ends besides the peer closing.
     *
     * @param idle end after this long without traffic either way; null for never ({@code -w})
     * @param quitAfterInput end this long after stdin ends; null to wait for the peer ({@code -q})
     * @param interactive stdin is a terminal: when the peer closes there is nothing left to send
     * @param listening a listener's session, which ends when the client closes unless stdin has
     *     more waiting to be sent (an upload): as {@code nc -l} does, so {@code tail -f log | netcat -lk}
     *     moves on to the next client
     */
    record Options(Duration idle, Duration quitAfterInput, boolean interactive, boolean listening) {}

    /** How often a listener whose client has closed looks again whether stdin still has bytes to send. */
    private static final long RECHECK_NANOS = 50_000_000;

    /**
     * Stdin as a channel to read, and as a stream to ask how much is ready to read without
     * waiting ({@code available}, which channels lack); both over the same file descriptor.
     */
    record Input(ReadableByteChannel channel, InputStream stream) {}

    private final Link link;
    private final String peer;
    private final Input in;
    private final WritableByteChannel out;
    private final Options options;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private volatile long lastActivity = System.nanoTime();
    /** The sender is blocked reading stdin (for a listener whose client has gone). */
    private volatile boolean awaitingInput;
    /** Chunks sent so far; with {@link #awaitingInput}, tells a read that has just returned from a quiet stdin. */
    private volatile long chunksSent;
    private long quietSince = -1;

    Netcat(Link link, String peer, Input in, WritableByteChannel out, Options options) {
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
            var event = next(quitAt, peerClosed && options.listening());
            // instanceof, not a pattern switch: its bootstrap spins a class on every run (a few ms).
            if (event instanceof InputEnded) {
                inputEnded = true;
                quitAt = options.quitAfterInput() == null ? 0 : deadline(options.quitAfterInput());
            } else if (event instanceof PeerClosed) {
                peerClosed = true;
            } else if (event != null) { // null: time to look at stdin again
                return event;
            }
            if (peerClosed && (inputEnded || options.interactive() || options.listening() && nothingToSend())) {
                return new PeerClosed();
            }
        }
    }

    /**
     * The next event, or the one a timer stands for when it runs out first ({@code quitAt} 0: no
     * -q timer yet); with {@code recheck}, null once {@link #RECHECK_NANOS} has passed without one.
     */
    private Event next(long quitAt, boolean recheck) throws InterruptedException {
        while (true) {
            long wait = recheck ? RECHECK_NANOS : Long.MAX_VALUE;
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
            if (recheck) {
                return null;
            }
        }
    }

    /**
     * Stdin is an open but quiet pipe, not a file still being uploaded: the sender waits in a read
     * and nothing is ready, seen twice a recheck apart with no chunk sent between, so that a read
     * which has just returned a chunk is not mistaken for one still waiting.
     */
    private boolean nothingToSend() {
        boolean quiet;
        try {
            quiet = awaitingInput && in.stream().available() == 0;
        } catch (IOException e) {
            quiet = true;
        }
        if (!quiet) {
            quietSince = -1;
            return false;
        }
        if (quietSince != chunksSent) {
            quietSince = chunksSent;
            return false;
        }
        return true;
    }

    /** Stdin to the peer; at the end only our write half closes (Go's CloseWrite). */
    private void send() {
        var buffer = ByteBuffer.allocateDirect(Math.min(BUFFER_SIZE, link.chunkSize()));
        while (true) {
            int n;
            try {
                awaitingInput = true;
                n = in.channel().read(buffer.clear());
                awaitingInput = false;
            } catch (IOException e) {
                events.add(new Failed("stdin: " + Report.describe(e)));
                return;
            }
            try {
                if (n < 0) {
                    link.shutdownOutput();
                    events.add(new InputEnded());
                    return;
                }
                link.write(buffer.flip());
                chunksSent++; // only this thread writes it
                lastActivity = System.nanoTime();
            } catch (IOException e) {
                // The peer stopped reading and closed: whether it ended cleanly (EOF) or not
                // (reset) is for the receiving side to find out.
                events.add(new InputEnded());
                return;
            }
        }
    }

    /** The peer to stdout, each chunk written the moment it arrives. */
    private void receive() {
        var buffer = ByteBuffer.allocateDirect(BUFFER_SIZE);
        try {
            for (int n; (n = link.read(buffer.clear())) >= 0; ) {
                lastActivity = System.nanoTime();
                try {
                    for (buffer.flip(); buffer.hasRemaining(); ) {
                        out.write(buffer);
                    }
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
