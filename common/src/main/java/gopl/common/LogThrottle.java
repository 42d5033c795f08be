package gopl.common;

import java.time.Duration;
import java.util.function.BiConsumer;

/**
 * One log line for a burst of the same event, not one per event: the first is logged at once, the
 * rest are counted, and the next one after {@code every} has passed is logged with that count. A
 * flood of refused connections or failing accepts then costs a line a minute, not a full disk.
 */
final class LogThrottle {
    private final long everyNanos;
    private final String what;
    private long lastLogged;
    private long unlogged;
    private boolean logged;

    /** @param what the event counted, in the plural: {@code "connections refused"} */
    LogThrottle(Duration every, String what) {
        this.everyNanos = every.toNanos();
        this.what = what;
    }

    /**
     * Counts one event and, if it is the first or the interval has passed, hands {@code log} the
     * detail of this one and the summary line to log with it.
     */
    synchronized void event(String detail, BiConsumer<String, String> log) {
        unlogged++;
        long now = System.nanoTime();
        if (logged && now - lastLogged < everyNanos) {
            return;
        }
        var summary = !logged
                ? "(more are counted and logged once every " + GoDuration.format(Duration.ofNanos(everyNanos)) + ")"
                : "(" + unlogged + " " + what + " since the last such line)";
        log.accept(detail, summary);
        logged = true;
        lastLogged = now;
        unlogged = 0;
    }
}
