package gopl.mandelbrot;

import gopl.common.Cli;
import gopl.common.IoErrors;
import gopl.common.ManifestVersion;
import gopl.common.StandardOptions;
import gopl.common.StatusLine;
import gopl.common.Terminal;
import gopl.common.ToolException;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code mandelbrot}: the book's picture as a PNG, its rows rendered by parallel workers. */
@Command(name = "mandelbrot", versionProvider = ManifestVersion.class, sortOptions = false,
        description = {
            "Renders the Mandelbrot picture of The Go Programming Language (section 3.3)",
            "as a grayscale PNG, its rows spread over worker threads (exercise 8.5). The",
            "output is the same byte for byte whatever the number of workers, and whether",
            "the SIMD loop computes 4 or 8 pixels at once. With --bench, times the render",
            "for several worker counts and names the best for this machine.",
            ""},
        footer = {"", "Examples:",
            "  mandelbrot -o mandelbrot.png                  the book's 1024x1024 picture",
            "  mandelbrot --width 4096 --height 4096 > big.png",
            "  mandelbrot --bench --width 4096 --height 4096 --plot speedup.png"})
public final class MandelbrotCommand implements Callable<Integer> {
    static final int MAX_SIZE = 32768;

    @Mixin
    StandardOptions standard;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Write the PNG to FILE, replaced only once complete (default, or -: standard output).")
    Path output;

    @Option(names = {"-width", "--width"}, paramLabel = "W", description = "Image width in pixels (default: 1024).")
    int width = 1024;

    @Option(names = {"-height", "--height"}, paramLabel = "H", description = "Image height in pixels (default: 1024).")
    int height = 1024;

    @Option(names = {"-workers", "--workers"}, paramLabel = "N",
            description = "Worker threads (default: the number of processors). With --bench, one more count to time.")
    Integer workers;

    @Option(names = {"-threads", "--threads"}, paramLabel = "KIND",
            description = "Run the workers on platform (default) or virtual threads, to compare.")
    Renderer.Threads threads = Renderer.Threads.PLATFORM;

    @Option(names = {"-simd", "--simd"}, paramLabel = "WHEN",
            description = {"Compute several pixels per instruction (the Vector API): auto (default: from "
                    + "2048x2048 pixels, once the JIT has compiled the SIMD loop, if the JVM has jdk.incubator.vector), "
                    + "on (every row), or off (the book's loop, a pixel at a time). The same bytes either way."})
    Simd simd = Simd.AUTO;

    @Option(names = {"-bench", "--bench"},
            description = "Time the render for 1, 2, 4, ... workers, with the scalar and the SIMD loop, "
                    + "print speedup and efficiency; writes no image.")
    boolean bench;

    @Option(names = {"-runs", "--runs"}, paramLabel = "N",
            description = "Timed runs per worker count with --bench (default: 5).")
    int runs = 5;

    @Option(names = {"-plot", "--plot"}, paramLabel = "FILE",
            description = "With --bench, draw speedup against workers as a PNG chart.")
    Path plot;

    @Spec
    CommandSpec spec;

    private final OutputStream stdout;
    private final boolean realStdout;

    public MandelbrotCommand() {
        // The raw descriptor, not System.out: a PrintStream would swallow a broken pipe.
        this(new FileOutputStream(FileDescriptor.out), true);
    }

    /** For tests: the PNG goes to {@code stdout} when there is no {@code -o}. */
    MandelbrotCommand(OutputStream stdout) {
        this(stdout, false);
    }

    private MandelbrotCommand(OutputStream stdout, boolean realStdout) {
        this.stdout = stdout;
        this.realStdout = realStdout;
    }

    public static void main(String[] args) {
        StartupStderr.restore();
        System.setProperty("java.awt.headless", "true"); // the --plot chart needs no display
        Cli.exit(new MandelbrotCommand(), args);
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (output != null && output.toString().equals("-")) {
            output = null;
        }
        validate();
        var book = new Mandelbrot(width, height);
        int processors = Runtime.getRuntime().availableProcessors();
        if (bench) {
            runBench(book, processors);
            return 0;
        }
        var picture = simd.picture(book);
        if (output == null) {
            try {
                render(picture, workers == null ? processors : workers, stdout);
                stdout.flush();
            } catch (IOException e) {
                throw new ToolException("cannot write to standard output: " + IoErrors.reason(e), e);
            }
        } else {
            writeAtomically(output, out -> render(picture, workers == null ? processors : workers, out));
        }
        return 0;
    }

