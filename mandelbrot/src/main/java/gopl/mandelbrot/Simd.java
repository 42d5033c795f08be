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
    /** Fewer lanes than this lose to the scalar loop (2 lanes of SSE ran 2 to 6 times slower here). */
    static final int MIN_LANES = 4;

    /**
     * The picture to render. {@code on}: every row through the SIMD loop, even before the JIT has
     * compiled it. {@code auto}: the scalar loop until the SIMD loop is compiled and wins
     * ({@link SimdWhenWarm}, which also checks the lanes, off the main thread: loading the Vector
     * API takes a while), and the scalar loop alone for pictures too small to repay that.
     */
    Picture picture(Mandelbrot picture) {
        return switch (this) {
            case OFF -> picture;
            case ON -> {
                requireSimd();
                yield new VectorMandelbrot(picture);
            }
            case AUTO -> (long) picture.width() * picture.height() < AUTO_MIN_PIXELS || !moduleLoaded()
                    ? picture : new SimdWhenWarm(picture);
        };
    }

    /** The loops {@code --bench} compares: the scalar one, and the SIMD one unless this setting rules it out. */
    List<Picture> loops(Mandelbrot picture) {
        if (this == ON) {
            requireSimd();
        }
        return this != OFF && unavailable() == null ? List.of(picture, new VectorMandelbrot(picture)) : List.of(picture);
    }

    private static void requireSimd() {
        var reason = unavailable();
        if (reason != null) {
            throw new ToolException("--simd on: " + reason);
        }
    }

    static boolean moduleLoaded() {
        return ModuleLayer.boot().findModule(MODULE).isPresent();
    }

    /** Why this JVM cannot run the vector loop, or {@code null} when it can. */
    static String unavailable() {
        if (!moduleLoaded()) {
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
