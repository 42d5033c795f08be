package gopl.mandelbrot;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The book's loop on SIMD lanes ({@code jdk.incubator.vector}): each lane iterates one pixel of
 * the row with the very operations of {@link Mandelbrot#gray}, in the same order, so it rounds
 * the same way (Java's vector arithmetic is IEEE lane by lane, and nothing fuses a multiply and
 * an add). A lane stops counting at exactly its own escape iteration: once it has escaped, its
 * bit leaves the {@code active} set and later iterations no longer look at it, though the lane
 * itself keeps computing, on garbage, until the whole group is done.
 *
 * <p>The escape test is the scalar loop's: the squared magnitude filters, lane-wise, and Go's
 * exact {@code cmplx.Abs} decides, one lane at a time, for the few lanes past the filter (each
 * lane passes it once when it escapes, more only on the circle |v| = 2 itself).
 *
 * <p>Two groups of lanes go through the loop side by side: one iteration depends on the previous
 * one through an add, a multiply and an add, and a second independent group fills the processor
 * while the first waits for them (1.2 to 1.5 times the speed of one group, measured here).
 *
 * <p>Only load this class after {@link Simd} has found the incubator module, or it fails to link.
 */
final class VectorMandelbrot implements Picture {
    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();

    private final Mandelbrot picture;
    /** The real part of every column, padded to whole pairs of groups; lanes past the width never count. */
    private final double[] columns;

    VectorMandelbrot(Mandelbrot picture) {
        this.picture = picture;
        int width = picture.width();
        columns = new double[(width + 2 * LANES - 1) / (2 * LANES) * (2 * LANES)];
        for (int px = 0; px < width; px++) {
            columns[px] = picture.x(px);
        }
    }

    /** Doubles per vector on this processor, as the JVM uses them. */
    static int lanes() {
        return LANES;
    }

    @Override
    public int width() {
        return picture.width();
    }

    @Override
    public int height() {
        return picture.height();
    }

    @Override
    public String loop() {
        return "SIMD, " + LANES + " lanes";
    }

    @Override
    public void renderRow(int py, byte[] row) {
        double y = picture.y(py);
        int width = picture.width();
        for (int px = 0; px < width; px += 2 * LANES) {
            renderPair(px, Math.min(2 * LANES, width - px), y, row);
        }
    }

    /**
     * Pixels {@code px} to {@code px + count - 1} (at most two groups of lanes): the body of
     * {@link Mandelbrot#gray} for every lane at once.
     */
    private void renderPair(int px, int count, double y, byte[] row) {
        var xA = DoubleVector.fromArray(SPECIES, columns, px);
        var xB = DoubleVector.fromArray(SPECIES, columns, px + LANES);
        var yy = DoubleVector.broadcast(SPECIES, y);
        var reA = DoubleVector.zero(SPECIES);
        var imA = reA;
        var reSqA = reA;
        var imSqA = reA;
        var reB = reA;
        var imB = reA;
        var reSqB = reA;
        var imSqB = reA;
        long activeA = lanesBelow(count), activeB = lanesBelow(count - LANES);
        for (int n = 0; n < Mandelbrot.ITERATIONS; n++) {
            imA = reA.add(reA).mul(imA).add(yy); // 2*re*im + y: doubling is exact either way
            imB = reB.add(reB).mul(imB).add(yy);
            reA = reSqA.sub(imSqA).add(xA);
            reB = reSqB.sub(imSqB).add(xB);
            reSqA = reA.mul(reA);
            reSqB = reB.mul(reB);
            imSqA = imA.mul(imA);
            imSqB = imB.mul(imB);
            long nearA = reSqA.add(imSqA).compare(VectorOperators.GT, Mandelbrot.NEAR_FOUR).toLong() & activeA;
            long nearB = reSqB.add(imSqB).compare(VectorOperators.GT, Mandelbrot.NEAR_FOUR).toLong() & activeB;
            if ((nearA | nearB) != 0) {
                activeA = escape(nearA, activeA, reA, imA, n, row, px);
                activeB = escape(nearB, activeB, reB, imB, n, row, px + LANES);
                if ((activeA | activeB) == 0) {
                    return;
                }
            }
        }
        blacken(activeA, row, px);
        blacken(activeB, row, px + LANES);
    }

    /** The bits of the first {@code count} lanes of a group (none if {@code count} <= 0). */
    private static long lanesBelow(int count) {
        return count <= 0 ? 0 : count >= LANES ? (1L << LANES) - 1 : (1L << count) - 1;
    }

    /**
     * Settles the lanes in {@code near} with Go's exact Abs, as the scalar loop does: a lane that
     * escaped gets the shade of iteration {@code n} and leaves the active set.
     */
    private static long escape(long near, long active, DoubleVector re, DoubleVector im, int n, byte[] row, int px) {
        for (long lanes = near; lanes != 0; lanes &= lanes - 1) {
            int lane = Long.numberOfTrailingZeros(lanes);
            if (Mandelbrot.goAbs(re.lane(lane), im.lane(lane)) > 2) {
                row[px + lane] = (byte) Mandelbrot.shade(n);
                active &= ~(1L << lane);
            }
        }
        return active;
    }

    /** Lanes still active after the last iteration never escaped: black, as in the book. */
    private static void blacken(long active, byte[] row, int px) {
        for (long lanes = active; lanes != 0; lanes &= lanes - 1) {
            row[px + Long.numberOfTrailingZeros(lanes)] = 0;
        }
    }
}