    private void validate() {
        requireRange("--width", width, MAX_SIZE);
        requireRange("--height", height, MAX_SIZE);
        if (workers != null) {
            requireRange("--workers", workers, MAX_SIZE);
        }
        if (bench) {
            requireRange("--runs", runs, 1000);
            if (output != null) {
                throw usage("--bench writes no image; drop -o (use --plot FILE for the chart)");
            }
        } else if (plot != null || spec.commandLine().getParseResult().hasMatchedOption("--runs")) {
            throw usage("--plot and --runs only apply with --bench");
        } else if (output == null && realStdout && Terminal.stdoutIsTerminal()) {
            throw usage("refusing to write a PNG to a terminal; use -o FILE or redirect standard output");
        }
        for (var file : new Path[] {output, plot}) {
            checkWritable(file); // before the work, not after a long bench
        }
    }

    private static void checkWritable(Path file) {
        if (file == null) {
            return;
        }
        if (Files.isDirectory(file)) {
            throw new ToolException("cannot write " + file + ": Is a directory");
        }
        if (!Files.isDirectory(file.toAbsolutePath().getParent())) {
            throw new ToolException("cannot write " + file + ": No such file or directory");
        }
    }

    private void requireRange(String option, int value, int max) {
        if (value < 1 || value > max) {
            throw usage(option + " must be between 1 and " + max + ", not " + value);
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** Renders the picture into a PNG on {@code out}, with progress on a terminal's stderr. */
    private void render(Picture picture, int workerCount, OutputStream out)
            throws IOException, InterruptedException {
        var png = new PngWriter(out, picture.width(), picture.height());
        var written = new AtomicInteger();
        try (var _ = StatusLine.stderr(spec.commandLine().getErr()).refreshEvery(Duration.ofMillis(250),
                () -> "mandelbrot: rendering " + 100L * written.get() / picture.height() + "%")) {
            Renderer.render(picture, workerCount, threads, (py, pixels) -> {
                png.writeRow(pixels);
                written.incrementAndGet();
            });
        }
        png.finish();
    }

    private void runBench(Mandelbrot picture, int processors) throws IOException, InterruptedException {
        var bench = new Bench(simd.loops(picture), processors, runs, threads);
        var counts = Bench.workerCounts(processors, picture.height(), workers);
        var before = Bench.CpuUse.now();
        List<Bench.Result> results;
        try (var status = StatusLine.stderr(spec.commandLine().getErr())) {
            results = bench.measure(counts, step -> status.show("mandelbrot: " + step));
        }
        double othersShare = before.othersShare(Bench.CpuUse.now(), processors);
        bench.print(spec.commandLine().getOut(), results, othersShare);
        if (simd == Simd.AUTO && bench.loops().size() == 1) {
            spec.commandLine().getOut().println("SIMD loop not timed: " + Simd.unavailable());
        }
        if (plot != null) {
            var chart = new SpeedupChart(picture.width(), picture.height(), processors)
                    .draw(bench.loops().stream().map(loop -> Bench.of(results, loop.loop())).toList());
            writeAtomically(plot, out -> ImageIO.write(chart, "png", out));
        }
    }

    @FunctionalInterface
    private interface Writing {
        void to(OutputStream out) throws IOException, InterruptedException;
    }

    /**
     * Writes {@code target} through a hidden file beside it, renamed over the target only once
     * complete: an interrupted or failed run never leaves half a PNG or destroys the old one.
     */
    private static void writeAtomically(Path target, Writing writing) throws IOException, InterruptedException {
        checkWritable(target);
        try {
            if (Files.exists(target) && !Files.isRegularFile(target)) { // /dev/stdout, a pipe: nothing to replace
                try (var out = new BufferedOutputStream(Files.newOutputStream(target), 1 << 16)) {
                    writing.to(out);
                }
            } else { // through a symbolic link, replace the file it points to
                replace(Files.exists(target) ? target.toRealPath() : target.toAbsolutePath(), writing);
            }
        } catch (IOException e) {
            throw new ToolException("cannot write " + target + ": " + IoErrors.reason(e), e);
        }
    }

    private static void replace(Path file, Writing writing) throws IOException, InterruptedException {
        var partial = file.resolveSibling("." + file.getFileName() + "." + ProcessHandle.current().pid() + ".part");
        try {
            try (var out = new BufferedOutputStream(Files.newOutputStream(partial, StandardOpenOption.CREATE_NEW))) {
                partial.toFile().deleteOnExit(); // Ctrl-C: the shutdown hook removes it
                writing.to(out);
            }
            if (Files.exists(file)) { // the old file's permissions, not the defaults
                Files.setPosixFilePermissions(partial, Files.getPosixFilePermissions(file));
            }
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
    }
}
