package gopl.mandelbrot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import gopl.common.Cli;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MandelbrotCommandTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream png = new ByteArrayOutputStream();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        png.reset();
        out.reset();
        err.reset();
        return Cli.run(new MandelbrotCommand(png), new PrintStream(out, true), new PrintStream(err, true), args);
    }

    static BufferedImage decode(byte[] bytes) throws IOException {
        var image = ImageIO.read(new ByteArrayInputStream(bytes));
        assertThat(image).as("a PNG that ImageIO can read").isNotNull();
        return image;
    }

    @Test
    void writesTheBooksPictureToStandardOutputByDefault() throws IOException {
        assertThat(run()).isZero();
        var image = decode(png.toByteArray());
        assertThat(image.getWidth()).isEqualTo(1024);
        assertThat(image.getHeight()).isEqualTo(1024);
        assertThat(image.getType()).isEqualTo(BufferedImage.TYPE_BYTE_GRAY);
        var raster = image.getRaster();
        assertThat(raster.getSample(0, 0, 0)).isEqualTo(255); // z = -2-2i
        assertThat(raster.getSample(512, 512, 0)).isEqualTo(0); // z = 0
        assertThat(raster.getSample(768, 512, 0)).isEqualTo(225); // z = 1
        assertThat(raster.getSample(640, 512, 0)).isEqualTo(195); // z = 0.5
        assertThat(out.size() + err.size()).as("nothing but the PNG").isZero();
    }

    @Test
    void everyPixelOfAnOddSizedImageDecodesToTheRenderedValue() throws IOException {
        assertThat(run("--width", "301", "-height", "67", "--workers", "3")).isZero();
        var image = decode(png.toByteArray());
        assertThat(image.getWidth()).isEqualTo(301);
        assertThat(image.getHeight()).isEqualTo(67);
        var picture = new Mandelbrot(301, 67);
        var row = new byte[301];
        for (int py = 0; py < 67; py++) {
            picture.renderRow(py, row);
            for (int px = 0; px < 301; px++) {
                assertThat(image.getRaster().getSample(px, py, 0)).isEqualTo(row[px] & 0xFF);
            }
        }
    }

    @Test
    void bytesAreTheSameForEveryWorkerCount() {
        assertThat(run("--workers", "1")).isZero();
        var one = png.toByteArray();
        for (var workers : new String[] {"2", "7", "64"}) {
            assertThat(run("-workers", workers)).isZero();
            assertThat(png.toByteArray()).as("%s workers", workers).isEqualTo(one);
        }
        assertThat(run("--workers", "7", "--threads", "virtual")).isZero();
        assertThat(png.toByteArray()).as("virtual threads").isEqualTo(one);
    }

    @Test
    void theSimdLoopAndTheScalarLoopWriteTheSameBytes() {
        // 2100x2100 is past the size where auto picks SIMD; rows switch loops once it is warm.
        for (var size : new String[] {"2100", "333"}) {
            assertThat(run("--width", size, "--height", size, "--simd", "off")).isZero();
            var scalar = png.toByteArray();
            for (var simd : new String[] {"on", "auto"}) {
                assertThat(run("--width", size, "--height", size, "--simd", simd, "--workers", "3")).isZero();
                assertThat(png.toByteArray()).as("--simd %s at %s", simd, size).isEqualTo(scalar);
            }
        }
    }

    @Test
    void aOnePixelImageIsAValidPng() throws IOException {
        assertThat(run("--width", "1", "--height", "1")).isZero();
        var image = decode(png.toByteArray());
        assertThat(image.getRaster().getSample(0, 0, 0)).isEqualTo(255); // z = -2-2i
    }

    @Test
    void outputFileIsTheSameAsStandardOutput() throws IOException {
        var file = dir.resolve("m.png");
        Files.writeString(file, "an older picture");
        assertThat(run("--width", "200", "--height", "100", "-o", file.toString())).isZero();
        var written = Files.readAllBytes(file);
        assertThat(run("--width", "200", "--height", "100")).isZero();
        assertThat(written).isEqualTo(png.toByteArray());
        try (var files = Files.list(dir)) {
            assertThat(files).as("no partial file left behind").containsExactly(file);
        }
    }

    @Test
    void replacingAFileKeepsItsPermissionsAndTheLinksToIt() throws IOException {
        var real = dir.resolve("real.png");
        Files.writeString(real, "old");
        Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("rw-------"));
        var link = Files.createSymbolicLink(dir.resolve("link.png"), real.getFileName());
        assertThat(run("--width", "8", "--height", "8", "-o", link.toString())).isZero();
        assertThat(Files.isSymbolicLink(link)).as("still a link").isTrue();
        assertThat(decode(Files.readAllBytes(real)).getWidth()).isEqualTo(8);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(real))).isEqualTo("rw-------");
    }

    @Test
    void aPipeIsWrittenToNotReplaced() throws Exception {
        var fifo = dir.resolve("pipe");
        assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "needs mkfifo");
        var received = new CompletableFuture<byte[]>();
        Thread.ofVirtual().start(() -> {
            try {
                received.complete(Files.readAllBytes(fifo));
            } catch (IOException e) {
                received.completeExceptionally(e);
            }
        });
        assertThat(run("--width", "8", "--height", "8", "-o", fifo.toString())).isZero();
        assertThat(decode(received.get(30, TimeUnit.SECONDS)).getWidth()).isEqualTo(8);
        assertThat(Files.isRegularFile(fifo)).as("still a pipe").isFalse();
    }

    @Test
    void unwritableOutputIsOneLineAndExitOne() {
        var file = dir.resolve("no/such/dir/m.png");
        assertThat(run("-o", file.toString())).isEqualTo(1);
        assertThat(err()).isEqualTo("mandelbrot: cannot write " + file + ": No such file or directory\n");
        assertThat(run("-o", dir.toString())).isEqualTo(1);
        assertThat(err()).isEqualTo("mandelbrot: cannot write " + dir + ": Is a directory\n");
    }

    @Test
    void anUnwritableChartFailsBeforeTheBenchRuns() {
        var chart = dir.resolve("missing/chart.png");
        assertThat(run("--bench", "--plot", chart.toString())).isEqualTo(1);
        assertThat(err()).isEqualTo("mandelbrot: cannot write " + chart + ": No such file or directory\n");
        assertThat(out.size()).as("no table: nothing was timed").isZero();
    }

    @Test
    void dashMeansStandardOutput() throws IOException {
        assertThat(run("--width", "10", "--height", "10", "-o", "-")).isZero();
        assertThat(decode(png.toByteArray()).getWidth()).isEqualTo(10);
        assertThat(Files.exists(Path.of("-"))).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--width 0                | --width must be between 1 and 32768, not 0",
        "--height -5              | --height must be between 1 and 32768, not -5",
        "--width 40000            | --width must be between 1 and 32768, not 40000",
        "--workers 0              | --workers must be between 1 and 32768, not 0",
        "-workers -2              | --workers must be between 1 and 32768, not -2",
        "--workers many           | Invalid value for option '--workers'",
        "--height 1.5             | Invalid value for option '--height'",
        "--bench --runs 0         | --runs must be between 1 and 1000, not 0",
        "--bench -o x.png         | --bench writes no image",
        "--plot chart.png         | --plot and --runs only apply with --bench",
        "--runs 3                 | --plot and --runs only apply with --bench",
        "--colour                 | Unknown option: '--colour'",
        "--threads green          | Invalid value for option '--threads'",
        "--simd sometimes         | Invalid value for option '--simd'",
    })
    void badUsageIsOneLineAndExitTwo(String args, String message) {
        assertThat(run(args.trim().split("\\s+"))).isEqualTo(2);
        assertThat(err()).startsWith("mandelbrot: " + message).endsWith("(see mandelbrot --help)\n");
        assertThat(err().lines()).hasSize(1);
        assertThat(png.size()).isZero();
    }

    @Test
    void benchPrintsATableAndNamesTheBestCount() {
        assertThat(run("--bench", "--width", "64", "--height", "16", "--runs", "2")).isZero();
        var lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines.getFirst()).startsWith("mandelbrot 64x16, 200 iterations, ");
        assertThat(lines.get(1).split("\\s+"))
                .containsSubsequence("workers", "loop", "best", "median", "speedup", "efficiency", "vs", "scalar");
        assertThat(lines.get(2)).matches(" +1  scalar +[0-9.]+ ms +[0-9.]+ ms +1\\.00x +100%");
        // This JVM has the vector module: the SIMD loop runs too, and is compared with the scalar one.
        assertThat(lines.get(3)).matches(" +1  SIMD, \\d+ lanes +[0-9.]+ ms +[0-9.]+ ms +1\\.00x +100% +[0-9.]+x");
        assertThat(lines).anyMatch(line -> line.matches(" +16  scalar .*")); // one worker per row
        assertThat(lines).anyMatch(line -> line.matches("fastest \\(SIMD, \\d+ lanes\\): \\d+ workers?, "
                + "[0-9.]+ ms, [0-9.]+x the speed of 1 worker"));
        assertThat(lines).anyMatch(line -> line.matches("optimal \\(SIMD, \\d+ lanes\\): \\d+ workers?, "
                + "the fewest within 3% of the fastest"));
        assertThat(png.size()).as("no image").isZero();
    }

    @Test
    void benchWithSimdOffTimesTheScalarLoopAlone() {
        assertThat(run("--bench", "--width", "64", "--height", "16", "--runs", "1", "--simd", "off")).isZero();
        var text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).contains(" scalar ", "fastest: ").doesNotContain("SIMD", "vs scalar");
    }

    @Test
    void plotDrawsTheSpeedupChart() throws IOException {
        assumeTrue(fontsAvailable(), NO_FONTS);
        var chart = dir.resolve("speedup.png");
        var args = new String[] {"--bench", "--width", "32", "--height", "8", "--runs", "1", "--plot", chart.toString()};
        assertThat(run(args)).isZero();
        assertLooksLikeAChart(ImageIO.read(chart.toFile()));
    }

    /** 800x480, with the measured curve in its blue and dark text and axes. */
    static void assertLooksLikeAChart(BufferedImage image) {
        assertThat(image.getWidth()).isEqualTo(800);
        assertThat(image.getHeight()).isEqualTo(480);
        int blue = 0, dark = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y) & 0xFFFFFF;
                blue += rgb == 0x1f77b4 ? 1 : 0;
                dark += (rgb & 0xFF) < 64 && (rgb >> 8 & 0xFF) < 64 && (rgb >> 16) < 64 ? 1 : 0;
            }
        }
        assertThat(blue).as("pixels of the measured curve").isGreaterThan(100);
        assertThat(dark).as("pixels of text").isGreaterThan(500);
    }

    static final String NO_FONTS = "Java2D finds no fonts: apt-get install fontconfig fonts-dejavu-core";

    /** Whether Java2D can draw text here: a bare system without fonts makes it throw an Error. */
    static boolean fontsAvailable() {
        System.setProperty("java.awt.headless", "true");
        try {
            var g = new BufferedImage(10, 10, BufferedImage.TYPE_INT_RGB).createGraphics();
            g.drawString("x", 0, 9);
            g.dispose();
            return true;
        } catch (Error e) {
            return false;
        }
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
