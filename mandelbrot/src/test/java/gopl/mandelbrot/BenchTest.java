package gopl.mandelbrot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchTest {
    @Test
    void countsDoubleUpToFourTimesTheProcessorsThenOnePerRow() {
        assertThat(Bench.workerCounts(2, 4096, null)).containsExactly(1, 2, 4, 8, 4096);
        assertThat(Bench.workerCounts(6, 4096, null)).containsExactly(1, 2, 4, 6, 8, 12, 16, 24, 4096);
        assertThat(Bench.workerCounts(2, 4096, 3)).containsExactly(1, 2, 3, 4, 8, 4096);
        assertThat(Bench.workerCounts(8, 10, null)).containsExactly(1, 2, 4, 8, 10);
        assertThat(Bench.workerCounts(4, 1, null)).containsExactly(1);
    }

    @Test
    void optimalIsTheFewestWorkersWithinThreePercentOfTheFastest() {
        var results = List.of(result(1, 1000), result(2, 505), result(4, 500), result(8, 520), result(64, 700));
        assertThat(Bench.fastest(results).workers()).isEqualTo(4);
        assertThat(Bench.optimal(results).workers()).isEqualTo(2);
        assertThat(results.get(1).speedupOver(results.getFirst())).isCloseTo(1.98, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void printsTheTableAndWarnsWhenTheMachineWasBusy() {
        var results = List.of(result(1, 1000), result(2, 505), result(4, 500), result(4096, 2000));
        var text = new StringWriter();
        new Bench(List.of(new Mandelbrot(4096, 4096)), 2, 5, Renderer.Threads.PLATFORM)
                .print(new PrintWriter(text), results, 0.05);
        assertThat(text.toString()).isEqualTo("""
                mandelbrot 4096x4096, 200 iterations, 2 processors, platform threads: best and median of 5 timed runs after warm-up
                 workers  loop                  best      median   speedup  efficiency
                       1  scalar           1000.0 ms   1100.0 ms     1.00x        100%
                       2  scalar            505.0 ms    555.5 ms     1.98x         99%
                       4  scalar            500.0 ms    550.0 ms     2.00x         50%
                    4096  scalar           2000.0 ms   2200.0 ms     0.50x          0%
                fastest: 4 workers, 500.0 ms, 2.00x the speed of 1 worker
                optimal: 2 workers, the fewest within 3% of the fastest
                """);
        text.getBuffer().setLength(0);
        new Bench(List.of(new Mandelbrot(64, 64)), 2, 5, Renderer.Threads.VIRTUAL)
                .print(new PrintWriter(text), results, 0.35);
        assertThat(text.toString()).startsWith("mandelbrot 64x64, 200 iterations, 2 processors, virtual threads: ");
        assertThat(text.toString().lines().toList().getLast())
                .isEqualTo("warning: other programs used 35% of the processors while the bench ran,"
                        + " so the speedups are understated");
    }

    @Test
    void withTwoLoopsTheTableComparesThemOnEachWorkerCountAndNamesTheOptimalSimdCount() {
        var results = List.of(result(1, 1000), simd(1, 200, 210), result(2, 505), simd(2, 100, 101),
                result(4, 500), simd(4, 99, 100));
        var text = new StringWriter();
        var simd = new Picture() { // the table only asks a loop its name and size
            public int width() { return 4096; }
            public int height() { return 4096; }
            public void renderRow(int py, byte[] row) { throw new AssertionError("not rendered"); }
            public String loop() { return "SIMD, 8 lanes"; }
        };
        new Bench(List.of(new Mandelbrot(4096, 4096), simd), 2, 5, Renderer.Threads.PLATFORM)
                .print(new PrintWriter(text), results, 0);
        assertThat(text.toString()).isEqualTo("""
                mandelbrot 4096x4096, 200 iterations, 2 processors, platform threads: best and median of 5 timed runs after warm-up
                 workers  loop                  best      median   speedup  efficiency  vs scalar
                       1  scalar           1000.0 ms   1100.0 ms     1.00x        100%
                       1  SIMD, 8 lanes     200.0 ms    210.0 ms     1.00x        100%      5.00x
                       2  scalar            505.0 ms    555.5 ms     1.98x         99%
                       2  SIMD, 8 lanes     100.0 ms    101.0 ms     2.00x        100%      5.05x
                       4  scalar            500.0 ms    550.0 ms     2.00x         50%
                       4  SIMD, 8 lanes      99.0 ms    100.0 ms     2.02x         51%      5.05x
                fastest (SIMD, 8 lanes): 4 workers, 99.0 ms, 2.02x the speed of 1 worker
                optimal (SIMD, 8 lanes): 2 workers, the fewest within 3% of the fastest
                """);
    }

    @Test
    void tellsTheCpuOtherProgramsUsedFromTheMachinesAndOurOwnCpuTime() {
        if (Files.isReadable(Path.of("/proc/stat"))) {
            var sample = Bench.CpuUse.now();
            assertThat(sample.machineNanos()).isPositive();
            assertThat(Bench.CpuUse.now().machineNanos()).isGreaterThanOrEqualTo(sample.machineNanos());
        }
        var fake = new Bench.CpuUse(0, 0, 0);
        assertThat(fake.othersShare(new Bench.CpuUse(3_000_000_000L, 1_000_000_000L, 1_000_000_000L), 2)).isEqualTo(1.0);
        assertThat(fake.othersShare(new Bench.CpuUse(1_500_000_000L, 1_000_000_000L, 1_000_000_000L), 2)).isEqualTo(0.25);
        assertThat(new Bench.CpuUse(-1, 0, 0).othersShare(fake, 2)).isNaN();
    }

    private static Bench.Result simd(int workers, long bestMillis, long medianMillis) {
        return new Bench.Result("SIMD, 8 lanes", workers, bestMillis * 1_000_000, medianMillis * 1_000_000);
    }

    private static Bench.Result result(int workers, long millis) {
        return new Bench.Result("scalar", workers, millis * 1_000_000, millis * 1_100_000);
    }
}
