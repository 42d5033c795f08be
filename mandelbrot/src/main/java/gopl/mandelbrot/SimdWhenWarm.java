package gopl.mandelbrot;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The SIMD loop once the JIT has compiled it, the scalar loop until then. Until C2 compiles it,
 * Vector API code runs 25 to 1000 times slower than the scalar loop (measured on the training
 * picture below: every lane-wise operation is a real call on a boxed vector), and C2 compiles it
 * only after thousands of those slow iterations. So a thread of its own drives the SIMD loop over
 * a small training picture, timing it against the scalar loop on the same picture, while the
 * workers render with the scalar loop; once the SIMD loop wins twice in a row, every row from
 * then on goes through it. Both loops give the same bytes, so which rows each rendered never
 * shows.
 *
 * <p>The training picture makes every branch of the SIMD loop run (points that escape, points
 * that never do, the point -2 that stays on the circle |v| = 2, a part-filled group of lanes at the
 * end of a row), so that the compiled loop meets nothing new in the real picture and is not
 * thrown away and compiled again.
 */
final class SimdWhenWarm implements Picture {
    /**
     * Past this the trainer gives up, and the scalar loop renders the rest. Where C2 is off
     * ({@code -XX:TieredStopAtLevel=1}, {@code -Xint}) the SIMD loop never wins, and this bounds
     * the processor time spent trying; it is long because a busy machine (load average 15 here)
     * stretched the warm-up to 3 s.
     */
    private static final long TRAINING_LIMIT_NANOS = 30_000_000_000L;

    private final Mandelbrot scalar;
    /** The SIMD loop on the picture, once it has won; until then null, and the scalar loop renders. */
    private volatile VectorMandelbrot simd;
    /** The trainer stops when no row is left to render: a small picture may never need it. */
    private final AtomicInteger rowsLeft;
    private final Thread trainer;

    SimdWhenWarm(Mandelbrot picture) {
        scalar = picture;
        rowsLeft = new AtomicInteger(picture.height());
        trainer = Thread.ofPlatform().name("mandelbrot-simd-warm-up").daemon().start(this::train);
    }

    @Override
    public int width() {
        return scalar.width();
    }

    @Override
    public int height() {
        return scalar.height();
    }

    @Override
    public String loop() {
        return "scalar, then SIMD";
    }

    @Override
    public void renderRow(int py, byte[] row) {
        var loop = simd;
        (loop == null ? scalar : loop).renderRow(py, row);
        rowsLeft.decrementAndGet();
    }

    /** Whether the rows now go through the SIMD loop. */
    boolean vectorReady() {
        return simd != null;
    }

    /** The thread that drives the SIMD loop until it wins; for tests. */
    Thread trainer() {
        return trainer;
    }

    private void train() {
        int lanes = VectorMandelbrot.lanes(); // loads the Vector API: here, not on the main thread
        if (lanes < Simd.MIN_LANES) {
            return;
        }
        var training = new Mandelbrot(4 * lanes + 3, 4); // rows y = -2, -1, 0, 1; column 0 is x = -2
        var simdTraining = new VectorMandelbrot(training);
        var row = new byte[training.width()];
        int wins = 0;
        long start = System.nanoTime();
        while (wins < 2 && rowsLeft.get() > 0 && System.nanoTime() - start < TRAINING_LIMIT_NANOS) {
            long simdNanos = time(simdTraining, row);
            wins = simdNanos < time(training, row) ? wins + 1 : 0;
        }
        if (wins == 2) {
            simd = new VectorMandelbrot(scalar);
        }
    }

    private static long time(Picture picture, byte[] row) {
        long start = System.nanoTime();
        for (int py = 0; py < picture.height(); py++) {
            picture.renderRow(py, row);
        }
        return System.nanoTime() - start;
    }
}
