package gopl.mandelbrot;

/**
 * The book's picture (gopl.io ch3/mandelbrot): the square -2..+2 of the complex plane at
 * width x height pixels, each pixel gray by how fast its point escapes. Every pixel is a pure
 * function of its coordinates, so rows may be rendered by any thread in any order.
 */
record Mandelbrot(int width, int height) implements Picture {
    static final double XMIN = -2, YMIN = -2, XMAX = +2, YMAX = +2;
    static final int ITERATIONS = 200;
    static final int CONTRAST = 15;

    // |v|^2 > 4 stands in for Go's cmplx.Abs(v) > 2, whose Hypot rounds differently near the
    // circle. Whenever Go's Abs exceeds 2, |v|^2 exceeds this bound by a wide margin (a few ulps
    // against 1e-9), so the cheap test only filters, and Go's own Abs decides: exact and fast.
    static final double NEAR_FOUR = 4 - 1e-9;

    @Override
    public void renderRow(int py, byte[] row) {
        double y = y(py);
        for (int px = 0; px < width; px++) {
            row[px] = (byte) gray(x(px), y);
        }
    }

    @Override
    public String loop() {
        return "scalar";
    }

    /** The real part of the points in column {@code px}, rounded as the book's Go rounds it. */
    double x(int px) {
        return (double) px / width * (XMAX - XMIN) + XMIN;
    }

    /** The imaginary part of the points in row {@code py}. */
    double y(int py) {
        return (double) py / height * (YMAX - YMIN) + YMIN;
    }

    /**
     * The book's {@code mandelbrot(z)}: iterates v = v*v + z from 0, with the complex product
     * written out as Go computes it (no objects in the hot loop), and returns the gray level.
     */
    static int gray(double x, double y) {
        double re = 0, im = 0, re2 = 0, im2 = 0;
        for (int n = 0; n < ITERATIONS; n++) {
            im = 2 * re * im + y; // re*im + im*re, exactly as Go rounds it
            re = re2 - im2 + x;
            re2 = re * re;
            im2 = im * im;
            if (re2 + im2 > NEAR_FOUR && goAbs(re, im) > 2) {
                return shade(n);
            }
        }
        return 0; // color.Black
    }

    /** Go's {@code color.Gray{255 - contrast*n}}: uint8 arithmetic, so it wraps modulo 256. */
    static int shade(int n) {
        return (255 - CONTRAST * n) & 0xFF;
    }

    /** Go's {@code cmplx.Abs}, that is {@code math.Hypot} as amd64 computes it, rounding and all. */
    static double goAbs(double re, double im) {
        double p = Math.abs(re), q = Math.abs(im);
        if (p < q) {
            double t = p;
            p = q;
            q = t;
        }
        if (p == 0) {
            return 0;
        }
        q = q / p;
        return p * Math.sqrt(1 + q * q);
    }
}
