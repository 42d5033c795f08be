package gopl.reverb;

import gopl.common.GoDuration;
import gopl.common.InputBudget;
import gopl.common.TcpServer;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The book's reverb2 with exercises 8.4 and 8.8: each client on its own virtual thread
 * (TcpServer), each shout echoed on its own, so echoes overlap: a task on a timer while it waits,
 * a virtual thread while it writes ({@link Echoes}).
 */
public final class ReverbServer {
    private static final Logger log = LoggerFactory.getLogger(ReverbServer.class);

    private final Duration delay;
    private final Duration idle;
    private final Duration patience;
    private final Echoes.Shared echoing;
    private InputBudget input = InputBudget.ofHeap(); // shared by every client's input
    private volatile boolean stopping;

    /** @param idle disconnect a client that shouts nothing for this long; zero for never */
    public ReverbServer(Duration delay, Duration idle) {
        this(delay, idle, defaultMemory());
    }

    /** @param memory bytes that the pending echoes of all clients together may hold, at least {@link Echoes#BUDGET} */
    public ReverbServer(Duration delay, Duration idle, long memory) {
        this.delay = delay;
        this.idle = idle;
        var all = new Semaphore((int) Math.clamp(memory, Echoes.BUDGET, Integer.MAX_VALUE));
        this.echoing = new Echoes.Shared(timer(), delay, all, new LongAdder());
        // Echoes that take longer than this can only be stuck on a client that does not read them.
        this.patience = idle.isZero() ? null : idle.plus(delay.multipliedBy(3));
    }

    /**
     * The timer every echo waits on: one thread, which only hands each line due to a virtual
     * thread, and ends when idle, so a server that is not echoing has none.
     */
    private static ScheduledThreadPoolExecutor timer() {
        var timer = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().name("echo timer").daemon().factory());
        timer.setRemoveOnCancelPolicy(true); // a cancelled echo's lines are freed at once
        timer.setKeepAliveTime(1, TimeUnit.SECONDS);
        timer.allowCoreThreadTimeOut(true);
        return timer;
    }

    /** What all clients' input may hold together beyond their small read buffers ({@link InputBudget}). Before {@link #serve}. */
    public ReverbServer inputMemory(long bytes) {
        input = new InputBudget(bytes);
        return this;
    }

    /** What is left of the input budget: all of it once every client has gone. */
    long inputMemoryLeft() {
        return input.left();
    }

    /**
     * A third of the heap: what the pending echoes of all clients together may hold by default.
     * In bin/reverb's 112 MB heap that is 38 MB, room for three echoes sounding (1.1 KB each, as
     * charged) for each of the default 10,000 clients: a client's steady state when it shouts
     * once a delay. A quarter, 28.5 MB, had room for 26,000 of the benchmark's 30,000, so the
     * last shouts of a burst waited, and its session p99 was 3 to 6% above the uncapped server's.
     */
    public static long defaultMemory() {
        return Runtime.getRuntime().maxMemory() / 3;
    }

    /** Serves until the listener is closed. */
    public void serve(TcpServer listener) {
        log.info("reverb listening on {} (delay {}, idle {})", listener.address(), GoDuration.format(delay),
                idle.isZero() ? "never" : GoDuration.format(idle));
        listener.serve(this::handle);
    }

    /** Go's handleConn: echo each shout until the client is done, then close (TcpServer does). */
    void handle(Socket socket) throws IOException, InterruptedException {
        var client = new Client(socket, idle, input);
        log.info("{} connected", client);
        String outcome;
        try (var echoes = new Echoes(client, echoing)) {
            outcome = listen(client, echoes);
        } finally {
            client.releaseInput();
        } // any echo still running is cancelled here, and its thread has ended
        if (stopping) {
            outcome = "was cut off by the shutdown"; // the closed socket looked like a goodbye
        }
        log.info("{} {} after {} shout{}", client, outcome, client.shouts(), client.shouts() == 1 ? "" : "s");
    }

    /** Reads shouts, each echoed on its own thread, until the client is done; says how it ended. */
    private String listen(Client client, Echoes echoes) throws InterruptedException {
        try {
            for (byte[] shout; (shout = client.nextShout()) != null; ) {
                if (!echoes.start(shout, patience)) {
                    return "was not reading its echoes; disconnected";
                }
            }
            // Exercise 8.4: the client has closed its write half; close ours once every echo is out.
            return echoes.awaitAll(patience) ? "left" : "was not reading its echoes; disconnected";
        } catch (SocketTimeoutException e) {
            return "was idle for " + GoDuration.format(idle) + "; disconnected"; // exercise 8.8
        } catch (IOException e) {
            return "vanished (" + e.getMessage() + ")";
        }
    }

    /** Called as the server shuts down, before it closes every connection. */
    public void stopping() {
        stopping = true;
    }

    /** Echoes running now, on every connection: zero once all clients have gone. */
    public long echoesInFlight() {
        return echoing.inFlight().sum();
    }
}
