package gopl.mandelbrot;

import gopl.common.ToolException;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * {@code --bench}: answers exercise 8.5 ("how much faster, and what is the optimal number of
 * goroutines?") by timing the render for several worker counts on this machine. Rows go to a
 * sink that drops them, so the figures are the parallel loop, not PNG compression or the disk.
 *
 * <p>Honest figures on a shared machine: the JIT is warmed up first, the counts are timed in
 * interleaved rounds (a burst of load elsewhere hits every count alike), and speedups compare
 * the best run of each count, because noise from other processes only ever adds time. The
 * median beside it shows how much the runs spread.
 */
record Bench(Mandelbrot picture, int processors, int runs, Renderer.Threads threads) {
    /** How close to the fastest time a smaller worker count may come and be called optimal. */
    static final double TOLERANCE = 0.03;
    /** The share of the processors that other programs may take before the figures are suspect. */
    static final double BUSY = 0.10;
    private static final Color MEASURED = new Color(0x1f77b4);

    /** The timings of one worker count. */
    record Result(int workers, long bestNanos, long medianNanos) {
        double speedupOver(Result base) {
            return (double) base.bestNanos / bestNanos;
        }
    }

    /**
     * CPU time spent by the whole machine and by this process, so that a bench can tell how much
     * other programs took: the load average cannot, as it counts the bench itself.
     */
    record CpuUse(long machineNanos, long ownNanos, long wallNanos) {
        private static final long NANOS_PER_TICK = 10_000_000L; // USER_HZ is 100 on Linux

        static CpuUse now() {
            long machine = -1;
            try (var lines = Files.lines(Path.of("/proc/stat"))) {
                // cpu  user nice system idle iowait irq softirq steal ...: all busy but idle and iowait
                var ticks = lines.findFirst().orElseThrow().trim().split("\\s+");
                machine = 0;
                for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                    machine += Long.parseLong(ticks[i]) * NANOS_PER_TICK;
                }
            } catch (IOException | RuntimeException e) {
                machine = -1; // not Linux: no warning
            }
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            return new CpuUse(machine, os.getProcessCpuTime(), System.nanoTime());
        }

        /** The share of all processors that other programs used from this sample to {@code later}. */
        double othersShare(CpuUse later, int processors) {
            if (machineNanos < 0 || later.machineNanos < 0) {
                return Double.NaN;
            }
            long others = (later.machineNanos - machineNanos) - (later.ownNanos - ownNanos);
            return Math.max(0, (double) others / ((later.wallNanos - wallNanos) * (double) processors));
        }
    }

    /**
     * 1, 2, 4, ... up to four times the processors, the processor count and its multiples, any
     * count the user asked for, and one worker per row; none above the row count.
     */
    static List<Integer> workerCounts(int processors, int rows, Integer requested) {
        var counts = new TreeSet<Integer>();
        for (int n = 1; n <= 4 * processors; n *= 2) {
            counts.add(n);
        }
        counts.addAll(List.of(processors, 2 * processors, 4 * processors, rows));
        if (requested != null) {
            counts.add(requested);
        }
        counts.removeIf(n -> n > rows);
        return List.copyOf(counts);
    }

    /** Times {@code runs} renders per worker count, after a warm-up; reports each step. */
    List<Result> measure(List<Integer> counts, Consumer<String> progress) throws IOException, InterruptedException {
        progress.accept("warming up");
        long start = System.nanoTime();
        for (int i = 0; i < 3 || System.nanoTime() - start < 1_000_000_000L && i < 200; i++) {
            time(1);
        }
        for (int workers : counts) {
            time(workers);
        }
        var nanos = new long[counts.size()][runs];
        for (int run = 0; run < runs; run++) {
            for (int i = 0; i < counts.size(); i++) {
                progress.accept("run " + (run + 1) + "/" + runs + ": " + counts.get(i) + " workers");
                nanos[i][run] = time(counts.get(i));
            }
        }
        var results = new ArrayList<Result>();
        for (int i = 0; i < counts.size(); i++) {
            Arrays.sort(nanos[i]);
            results.add(new Result(counts.get(i), nanos[i][0], nanos[i][runs / 2]));
        }
        return results;
    }

    private long time(int workers) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Renderer.render(picture, workers, threads, (py, pixels) -> {});
        return System.nanoTime() - start;
    }

    /** The fewest workers within {@link #TOLERANCE} of the fastest: more buy nothing. */
    static Result optimal(List<Result> results) {
        long fastest = fastest(results).bestNanos;
        return results.stream()
                .filter(r -> r.bestNanos <= fastest * (1 + TOLERANCE))
                .findFirst()
                .orElseThrow();
    }

    static Result fastest(List<Result> results) {
        return results.stream().min((a, b) -> Long.compare(a.bestNanos, b.bestNanos)).orElseThrow();
    }

    /**
     * The table, the fastest count and the optimal one, as plain text for people and scripts, and
     * a warning when other programs kept the processors busy ({@code othersShare}, NaN if
     * unknown): then no worker count can show the real speedup.
     */
    void print(PrintWriter out, List<Result> results, double othersShare) {
        out.printf(Locale.ROOT, "mandelbrot %dx%d, %d iterations, %d processors, %s threads: "
                        + "best and median of %d timed runs after warm-up%n", picture.width(), picture.height(),
                Mandelbrot.ITERATIONS, processors, threads.name().toLowerCase(Locale.ROOT), runs);
        out.printf(Locale.ROOT, "%8s %12s %12s %9s %11s%n", "workers", "best", "median", "speedup", "efficiency");
        var base = results.getFirst();
        for (var r : results) {
            double speedup = r.speedupOver(base);
            out.printf(Locale.ROOT, "%8d %12s %12s %8.2fx %10.0f%%%n",
                    r.workers, millis(r.bestNanos), millis(r.medianNanos), speedup, 100 * speedup / r.workers);
        }
        var fastest = fastest(results);
        var optimal = optimal(results);
        out.printf(Locale.ROOT, "fastest: %s, %s, %.2fx the speed of 1 worker%n",
                workers(fastest.workers), millis(fastest.bestNanos), fastest.speedupOver(base));
        out.printf(Locale.ROOT, "optimal: %s, the fewest within %.0f%% of the fastest%n",
                workers(optimal.workers), 100 * TOLERANCE);
        if (othersShare > BUSY) {
            out.printf(Locale.ROOT, "warning: other programs used %.0f%% of the processors while the bench ran,"
                    + " so the speedups are understated%n", 100 * othersShare);
        }
        out.flush();
    }

    private static String workers(int n) {
        return n == 1 ? "1 worker" : n + " workers";
    }

    static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }

    /**
     * The answer as a picture: speedup against workers on a log scale, beside the ideal, which
     * rises with the workers until they fill the processors and stays flat after that.
     */
    BufferedImage chart(List<Result> results) {
        try {
            return draw(results);
        } catch (OutOfMemoryError | StackOverflowError e) {
            throw e;
        } catch (Error e) { // Java2D without fonts or freetype fails with an Error, not an exception
            throw new ToolException("cannot draw the chart: " + e.getMessage()
                    + " (are fonts installed? e.g. apt-get install fontconfig fonts-dejavu-core)", e);
        }
    }

    private BufferedImage draw(List<Result> results) {
        var axes = new Axes(results.getLast().workers, Math.max(processors,
                results.stream().mapToDouble(r -> r.speedupOver(results.getFirst())).max().orElse(1)));
        var image = new BufferedImage(Axes.WIDTH, Axes.HEIGHT, BufferedImage.TYPE_INT_RGB);
        var g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, Axes.WIDTH, Axes.HEIGHT);
            axes.draw(g, results);
            drawIdeal(g, axes, processors);
            drawMeasured(g, axes, results);
            g.setColor(Color.BLACK);
            g.drawString("mandelbrot %dx%d on %d processors: speedup over 1 worker (best of runs)"
                    .formatted(picture.width(), picture.height(), processors), Axes.LEFT, 22);
            g.setColor(MEASURED);
            g.drawString("\u2014 measured", Axes.WIDTH - 330, Axes.TOP - 12);
            g.setColor(Color.GRAY);
            g.drawString("- - ideal: min(workers, %d)".formatted(processors), Axes.WIDTH - 230, Axes.TOP - 12);
        } finally {
            g.dispose();
        }
        return image;
    }

    private static void drawIdeal(Graphics2D g, Axes axes, int processors) {
        var ideal = new Path2D.Double();
        ideal.moveTo(axes.x(1), axes.y(1));
        for (double n = 1; n <= axes.maxWorkers; n *= 1.05) { // y = n is a curve on a log x axis
            ideal.lineTo(axes.x(n), axes.y(Math.min(n, processors)));
        }
        ideal.lineTo(axes.x(axes.maxWorkers), axes.y(Math.min(axes.maxWorkers, processors)));
        g.setColor(Color.GRAY);
        g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1, new float[] {6, 4}, 0));
        g.draw(ideal);
    }

    private static void drawMeasured(Graphics2D g, Axes axes, List<Result> results) {
        var line = new Path2D.Double();
        int previous = 0;
        for (var r : results) {
            double s = r.speedupOver(results.getFirst());
            if (previous == 0 || r.workers > 4 * previous) { // nothing measured in a wide gap: no line
                line.moveTo(axes.x(r.workers), axes.y(s));
            } else {
                line.lineTo(axes.x(r.workers), axes.y(s));
            }
            previous = r.workers;
        }
        g.setColor(MEASURED);
        g.setStroke(new BasicStroke(2.5f));
        g.draw(line);
        for (var r : results) {
            double s = r.speedupOver(results.getFirst());
            int x = (int) axes.x(r.workers), y = (int) axes.y(s);
            g.fillOval(x - 4, y - 4, 8, 8);
            g.drawString(String.format(Locale.ROOT, "%.2fx", s), x - (r.workers == 1 ? 0 : 14), y - 10);
        }
    }

    /** Where a (workers, speedup) point lands: workers on a log-2 scale, speedup linear from 0. */
    private record Axes(int maxWorkers, double maxSpeedup) {
        static final int WIDTH = 800, HEIGHT = 480, LEFT = 70, RIGHT = 30, TOP = 50, BOTTOM = 60;

        double x(double workers) {
            double span = Math.max(1, Math.log(maxWorkers) / Math.log(2));
            return LEFT + Math.log(workers) / Math.log(2) / span * (WIDTH - LEFT - RIGHT);
        }

        double y(double speedup) {
            return HEIGHT - BOTTOM - speedup / top() * (HEIGHT - TOP - BOTTOM);
        }

        int top() {
            return (int) Math.ceil(maxSpeedup * 1.15);
        }

        void draw(Graphics2D g, List<Result> results) {
            g.setStroke(new BasicStroke(1));
            for (int s = 0; s <= top(); s++) {
                g.setColor(new Color(0xe0e0e0));
                g.drawLine(LEFT, (int) y(s), WIDTH - RIGHT, (int) y(s));
                g.setColor(Color.BLACK);
                g.drawString(s + "x", LEFT - 30, (int) y(s) + 5);
            }
            for (var r : results) {
                int x = (int) x(r.workers);
                g.setColor(new Color(0xe0e0e0));
                g.drawLine(x, TOP, x, HEIGHT - BOTTOM);
                g.setColor(Color.BLACK);
                var label = Integer.toString(r.workers);
                g.drawString(label, x - 4 * label.length(), HEIGHT - BOTTOM + 18);
            }
            g.drawString("workers (log scale)", WIDTH / 2 - 50, HEIGHT - 18);
            g.drawString("speedup", 8, TOP - 10);
        }
    }
}
