package gopl.mandelbrot;

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
 * goroutines?") by timing the render for several worker counts on this machine, with the scalar
 * loop and, where the JVM has it, the SIMD loop. Rows go to a sink that drops them, so the
 * figures are the parallel loop, not PNG compression or the disk.
 *
 * <p>Honest figures on a shared machine: the JIT is warmed up first, every loop and count is timed
 * in interleaved rounds (a burst of load elsewhere hits them all alike), and speedups compare the
 * best run of each, because noise from other processes only ever adds time. The median beside it
 * shows how much the runs spread.
 */
record Bench(List<Picture> loops, int processors, int runs, Renderer.Threads threads) {
    /** How close to the fastest time a smaller worker count may come and be called optimal. */
    static final double TOLERANCE = 0.03;
    /** The share of the processors that other programs may take before the figures are suspect. */
    static final double BUSY = 0.10;

    /** The timings of one loop on one worker count. */
    record Result(String loop, int workers, long bestNanos, long medianNanos) {
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

    /**
     * Times {@code runs} renders of every loop on every worker count, after a warm-up; reports each
     * step. The results come worker count by worker count, the loops in their order within each.
     */
    List<Result> measure(List<Integer> counts, Consumer<String> progress) throws IOException, InterruptedException {
        progress.accept("warming up");
        warmUp();
        record Case(Picture loop, int workers) {}
        var cases = new ArrayList<Case>();
        for (int workers : counts) {
            for (var loop : loops) {
                cases.add(new Case(loop, workers));
                time(loop, workers);
            }
        }
        var nanos = new long[cases.size()][runs];
        for (int run = 0; run < runs; run++) {
            for (int i = 0; i < cases.size(); i++) {
                var c = cases.get(i);
                progress.accept("run " + (run + 1) + "/" + runs + ": " + c.loop.loop() + ", " + workers(c.workers));
                nanos[i][run] = time(c.loop, c.workers);
            }
        }
        var results = new ArrayList<Result>();
        for (int i = 0; i < cases.size(); i++) {
            Arrays.sort(nanos[i]);
            results.add(new Result(cases.get(i).loop.loop(), cases.get(i).workers, nanos[i][0], nanos[i][runs / 2]));
        }
        return results;
    }

    /** Each loop on 1 worker, 3 times and at least a second, at most 200 times: the JIT at its best. */
    private void warmUp() throws IOException, InterruptedException {
        for (var loop : loops) {
            long start = System.nanoTime();
            for (int i = 0; i < 3 || System.nanoTime() - start < 1_000_000_000L && i < 200; i++) {
                time(loop, 1);
            }
        }
    }

    private long time(Picture loop, int workers) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Renderer.render(loop, workers, threads, (py, pixels) -> {});
        return System.nanoTime() - start;
    }

    /** The results of one loop, by worker count. */
    static List<Result> of(List<Result> results, String loop) {
        return results.stream().filter(r -> r.loop.equals(loop)).toList();
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
     * The table, then the fastest and the optimal count of the last loop (the one the tool uses),
     * as plain text for people and scripts, and a warning when other programs kept the
     * processors busy ({@code othersShare}, NaN if unknown): then no worker count can show the
     * real speedup. With two loops, the last column is the SIMD loop's speed over the scalar one
     * on the same number of workers.
     */
    void print(PrintWriter out, List<Result> results, double othersShare) {
        var picture = loops.getFirst();
        out.printf(Locale.ROOT, "mandelbrot %dx%d, %d iterations, %d processors, %s threads: "
                        + "best and median of %d timed runs after warm-up%n", picture.width(), picture.height(),
                Mandelbrot.ITERATIONS, processors, threads.name().toLowerCase(Locale.ROOT), runs);
        out.printf(Locale.ROOT, "%8s  %-14s %11s %11s %9s %11s%s%n", "workers", "loop", "best", "median", "speedup",
                "efficiency", loops.size() > 1 ? "  vs scalar" : "");
        for (var r : results) {
            var own = of(results, r.loop);
            double speedup = r.speedupOver(own.getFirst());
            var scalar = of(results, loops.getFirst().loop()).stream().filter(s -> s.workers == r.workers).findFirst();
            var gain = r.loop.equals(loops.getFirst().loop()) ? ""
                    : String.format(Locale.ROOT, " %9.2fx", r.speedupOver(scalar.orElseThrow()));
            out.printf(Locale.ROOT, "%8d  %-14s %11s %11s %8.2fx %10.0f%%%s%n", r.workers, r.loop,
                    millis(r.bestNanos), millis(r.medianNanos), speedup, 100 * speedup / r.workers, gain);
        }
        var used = of(results, loops.getLast().loop());
        var fastest = fastest(used);
        var optimal = optimal(used);
        var which = loops.size() > 1 ? " (" + fastest.loop + ")" : "";
        out.printf(Locale.ROOT, "fastest%s: %s, %s, %.2fx the speed of 1 worker%n", which,
                workers(fastest.workers), millis(fastest.bestNanos), fastest.speedupOver(used.getFirst()));
        out.printf(Locale.ROOT, "optimal%s: %s, the fewest within %.0f%% of the fastest%n", which,
                workers(optimal.workers), 100 * TOLERANCE);
        if (othersShare > BUSY) {
            out.printf(Locale.ROOT, "warning: other programs used %.0f%% of the processors while the bench ran,"
                    + " so the speedups are understated%n", 100 * othersShare);
        }
        out.flush();
    }

    static String workers(int n) {
        return n == 1 ? "1 worker" : n + " workers";
    }

    static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }
}
