package gopl.clockwall;

import gopl.common.Cli;
import gopl.common.GoDuration;
import gopl.common.HostPort;
import gopl.common.Interrupts;
import gopl.common.ManifestVersion;
import gopl.common.StandardOptions;
import gopl.common.StatusLine;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code clockwall NewYork=localhost:8010 London=localhost:8020}: a table of several clock servers. */
@Command(
        name = "clockwall",
        versionProvider = ManifestVersion.class,
        sortOptions = false,
        description = {
            "Shows the time of several clock servers side by side (gopl exercise 8.1).",
            "On a terminal the row is redrawn in place; otherwise one row per second is printed.",
            "A server that is unreachable or drops shows 'down' and is retried until it returns."
        },
        footer = {"", "Example: clockwall NewYork=localhost:8010 London=localhost:8020 Tokyo=localhost:8030"})
public final class ClockwallCommand implements Callable<Integer> {
    @Mixin
    StandardOptions standard;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "NAME=HOST:PORT", description = "A column name and its clock server.")
    List<String> clocks;

    @Option(names = {"-n", "--count"}, paramLabel = "N", description = "Print N rows, then exit (default: run until interrupted).")
    int count;

    @Option(names = "--max-backoff", paramLabel = "DURATION", converter = GoDuration.class,
            description = "Longest wait between retries of a server that is down (default: 5s).")
    Duration maxBackoff = Duration.ofSeconds(5);

    private final PrintStream out;

    public ClockwallCommand() {
        this(System.out);
    }

    ClockwallCommand(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        Cli.exit(new ClockwallCommand(), args);
    }

    @Override
    public Integer call() throws InterruptedException {
        if (count < 0) {
            throw new ParameterException(spec.commandLine(), "--count must be 0 or more, not " + count);
        }
        // Feeds say "something changed" here; a full queue means a redraw is already due.
        BlockingQueue<String> changes = new ArrayBlockingQueue<>(1);
        var feeds = new ArrayList<ClockFeed>();
        for (var argument : clocks) {
            feeds.add(parse(argument, changes));
        }
        var threads = feeds.stream().map(feed -> Thread.ofVirtual().name("feed-" + feed.name()).start(feed::run)).toList();
        var writer = new PrintWriter(out, true);
        var wall = new Wall(feeds, out == System.out ? StatusLine.stdout(writer) : StatusLine.off(writer));
        // Ctrl-C interrupts the wall, which leaves its last row on screen before the JVM exits.
        try (var signals = Interrupts.interruptingCurrentThread()) {
            try {
                awaitFirstAttempts(feeds);
                wall.header();
                show(wall, changes);
                return 0;
            } catch (InterruptedException e) {
                return Cli.INTERRUPTED;
            } finally {
                threads.forEach(Thread::interrupt);
                signals.finish();
                wall.finish();
            }
        }
    }

    /**
     * Waits until each server has answered or failed once (a few milliseconds on a network that
     * works; the connect timeout at most), so that the first row does not call a server down
     * only because its connection was still being made.
     */
    private static void awaitFirstAttempts(List<ClockFeed> feeds) throws InterruptedException {
        long deadline = System.nanoTime() + ClockFeed.CONNECT_TIMEOUT.toNanos();
        for (var feed : feeds) {
            feed.awaitFirstAttempt(Math.max(0, deadline - System.nanoTime()));
        }
    }

    /**
     * One row a second, half-way between the servers' ticks so that every column has its new time.
     * On a terminal, also redraw whenever a server sends a line.
     */
    private void show(Wall wall, BlockingQueue<String> changes) throws InterruptedException {
        long nextRow = rowTime(System.currentTimeMillis());
        for (int rows = 0; count == 0 || rows < count; ) {
            long wait = nextRow - System.currentTimeMillis();
            var changed = wait > 0 ? changes.poll(wait, TimeUnit.MILLISECONDS) : null;
            if (changed != null) {
                if (wall.inPlace()) {
                    wall.draw();
                }
                continue;
            }
            wall.draw();
            rows++;
            nextRow = rowTime(System.currentTimeMillis());
        }
    }

    private static long rowTime(long now) {
        return (now - 500) / 1000 * 1000 + 1500;
    }

    private ClockFeed parse(String argument, BlockingQueue<String> changes) {
        int eq = argument.indexOf('=');
        if (eq < 0) {
            throw usage("'" + argument + "' is not NAME=HOST:PORT");
        }
        var name = argument.substring(0, eq);
        if (name.isBlank() || name.chars().anyMatch(Character::isWhitespace)) {
            throw usage("'" + argument + "': the name must be one word");
        }
        try {
            return new ClockFeed(name, HostPort.parse(argument.substring(eq + 1)), maxBackoff, () -> changes.offer(name));
        } catch (IllegalArgumentException e) {
            throw usage("'" + argument + "': " + e.getMessage());
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
