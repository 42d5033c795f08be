package gopl.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.List;
import org.junit.jupiter.api.Test;

class TickerTest {
    /** A clock that reads the given times in turn, then stays at the last: time passes as scripted. */
    private static Clock scripted(Long... millis) {
        var times = new ArrayDeque<>(List.of(millis));
        return new Clock() {
            @Override
            public long millis() {
                return times.size() > 1 ? times.poll() : times.peek();
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(millis());
            }

            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                throw new UnsupportedOperationException();
            }
        };
    }

    @Test
    void ticksFallOnWholeMultiplesOfThePeriodAndNeverRepeat() throws Exception {
        var ticker = new Ticker(Duration.ofMillis(50));
        long previous = 0;
        for (int i = 0; i < 5; i++) {
            var tick = ticker.await();
            assertThat(tick.toEpochMilli() % 50).isZero();
            assertThat(tick.toEpochMilli()).isGreaterThan(previous);
            // We woke at or after the tick, never before it.
            assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(tick.toEpochMilli());
            previous = tick.toEpochMilli();
        }
    }

    @Test
    void aMissedTickIsSkippedNotDeliveredLate() throws Exception {
        // The first await wakes at 1_020; the caller is then busy until 1_090, past the ticks at
        // 1_040, 1_060 and 1_080: the next await must wait for 1_100, not return 1_040 at once.
        var ticker = new Ticker(Duration.ofMillis(20), scripted(1_005L, 1_020L, 1_090L, 1_100L));
        assertThat(ticker.await()).isEqualTo(Instant.ofEpochMilli(1_020));
        assertThat(ticker.await()).isEqualTo(Instant.ofEpochMilli(1_100));
    }

    @Test
    void aClockThatOvershootsReportsTheTickItWokeIn() throws Exception {
        // Woken late, at 1_047: the tick reported is the one that has passed, 1_040, never a later one.
        var ticker = new Ticker(Duration.ofMillis(20), scripted(1_005L, 1_047L));
        assertThat(ticker.await()).isEqualTo(Instant.ofEpochMilli(1_040));
    }
}
