package gopl.mandelbrot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static gopl.mandelbrot.Renderer.Threads.PLATFORM;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RendererTest {
    @ParameterizedTest(name = "{0} workers on {1} threads")
    @CsvSource({"1, PLATFORM", "2, PLATFORM", "3, PLATFORM", "7, PLATFORM", "64, PLATFORM", "500, PLATFORM",
        "1, VIRTUAL", "7, VIRTUAL", "500, VIRTUAL"})
    void deliversEveryRowOnceInOrderWithTheRightPixels(int workers, Renderer.Threads kind) throws Exception {
        var picture = new Mandelbrot(97, 301);
        var seen = new ArrayList<Integer>();
        Renderer.render(picture, workers, kind, (py, pixels) -> {
            seen.add(py);
            var expected = new byte[picture.width()];
            picture.renderRow(py, expected);
            assertThat(pixels).as("row %d", py).isEqualTo(expected);
        });
        assertThat(seen).hasSize(301).isSorted().doesNotHaveDuplicates();
        assertNoWorkersLeft();
    }

    @Test
    void moreWorkersThanRowsIsFine() throws Exception {
        var rows = new ArrayList<Integer>();
        Renderer.render(new Mandelbrot(5, 3), 64, PLATFORM, (py, pixels) -> rows.add(py));
        assertThat(rows).containsExactly(0, 1, 2);
        assertNoWorkersLeft();
    }

    @Test
    void aFailingSinkStopsTheWorkersAndPassesTheErrorOn() {
        List<Integer> rows = new ArrayList<>();
        assertThatThrownBy(() -> Renderer.render(new Mandelbrot(64, 2000), 4, PLATFORM, (py, pixels) -> {
                    if (py == 100) {
                        throw new IOException("Broken pipe");
                    }
                    rows.add(py);
                }))
                .isInstanceOf(IOException.class)
                .hasMessage("Broken pipe");
        assertThat(rows).hasSize(100);
        assertNoWorkersLeft();
    }

    /** Platform workers only: virtual threads do not show in {@code getAllStackTraces}. */
    private static void assertNoWorkersLeft() {
        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(t -> t.getName().startsWith("mandelbrot-worker-") && t.isAlive());
    }
}
