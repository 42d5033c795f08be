package gopl.common;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Go's {@code time.Tick}, aligned to the wall clock: ticks fall on whole multiples of the period
 * (every second at .000), so a clock server's clients all see the second change together and the
 * ticks do not drift the way {@code sleep(1000)} in a loop does. A tick missed while the caller
 * was busy is skipped, not delivered late.
 */
public final class Ticker {
    private final Clock clock;
    private final long periodMillis;
    private long last = Long.MIN_VALUE;

    public Ticker(Duration period) {
        this(period, Clock.systemUTC());
    }

    Ticker(Duration period, Clock clock) {
        if (period.toMillis() < 1) {
            throw new IllegalArgumentException("a tick period must be at least 1ms");
        }
        this.periodMillis = period.toMillis();
        this.clock = clock;
    }

    /** Sleeps until the next whole multiple of the period and returns that instant. */
    public Instant await() throws InterruptedException {
        long now = clock.millis();
        long next = Math.max((Math.floorDiv(now, periodMillis) + 1) * periodMillis, last + periodMillis);
        while (now < next) {
            Thread.sleep(next - now);
            now = clock.millis();
        }
        last = Math.floorDiv(now, periodMillis) * periodMillis;
        return Instant.ofEpochMilli(last);
    }
}
