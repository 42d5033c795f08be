package gopl.mandelbrot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import gopl.common.testing.Eventually;
import gopl.common.testing.ToolProcess;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The real jar, end to end: files, standard output, exit statuses, and the book's Go program. */
class MandelbrotIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    /** Runs the jar with stdout going straight to a file: PNG bytes must not pass through text. */
    private Process start(File stdout, String... args) throws IOException {
        return new ProcessBuilder(ToolProcess.command(args))
                .redirectOutput(stdout)
                .redirectError(dir.resolve("stderr.txt").toFile())
                .start();
    }

    private int run(File stdout, String... args) throws Exception {
        var process = start(stdout, args);
        assertThat(process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("exits in time").isTrue();
        return process.exitValue();
    }

    private String stderr() throws IOException {
        return Files.readString(dir.resolve("stderr.txt"));
    }

    @Test
    void writesTheBooksPictureToStandardOutput() throws Exception {
        var png = dir.resolve("book.png").toFile();
        assertThat(run(png)).isZero();
        var image = ImageIO.read(png);
        assertThat(image.getWidth()).isEqualTo(1024);
        assertThat(image.getHeight()).isEqualTo(1024);
        assertThat(image.getRaster().getSample(0, 0, 0)).isEqualTo(255); // z = -2-2i escapes at once
        assertThat(image.getRaster().getSample(0, 512, 0)).isEqualTo(0); // z = -2 stays on |v| = 2
        assertThat(image.getRaster().getSample(768, 512, 0)).isEqualTo(225); // z = 1 escapes at n = 2
        assertThat(stderr()).isEmpty();
    }

    @Test
    void bytesAreTheSameFor1And2And7And64WorkersAndForOutputFiles() throws Exception {
        var one = dir.resolve("1.png");
        assertThat(run(one.toFile(), "--workers", "1")).isZero();
        for (var workers : List.of("2", "7", "64")) {
            var file = dir.resolve(workers + ".png");
            assertThat(run(dir.resolve("unused").toFile(), "-workers", workers, "-o", file.toString())).isZero();
            assertThat(Files.readAllBytes(file)).as("%s workers", workers).isEqualTo(Files.readAllBytes(one));
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--width 0        | mandelbrot: --width must be between 1 and 32768, not 0",
        "-height -1       | mandelbrot: --height must be between 1 and 32768, not -1",
        "--width 99999    | mandelbrot: --width must be between 1 and 32768, not 99999",
        "--workers 0      | mandelbrot: --workers must be between 1 and 32768, not 0",
        "--workers x      | mandelbrot: Invalid value for option '--workers'",
        "--bench -o a.png | mandelbrot: --bench writes no image",
        "extra            | mandelbrot: Unmatched argument at index 0: 'extra'",
    })
    void badUsageIsOneLineOnStderrAndExitTwo(String args, String message) throws Exception {
        var out = dir.resolve("out").toFile();
        assertThat(run(out, args.trim().split("\\s+"))).isEqualTo(2);
        assertThat(stderr()).startsWith(message).endsWith("(see mandelbrot --help)\n");
        assertThat(stderr().lines()).hasSize(1);
        assertThat(out).isEmpty();
    }

    @Test
    void aClosedPipeIsOneLineAndExitOne() throws Exception {
        var process = new ProcessBuilder(ToolProcess.command("--width", "4096", "--height", "4096"))
                .redirectError(dir.resolve("stderr.txt").toFile())
                .start();
        process.getInputStream().close(); // like `mandelbrot | head -c 0`
        assertThat(process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(1);
        assertThat(stderr()).isEqualTo("mandelbrot: cannot write to standard output: Broken pipe\n");
    }

    @Test
    void anInterruptedRunLeavesTheOldFileAndNoPartialOne() throws Exception {
        var file = dir.resolve("m.png");
        Files.writeString(file, "the old picture");
        try (var tool = ToolProcess.start("--width", "16384", "--height", "16384", "--workers", "1", "-o", file.toString())) {
            Eventually.eventually(TIMEOUT, "a partial file beside the target", () -> !partialsQuietly().isEmpty());
            assertThat(partials()).as("the render writes beside the target").hasSize(1);
            tool.sendInterrupt();
            var result = tool.waitFor(TIMEOUT);
            assertThat(result.exitCode()).isEqualTo(130);
        }
        assertThat(Files.readString(file)).isEqualTo("the old picture");
        assertThat(partials()).isEmpty();
    }

    private List<Path> partials() throws IOException {
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".part")).toList();
        }
    }

    private List<Path> partialsQuietly() {
        try {
            return partials();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void refusesToWriteAPngToATerminal() throws Exception {
        assumeTrue(new File("/usr/bin/script").canExecute(), "needs script(1) from util-linux for a terminal");
        var command = String.join(" ", ToolProcess.command()) + " --width 8 --height 8";
        var terminal = dir.resolve("terminal.txt").toFile();
        var process = new ProcessBuilder("/usr/bin/script", "-qec", command, "/dev/null")
                .redirectOutput(terminal)
                .redirectErrorStream(true)
                .start();
        assertThat(process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(Files.readString(terminal.toPath())).contains("mandelbrot: refusing to write a PNG to a terminal")
                .doesNotContain("PNG\r\n");
    }

    @Test
    void benchPrintsTheTableAndDrawsTheChart() throws Exception {
        assumeTrue(MandelbrotCommandTest.fontsAvailable(), MandelbrotCommandTest.NO_FONTS);
        var chart = dir.resolve("speedup.png");
        var result = ToolProcess.run(TIMEOUT, new byte[0],
                "--bench", "--width", "128", "--height", "32", "--runs", "2", "--plot", chart.toString());
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).contains("speedup", "efficiency", "fastest: ", "optimal: ");
        assertThat(result.stdout().lines().filter(line -> line.matches(" +\\d+  scalar +[0-9.]+ ms .*"))).hasSizeGreaterThan(2);
        MandelbrotCommandTest.assertLooksLikeAChart(ImageIO.read(chart.toFile()));
    }

    @Test
    void withoutTheVectorModuleSimdOnIsOneLineAndExitOne() throws Exception {
        var out = dir.resolve("out").toFile();
        assertThat(run(out, "--simd", "on", "--width", "8", "--height", "8")).isEqualTo(1);
        assertThat(stderr()).isEqualTo("mandelbrot: --simd on: this JVM runs without jdk.incubator.vector"
                + " (start it with --add-modules jdk.incubator.vector, as bin/mandelbrot does)\n");
        assertThat(out).isEmpty();
    }

    /** Runs bin/mandelbrot as a user would, its stdout and stderr going to files. */
    private int launch(File stdout, String... args) throws Exception {
        var command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command)
                .redirectOutput(stdout)
                .redirectError(dir.resolve("stderr.txt").toFile());
        builder.environment().remove("GOPL_JAVA_OPTS"); // the launcher's own JVM options
        var process = builder.start();
        assertThat(process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("exits in time").isTrue();
        return process.exitValue();
    }

    private static final Path LAUNCHER = Path.of("../bin/mandelbrot").toAbsolutePath().normalize();

    @Test
    void theLauncherRunsTheSimdLoopAndHidesTheJvmsIncubatorWarning() throws Exception {
        var table = dir.resolve("bench.txt");
        assertThat(launch(table.toFile(), "--bench", "--width", "64", "--height", "16", "--runs", "1")).isZero();
        assertThat(Files.readString(table)).contains("  SIMD, ", "vs scalar");
        assertThat(stderr()).as("no WARNING: Using incubator modules").isEmpty();
        // The same bytes as the jar's scalar loop, which the Go comparison below ties to the book.
        var simd = dir.resolve("simd.png");
        assertThat(launch(dir.resolve("unused").toFile(), "--simd", "on", "--width", "1000", "--height", "600",
                "-o", simd.toString())).isZero();
        assertThat(stderr()).isEmpty();
        var scalar = dir.resolve("scalar.png");
        assertThat(run(scalar.toFile(), "--width", "1000", "--height", "600")).isZero();
        assertThat(Files.readAllBytes(simd)).isEqualTo(Files.readAllBytes(scalar));
    }

    @Test
    void throughTheLauncherErrorsStillReachStderrWhole() throws Exception {
        var usage = "mandelbrot: --width must be between 1 and 32768, not 0 (see mandelbrot --help)\n";
        // A file: the real stderr is put back before the first write, so nothing comes late.
        assertThat(launch(dir.resolve("out").toFile(), "--width", "0")).isEqualTo(2);
        assertThat(stderr()).isEqualTo(usage);
        // A pipe keeps the filter, whose output the reader gets before the end of the stream.
        var builder = new ProcessBuilder(LAUNCHER.toString(), "--width", "0");
        builder.environment().remove("GOPL_JAVA_OPTS");
        var process = builder.start();
        var err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(err).isEqualTo(usage);
    }

    @Test
    void throughTheLauncherATerminalOnStderrStillGetsTheProgressLine() throws Exception {
        assumeTrue(new File("/usr/bin/script").canExecute(), "needs script(1) from util-linux for a terminal");
        var png = dir.resolve("big.png");
        var command = LAUNCHER + " --width 4096 --height 4096 --workers 1 --simd off -o " + png;
        var terminal = dir.resolve("terminal.txt").toFile();
        var builder = new ProcessBuilder("/usr/bin/script", "-qec", command, "/dev/null")
                .redirectOutput(terminal)
                .redirectErrorStream(true);
        builder.environment().remove("GOPL_JAVA_OPTS");
        var process = builder.start();
        assertThat(process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        assertThat(Files.readString(terminal.toPath())).contains("rendering").doesNotContain("WARNING");
        assertThat(ImageIO.read(png.toFile()).getWidth()).isEqualTo(4096);
    }

    @Test
    void aStderrDescriptorThatIsNotTheOneNamedIsLeftAlone() throws Exception {
        // Descriptor 3 is whatever the JVM opened there (ProcessBuilder passes no 3): closing it
        // crashed the JVM (SIGSEGV, exit 139) before restore() checked the device and inode.
        var command = List.of(ProcessHandle.current().info().command().orElse("java"),
                "-D" + StartupStderr.FD + "=3", "-D" + StartupStderr.ID + "=1:2", "--enable-native-access=ALL-UNNAMED",
                "-jar", ToolProcess.jar().toString(), "--width", "2100", "--height", "2100");
        var png = dir.resolve("m.png").toFile();
        var process = new ProcessBuilder(command).redirectOutput(png)
                .redirectError(dir.resolve("stderr.txt").toFile()).start();
        assertThat(process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        assertThat(stderr()).isEmpty();
        assertThat(ImageIO.read(png).getWidth()).isEqualTo(2100);
    }

    @Test
    void everyPixelMatchesTheBooksGoProgram() throws Exception {
        assumeTrue(onPath("go"), "needs Go (apt-get install golang-go) to run the book's program");
        for (var size : List.of(new int[] {1024, 1024}, new int[] {1000, 600})) {
            var book = dir.resolve("book-" + size[0] + ".png");
            var script = Path.of("bench/run.sh").toAbsolutePath().toString();
            var go = new ProcessBuilder("bash", script, "--book-png", "" + size[0], "" + size[1], book.toString())
                    .redirectErrorStream(true).start();
            var goOutput = new String(go.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(go.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(go.exitValue()).as(goOutput).isZero();
            var ours = dir.resolve("ours-" + size[0] + ".png");
            assertThat(run(ours.toFile(), "--width", "" + size[0], "--height", "" + size[1])).isZero();
            assertSamePixels(ImageIO.read(ours.toFile()), ImageIO.read(book.toFile()));
            var simd = dir.resolve("simd-" + size[0] + ".png"); // the launcher has the vector module
            assertThat(launch(simd.toFile(), "--simd", "on", "--width", "" + size[0], "--height", "" + size[1])).isZero();
            assertSamePixels(ImageIO.read(simd.toFile()), ImageIO.read(book.toFile()));
        }
    }

    /** Compares gray levels: the book writes RGB with r = g = b, we write one gray channel. */
    private static void assertSamePixels(BufferedImage ours, BufferedImage book) {
        assertThat(ours.getWidth()).isEqualTo(book.getWidth());
        assertThat(ours.getHeight()).isEqualTo(book.getHeight());
        var differences = new ArrayList<String>();
        for (int y = 0; y < book.getHeight(); y++) {
            for (int x = 0; x < book.getWidth(); x++) {
                int want = book.getRaster().getSample(x, y, 0), got = ours.getRaster().getSample(x, y, 0);
                if (want != got) {
                    differences.add("(%d,%d): Go %d, ours %d".formatted(x, y, want, got));
                }
            }
        }
        assertThat(differences).as("pixels that differ from Go's, %dx%d", book.getWidth(), book.getHeight()).isEmpty();
    }

    private static boolean onPath(String program) {
        var path = System.getenv("PATH");
        return path != null && java.util.Arrays.stream(path.split(File.pathSeparator))
                .anyMatch(d -> Files.isExecutable(Path.of(d, program)));
    }
}
