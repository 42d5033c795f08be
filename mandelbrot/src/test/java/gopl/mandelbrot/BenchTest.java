package gopl.mandelbrot;

import static org.assertj.core.api.Assertions.assertThat;

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

    private static Bench.Result result(int workers, long millis) {
        return new Bench.Result(workers, millis * 1_000_000, millis * 1_100_000);
    }
}
