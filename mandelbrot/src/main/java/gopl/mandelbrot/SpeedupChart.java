package gopl.mandelbrot;

import gopl.common.ToolException;
import gopl.mandelbrot.Bench.Result;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/**
 * {@code --plot}: the bench's answer as a picture, speedup against workers on a log scale, beside
 * the ideal, which rises with the workers until they fill the processors and stays flat after
 * that. Each loop is measured against its own single worker; the loop the tool uses is drawn in
 * blue with its figures, the other (the scalar loop, when SIMD ran too) thinner in orange.
 */
record SpeedupChart(int width, int height, int processors) {
    private static final Color USED = new Color(0x1f77b4);
    private static final Color OTHER = new Color(0xff7f0e);

    /** The chart of {@code loops} (each a list of results by worker count), the one in use last. */
    BufferedImage draw(List<List<Result>> loops) {
        try {
            return render(loops);
        } catch (OutOfMemoryError | StackOverflowError e) {
            throw e;
        } catch (Error e) { // Java2D without fonts or freetype fails with an Error, not an exception
            throw new ToolException("cannot draw the chart: " + e.getMessage()
                    + " (are fonts installed? e.g. apt-get install fontconfig fonts-dejavu-core)", e);
        }
    }

    private BufferedImage render(List<List<Result>> loops) {
        var used = loops.getLast();
        double top = loops.stream()
                .flatMap(results -> results.stream().map(r -> r.speedupOver(results.getFirst())))
                .mapToDouble(Double::doubleValue).max().orElse(1);
        var axes = new Axes(used.getLast().workers(), Math.max(processors, top));
        var image = new BufferedImage(Axes.WIDTH, Axes.HEIGHT, BufferedImage.TYPE_INT_RGB);
        var g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, Axes.WIDTH, Axes.HEIGHT);
            axes.draw(g, used);
            drawIdeal(g, axes, processors);
            for (var results : loops) {
                drawMeasured(g, axes, results, results == used);
            }
            g.setColor(Color.BLACK);
            g.drawString("mandelbrot %dx%d on %d processors: speedup over 1 worker (best of runs)"
                    .formatted(width, height, processors), Axes.LEFT, 22);
            int legend = Axes.WIDTH - 230;
            g.setColor(Color.GRAY);
            g.drawString("- - ideal: min(workers, %d)".formatted(processors), legend, Axes.TOP - 12);
            for (var results : loops) {
                var name = "\u2014 " + results.getFirst().loop();
                legend -= g.getFontMetrics().stringWidth(name) + 20;
                g.setColor(results == used ? USED : OTHER);
                g.drawString(name, legend, Axes.TOP - 12);
            }
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

    private static void drawMeasured(Graphics2D g, Axes axes, List<Result> results, boolean used) {
        var line = new Path2D.Double();
        int previous = 0;
        for (var r : results) {
            double s = r.speedupOver(results.getFirst());
            if (previous == 0 || r.workers() > 4 * previous) { // nothing measured in a wide gap: no line
                line.moveTo(axes.x(r.workers()), axes.y(s));
            } else {
                line.lineTo(axes.x(r.workers()), axes.y(s));
            }
            previous = r.workers();
        }
        g.setColor(used ? USED : OTHER);
        g.setStroke(new BasicStroke(used ? 2.5f : 1.5f));
        g.draw(line);
        for (var r : results) {
            double s = r.speedupOver(results.getFirst());
            int x = (int) axes.x(r.workers()), y = (int) axes.y(s);
            int size = used ? 8 : 5;
            g.fillOval(x - size / 2, y - size / 2, size, size);
            if (used) {
                g.drawString(String.format(Locale.ROOT, "%.2fx", s), x - (r.workers() == 1 ? 0 : 14), y - 10);
            }
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
                int x = (int) x(r.workers());
                g.setColor(new Color(0xe0e0e0));
                g.drawLine(x, TOP, x, HEIGHT - BOTTOM);
                g.setColor(Color.BLACK);
                var label = Integer.toString(r.workers());
                g.drawString(label, x - 4 * label.length(), HEIGHT - BOTTOM + 18);
            }
            g.drawString("workers (log scale)", WIDTH / 2 - 50, HEIGHT - 18);
            g.drawString("speedup", 8, TOP - 10);
        }
    }
}
