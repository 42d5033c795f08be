package gopl.common;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (SIGINT) and SIGTERM for a tool that stops gracefully: the signal cancels the work, and
 * the JVM waits (at most {@link #GRACE}) until the tool has printed what it has, then exits with
 * the status a shell expects, 130 for SIGINT ({@link Cli#INTERRUPTED}) and 143 for SIGTERM.
 *
 * <pre>{@code
 * try (var signals = Interrupts.onSignal(crawler::cancel)) {
 *     var stats = crawler.crawl(starts);  // returns early once cancelled
 *     signals.finish();                   // from here a signal no longer cancels, it only waits
 *     err.println("crawler: " + stats.summary());
 *     return stats.cancelled() ? Cli.INTERRUPTED : 0;
 * }                                       // close() lets a waiting signal end the JVM
 * }</pre>
 *
 * <p>Java delivers these signals only by running shutdown hooks, so this is one: it runs
 * {@code cancel} unless {@link #finish()} came first, then waits for {@link #close()}. Servers,
 * which have nothing to report, close on shutdown through {@code TcpServer} instead.
 */
public final class Interrupts implements AutoCloseable {
    /** How long a signal waits for the tool to report before the JVM exits anyway. */
    public static final Duration GRACE = Duration.ofSeconds(10);

    private final Runnable cancel;
    private final Thread hook;
    private final CountDownLatch closed = new CountDownLatch(1);
    private boolean finished; // guarded by this: cancel may no longer run
    private boolean signalled; // guarded by this: cancel ran

    private Interrupts(Runnable cancel) {
        this.cancel = cancel;
        this.hook = new Thread(this::onShutdown, "interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Runs {@code cancel} when SIGINT or SIGTERM arrives before {@link #finish()}. It runs on the
     * signal's thread: it should only ask the work to stop (cancel, interrupt), not wait for it.
     */
    public static Interrupts onSignal(Runnable cancel) {
        return new Interrupts(cancel);
    }

    /** A signal interrupts the calling thread, the one that does the work. */
    public static Interrupts interruptingCurrentThread() {
        return onSignal(Thread.currentThread()::interrupt);
    }

    private void onShutdown() {
        synchronized (this) {
            if (!finished) {
                signalled = true;
                cancel.run();
            }
        }
        // Cancelled or not, wait for the report: the JVM exits when this hook returns.
        try {
            closed.await(GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The work is over: a signal from now on no longer runs {@code cancel} (it still waits for
     * {@link #close()}). Clears the interrupt that a cancelling signal may have left on the calling
     * thread, so that the tool can print its report.
     *
     * @return whether a signal cancelled the work
     */
    public synchronized boolean finish() {
        finished = true;
        if (signalled) {
            Thread.interrupted();
        }
        return signalled;
    }

    /** Whether a signal has cancelled the work. */
    public synchronized boolean signalled() {
        return signalled;
    }

    /** Finishes, and lets a signal that is waiting end the JVM; without a signal, removes the hook. */
    @Override
    public void close() {
        finish();
        closed.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // A signal is being handled: the hook ends now that closed is counted down.
        }
    }
}
