package gopl.mandelbrot;

import gopl.common.ToolException;
import java.util.List;

/**
 * {@code --simd}: whether rows go through {@link VectorMandelbrot} or the book's scalar loop.
 * The vector loop needs the incubator module {@code jdk.incubator.vector}, which a JVM only
 * loads when told ({@code --add-modules jdk.incubator.vector}, as {@code bin/mandelbrot} does):
 * without it, {@code auto} quietly keeps the scalar loop, so {@code java -jar mandelbrot.jar}
 * still works, with the same bytes.
 */
enum Simd {
    AUTO,
    ON,
    OFF;

    static final String MODULE = "jdk.incubator.vector";
    /** {@code auto} renders smaller pictures with the scalar loop: see the README's benchmark. */
    static final long AUTO_MIN_PIXELS = 2048 * 2048;
    /** Fewer lanes than this lose to the scalar loop (measured: 2 lanes of SSE took 4 times as long). */
    static final int MIN_LANES = 4;

    /**
     * The picture to render. {@code on}: every row through the SIMD loop, even before the JIT has
     * compiled it. {@code auto}: the scalar loop, until the SIMD loop is compiled and wins
     * ({@link SimdWhenWarm}), and the scalar loop only for pictures too small to repay that.
     */
    Picture picture(Mandelbrot picture) {
        boolean small = (long) picture.width() * picture.height() < AUTO_MIN_PIXELS;
        if (this == AUTO && small || !simd()) { // small first: the check loads the Vector API
            return picture;
        }
        return this == ON ? new VectorMandelbrot(picture) : new SimdWhenWarm(picture);
    }

    /** The loops {@code --bench} compares: the scalar one, and the SIMD one unless this setting rules it out. */
    List<Picture> loops(Mandelbrot picture) {
        return simd() ? List.of(picture, new VectorMandelbrot(picture)) : List.of(picture);
    }

    /** Whether to use the SIMD loop; fails for {@code ON} where it cannot run. */
    private boolean simd() {
        if (this == OFF) {
            return false;
        }
        var reason = unavailable();
        if (reason != null && this == ON) {
            throw new ToolException("--simd on: " + reason);
        }
        return reason == null;
    }

    /** Why this JVM cannot run the vector loop, or {@code null} when it can. */
    static String unavailable() {
        if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
            return "this JVM runs without " + MODULE + " (start it with --add-modules " + MODULE
                    + ", as bin/mandelbrot does)";
        }
        int lanes = VectorMandelbrot.lanes(); // loads the vector classes: only now that they are there
        if (lanes < MIN_LANES) {
            return "this processor's vectors hold " + lanes + " doubles, too few to beat the scalar loop";
        }
        return null;
    }
}
