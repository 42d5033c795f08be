package gopl.mandelbrot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class SimdWhenWarmTest {
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void rowsAreTheScalarLoopsBeforeTheSwitchAndAfterIt() throws InterruptedException {
        // Tall enough that the picture is never done before the SIMD loop wins.
        var book = new Mandelbrot(64, 10_000_000);
        var picture = new SimdWhenWarm(book);
        var expected = new byte[64];
        var row = new byte[64];
        int before = 0, after = 0;
        for (int py = 0; after < 1000; py++) {
            boolean ready = picture.vectorReady(); // read before the row: it may flip during it
            book.renderRow(py % 4096, expected);
            Arrays.fill(row, (byte) 0x55);
            picture.renderRow(py % 4096, row);
            assertThat(row).as("row %d", py % 4096).isEqualTo(expected);
            if (ready) {
                after++;
            } else {
                before++;
            }
            boolean training = picture.trainer().isAlive(); // then ready: its end happens-before this
            assertThat(training || picture.vectorReady()).as("the trainer gave up").isTrue();
        }
        assertThat(before).as("rows rendered while the SIMD loop was still cold").isPositive();
        picture.trainer().join();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aPictureThatIsDoneStopsTheTrainer() throws InterruptedException {
        var picture = new SimdWhenWarm(new Mandelbrot(8, 8));
        var row = new byte[8];
        for (int py = 0; py < 8; py++) {
            picture.renderRow(py, row);
        }
        picture.trainer().join(); // the timeout fails the test if it never stops
        assertThat(picture.trainer().isAlive()).isFalse();
    }
}
