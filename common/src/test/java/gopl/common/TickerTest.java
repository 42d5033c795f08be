package gopl.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TickerTest {
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
        var ticker = new Ticker(Duration.ofMillis(20));
        ticker.await();
        Thread.sleep(70);
        var tick = ticker.await();
        assertThat(System.currentTimeMillis() - tick.toEpochMilli()).isLessThan(20 + 15);
    }
}
