package gopl.mandelbrot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RendererTest {
    @ParameterizedTest(name = "{0} workers")
    @ValueSource(ints = {1, 2, 3, 7, 64, 500})
    void deliversEveryRowOnceInOrderWithTheRightPixels(int workers) throws Exception {
        var picture = new Mandelbrot(97, 301);
        var seen = new ArrayList<Integer>();
        Renderer.render(picture, workers, (py, pixels) -> {
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
        Renderer.render(new Mandelbrot(5, 3), 64, (py, pixels) -> rows.add(py));
        assertThat(rows).containsExactly(0, 1, 2);
        assertNoWorkersLeft();
    }

    @Test
    void aFailingSinkStopsTheWorkersAndPassesTheErrorOn() {
        List<Integer> rows = new ArrayList<>();
        assertThatThrownBy(() -> Renderer.render(new Mandelbrot(64, 2000), 4, (py, pixels) -> {
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

    private static void assertNoWorkersLeft() {
        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(t -> t.getName().startsWith("mandelbrot-worker-") && t.isAlive());
    }
}
