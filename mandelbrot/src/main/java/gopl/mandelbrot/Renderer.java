package gopl.mandelbrot;

import gopl.common.ToolException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The book's main loop, run in parallel (exercise 8.5): the calling thread sends bands of rows to
 * a fixed set of worker threads over a blocking queue, the book's channel, and hands the finished
 * rows to a {@link Sink} strictly top to bottom. Which worker renders which row never shows in
 * the output, so the bytes are the same for every worker count.
 *
 * <p>The workers are platform threads, one per requested worker. Rendering is pure computation:
 * a worker never blocks, so virtual threads would only add a scheduler hop on top of the same
 * carrier threads. What sets the speed is how many workers compute at once, and more of them
 * than there are processors only take turns. ({@code --threads virtual} lets the bench show it:
 * the same times, except that a virtual thread is cheaper to start, which shows only at one
 * worker per row.)
 */
final class Renderer {
    /** Rows per band aim at this many pixels: enough work to dwarf the cost of a hand-off. */
    private static final int BAND_PIXELS = 16 * 1024;
    /** Finished rows may wait for their turn up to this much memory (or 4 bands per worker). */
    private static final int WINDOW_BYTES = 8 << 20;

    /** The kind of thread the workers run on: platform, unless comparing. */
    enum Threads {
        PLATFORM,
        VIRTUAL
    }

    /** Receives the rows of the image in order, {@code py} = 0, 1, 2, ... */
    @FunctionalInterface
    interface Sink {
        void row(int py, byte[] pixels) throws IOException;
    }

    /** Rows {@code first} to {@code first + count - 1}; the future is the reply channel. */
    private record Band(int first, int count, CompletableFuture<byte[][]> pixels) {}

    private Renderer() {}

    /**
     * Renders {@code picture} with {@code workers} threads and feeds every row to {@code sink}.
     * Bands are small enough for every worker to get several (with one worker per row, a band is
     * a row), and only a bounded window of them is in flight: the loop waits for the oldest band
     * before sending another, so memory stays small however tall the image.
     */
    static void render(Picture picture, int workers, Threads kind, Sink sink)
            throws IOException, InterruptedException {
        int height = picture.height();
        int bandRows = Math.max(1, Math.min(BAND_PIXELS / picture.width(), height / (8 * workers)));
        int bands = (height + bandRows - 1) / bandRows;
        var queue = new LinkedBlockingQueue<Band>();
        var threads = startWorkers(picture, Math.min(workers, bands), kind, queue);
        try {
            int window = Math.max(4 * threads.size(), WINDOW_BYTES / (bandRows * picture.width()));
            var inFlight = new ArrayDeque<Band>();
            for (int first = 0; first < height; first += bandRows) {
                if (inFlight.size() >= window) {
                    deliver(inFlight.remove(), sink);
                }
                var band = new Band(first, Math.min(bandRows, height - first), new CompletableFuture<>());
                queue.put(band);
                inFlight.add(band);
            }
            while (!inFlight.isEmpty()) {
                deliver(inFlight.remove(), sink);
            }
        } finally {
            // Done or failed: workers wait in take() for bands that will never come.
            threads.forEach(Thread::interrupt);
            for (var thread : threads) {
                thread.join();
            }
        }
    }

    private static List<Thread> startWorkers(Picture picture, int count, Threads kind, BlockingQueue<Band> queue) {
        var threads = new ArrayList<Thread>(count);
        var factory = switch (kind) {
            case PLATFORM -> Thread.ofPlatform().name("mandelbrot-worker-", 1).daemon().factory();
            case VIRTUAL -> Thread.ofVirtual().name("mandelbrot-worker-", 1).factory();
        };
        try {
            for (int i = 0; i < count; i++) {
                threads.add(factory.newThread(() -> work(picture, queue)));
                threads.getLast().start();
            }
        } catch (OutOfMemoryError e) { // "unable to create native thread"
            threads.forEach(Thread::interrupt);
            throw new ToolException("cannot start " + count + " worker threads: " + e.getMessage(), e);
        }
        return threads;
    }

    /** One worker: the book's {@code for py := range rows} loop, ended by an interrupt. */
    private static void work(Picture picture, BlockingQueue<Band> queue) {
        try {
            while (true) {
                var band = queue.take();
                try {
                    var rows = new byte[band.count()][picture.width()];
                    for (int i = 0; i < rows.length; i++) {
                        picture.renderRow(band.first() + i, rows[i]);
                    }
                    band.pixels().complete(rows);
                } catch (RuntimeException | Error e) {
                    band.pixels().completeExceptionally(e); // the writer must not wait forever
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // asked to stop; the thread ends here
        }
    }

    private static void deliver(Band band, Sink sink) throws IOException, InterruptedException {
        try {
            var rows = band.pixels().get();
            for (int i = 0; i < rows.length; i++) {
                sink.row(band.first() + i, rows[i]);
            }
        } catch (ExecutionException e) {
            var cause = e.getCause();
            throw new IllegalStateException("worker failed on rows from " + band.first() + ": " + cause, cause);
        }
    }
}
