package gopl.mandelbrot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The SIMD loop against the scalar one, which MandelbrotTest and MandelbrotIT tie to the book. */
class VectorMandelbrotTest {
    @BeforeAll
    static void theSimdLoopRunsHere() {
        // Surefire starts this JVM with --add-modules jdk.incubator.vector: without it every
        // comparison below would fail to link rather than quietly compare the scalar loop with itself.
        assertThat(ModuleLayer.boot().findModule(Simd.MODULE)).isPresent();
    }

    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource({
        "1, 1", "2, 2", "3, 5", "4, 4", "7, 3", "8, 8", "15, 9", "16, 16", "17, 2", "31, 7", "33, 12",
        "100, 64", "1000, 1000", "1024, 1024", "1000, 600", "997, 13", "4096, 5"})
    void everyRowIsByteForByteTheScalarLoops(int width, int height) {
        var book = new Mandelbrot(width, height);
        var simd = new VectorMandelbrot(book);
        var expected = new byte[width];
        var row = new byte[width];
        for (int py = 0; py < height; py++) {
            book.renderRow(py, expected);
            Arrays.fill(row, (byte) 0x55); // every pixel must be written, black ones too
            simd.renderRow(py, row);
            assertThat(row).as("row %d of %dx%d", py, width, height).isEqualTo(expected);
        }
    }

    @Test
    void thoseSizesHoldTheHardCases() {
        // 1000x1000: the four pixels where Go's Hypot says |v| = 2 but |v|^2 > 4, and pixels that
        // escape on the last of the 200 iterations; 4x4: z = -2 (pixel 0,2) sits on |v| = 2
        // forever and z = -2i (pixel 2,0) lands on it once.
        var points = new int[Mandelbrot.ITERATIONS + 1];
        int onCircle = 0;
        for (int py = 0; py < 1000; py++) {
            for (int px = 0; px < 1000; px++) {
                double x = px / 1000.0 * 4 - 2, y = py / 1000.0 * 4 - 2;
                int n = escape(x, y);
                points[n]++;
                onCircle += n != escape(x, y, false) ? 1 : 0;
            }
        }
        assertThat(onCircle).as("points that Go's Hypot puts on the circle").isEqualTo(4);
        assertThat(points[Mandelbrot.ITERATIONS - 1]).as("escape at the last iteration").isPositive();
        assertThat(points[Mandelbrot.ITERATIONS]).as("never escape").isPositive();
        assertThat(escape(-2, 0)).isEqualTo(Mandelbrot.ITERATIONS);
        assertThat(escape(0, -2)).isEqualTo(1);
    }

    @Test
    void pointsOnTheCircleAndAtTheIterationCapGetTheBooksShade() {
        var row = new byte[1000];
        new VectorMandelbrot(new Mandelbrot(1000, 1000)).renderRow(100, row);
        assertThat(row[800] & 0xFF).as("1.2-1.6i: on the circle after one step, out after two").isEqualTo(240);
        var small = new byte[4];
        Arrays.fill(small, (byte) 0x55); // black must be written, not left over
        new VectorMandelbrot(new Mandelbrot(4, 4)).renderRow(2, small);
        assertThat(small[0]).as("z = -2 stays on the circle: black").isZero();
        new VectorMandelbrot(new Mandelbrot(4, 4)).renderRow(0, small);
        assertThat(small[2] & 0xFF).as("z = -2i: on the circle, then out").isEqualTo(240);
        int[] last = lastIterationPixel();
        new VectorMandelbrot(new Mandelbrot(1000, 1000)).renderRow(last[1], row);
        assertThat(row[last[0]] & 0xFF).as("escapes at n = 199, the last iteration")
                .isEqualTo(Mandelbrot.shade(Mandelbrot.ITERATIONS - 1));
    }

    /** A pixel (px, py) of 1000x1000 that escapes at the 200th iteration, n = 199. */
    private static int[] lastIterationPixel() {
        for (int py = 0; py < 1000; py++) {
            for (int px = 0; px < 1000; px++) {
                if (escape(px / 1000.0 * 4 - 2, py / 1000.0 * 4 - 2) == Mandelbrot.ITERATIONS - 1) {
                    return new int[] {px, py};
                }
            }
        }
        throw new AssertionError("no pixel of 1000x1000 escapes at n = 199");
    }

    /** The iteration at which the book's loop sees |v| > 2 (Go's Abs), or 200 if it never does. */
    private static int escape(double x, double y) {
        return escape(x, y, true);
    }

    /** The same with Go's Abs, or with the naive |v|^2 > 4. */
    private static int escape(double x, double y, boolean goAbs) {
        double re = 0, im = 0;
        for (int n = 0; n < Mandelbrot.ITERATIONS; n++) {
            double r = re * re - im * im + x;
            im = re * im + im * re + y;
            re = r;
            if (goAbs ? Mandelbrot.goAbs(re, im) > 2 : re * re + im * im > 4) {
                return n;
            }
        }
        return Mandelbrot.ITERATIONS;
    }
}
