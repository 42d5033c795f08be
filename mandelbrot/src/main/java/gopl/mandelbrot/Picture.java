package gopl.mandelbrot;

/**
 * The book's picture as rows of gray levels, one byte a pixel. Two loops render it: the book's own,
 * a point at a time ({@link Mandelbrot}), and the same arithmetic on SIMD lanes
 * ({@link VectorMandelbrot}); they give the same bytes, so a caller may take either.
 */
interface Picture {
    int width();

    int height();

    /** Fills {@code row} with the gray levels of row {@code py}, top to bottom as in the book. */
    void renderRow(int py, byte[] row);

    /** How the rows are computed, for the benchmark's table: "scalar", "SIMD, 8 lanes". */
    String loop();
}
