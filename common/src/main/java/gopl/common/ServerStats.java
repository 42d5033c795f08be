package gopl.common;

import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;

/** What a {@link TcpServer} has done since it started: the counters behind its stats line. */
public record ServerStats(int open, long accepted, long refused, long bytesIn, long bytesOut, long errors, long timedOut) {
    /** One log line: each total, and in brackets what it grew by since {@code before}. */
    public String line(ServerStats before) {
        return open + " open, " + accepted + " accepted (+" + (accepted - before.accepted) + "), "
                + refused + " refused (+" + (refused - before.refused) + "), "
                + bytesIn + " bytes in (+" + (bytesIn - before.bytesIn) + "), "
                + bytesOut + " bytes out (+" + (bytesOut - before.bytesOut) + "), "
                + errors + " errors (+" + (errors - before.errors) + "), "
                + timedOut + " write timeouts (+" + (timedOut - before.timedOut) + ")";
    }

    /** These counters and {@code other}'s added up: one line for a server that listens on two ports. */
    public ServerStats plus(ServerStats other) {
        return new ServerStats(open + other.open, accepted + other.accepted, refused + other.refused, bytesIn + other.bytesIn,
                bytesOut + other.bytesOut, errors + other.errors, timedOut + other.timedOut);
    }

    /** Logs {@code stats: <line>} on each tick of {@code every} until interrupted. */
    static void logEvery(Duration every, Supplier<ServerStats> stats, Logger log) {
        var ticker = new Ticker(every);
        var before = stats.get();
        try {
            while (true) {
                ticker.await();
                var now = stats.get();
                log.info("stats: {}", now.line(before));
                before = now;
            }
        } catch (InterruptedException e) {
            // The server is closing.
        }
    }
}
