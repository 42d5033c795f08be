package gopl.mandelbrot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MandelbrotTest {
    /** Gray level of pixel (px, py) in a width x height picture. */
    private static int pixel(int width, int height, int px, int py) {
        var row = new byte[width];
        new Mandelbrot(width, height).renderRow(py, row);
        return row[px] & 0xFF;
    }

    @ParameterizedTest(name = "pixel ({0},{1}) of 1024x1024 is {2}")
    @CsvSource({
        // z = -2-2i: |v| = 2.83 after the first step, n = 0, so 255 - 0.
        "0, 0, 255",
        // z = 0: v stays 0, never escapes: black.
        "512, 512, 0",
        // z = -2: v = -2, 2, 2, 2, ... |v| is exactly 2, never more than 2: black.
        "0, 512, 0",
        // z = 1: v = 1, 2, 5: escapes at n = 2, so 255 - 30.
        "768, 512, 225",
        // z = 0.5: v = 0.5, 0.75, 1.0625, 1.6289, 3.153: n = 4, so 255 - 60.
        "640, 512, 195",
        // z = -1: v = -1, 0, -1, 0, ...: black.
        "256, 512, 0",
        // z = 1.996i (the last row stops short of 2i): v = z, then -3.98+2.0i: n = 1, so 255 - 15.
        "512, 1023, 240",
    })
    void knownPixelsWorkedOutByHand(int px, int py, int gray) {
        assertThat(pixel(1024, 1024, px, py)).isEqualTo(gray);
    }

    @Test
    void aPointExactlyOnTheCircleHasNotEscaped() {
        // Pixel (2,0) of 4x4 is z = -2i: |v| = 2 after one step, not more; then -4-2i: n = 1.
        assertThat(pixel(4, 4, 2, 0)).isEqualTo(240);
    }

    @Test
    void shadesWrapLikeGoUint8Arithmetic() {
        assertThat(Mandelbrot.shade(0)).isEqualTo(255);
        assertThat(Mandelbrot.shade(2)).isEqualTo(225);
        assertThat(Mandelbrot.shade(17)).isEqualTo(0); // 15*17 = 255
        assertThat(Mandelbrot.shade(18)).isEqualTo(241); // 15*18 = 270 = 14 mod 256
        assertThat(Mandelbrot.shade(199)).isEqualTo((255 - 15 * 199) & 0xFF);
    }

    @Test
    void goHypotRoundsThePointsOnTheCircleToExactlyTwo() {
        // 1.2 - 1.6i lies on |z| = 2 up to rounding; Go's Hypot says 2, the naive sum of squares more than 4.
        double x = (double) 800 / 1000 * 4 + -2;
        double y = (double) 100 / 1000 * 4 + -2;
        assertThat(Mandelbrot.goAbs(x, y)).isEqualTo(2.0);
        assertThat(x * x + y * y).isGreaterThan(4.0);
        assertThat(pixel(1000, 1000, 800, 100)).as("escapes at n = 1, as in Go, not at n = 0").isEqualTo(240);
    }

    @Test
    void everyPixelMatchesAPlainTranscriptionOfTheBook() {
        // 1000x1000 holds the four pixels where a naive |v|^2 > 4 test disagrees with Go's Abs.
        int size = 1000;
        var picture = new Mandelbrot(size, size);
        var row = new byte[size];
        int naiveDiffers = 0;
        for (int py = 0; py < size; py++) {
            picture.renderRow(py, row);
            double y = (double) py / size * (2 - -2) + -2;
            for (int px = 0; px < size; px++) {
                double x = (double) px / size * (2 - -2) + -2;
                assertThat(row[px] & 0xFF).as("pixel (%d,%d)", px, py).isEqualTo(book(x, y, true));
                naiveDiffers += book(x, y, true) == book(x, y, false) ? 0 : 1;
            }
        }
        assertThat(naiveDiffers).as("pixels a naive |v|^2 > 4 would get wrong").isEqualTo(4);
    }

    /** The book's mandelbrot(z) written out plainly: complex product, then Go's Abs (or not). */
    private static int book(double x, double y, boolean goAbs) {
        double vr = 0, vi = 0;
        for (int n = 0; n < 200; n++) {
            double re = vr * vr - vi * vi, im = vr * vi + vi * vr;
            vr = re + x;
            vi = im + y;
            boolean escaped = goAbs ? Mandelbrot.goAbs(vr, vi) > 2 : vr * vr + vi * vi > 4;
            if (escaped) {
                return (255 - 15 * n) & 0xFF;
            }
        }
        return 0;
    }
}
