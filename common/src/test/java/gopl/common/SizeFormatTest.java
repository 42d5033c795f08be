package gopl.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The size styles, the GNU ones checked against GNU du and numfmt on the same numbers. */
class SizeFormatTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({
        "0, 0, 0", "1, 1, 1", "999, 999, 999", "1000, 1000, 1.0k", "1001, 1001, 1.1k", "1023, 1023, 1.1k",
        "1024, 1.0K, 1.1k", "1025, 1.1K, 1.1k", "10239, 10K, 11k", "10240, 10K, 11k", "10241, 11K, 11k",
        "999999, 977K, 1.0M", "1048575, 1.0M, 1.1M", "1048576, 1.0M, 1.1M", "1073741823, 1.0G, 1.1G",
        "9223372036854775807, 8.0E, 9.3E",
    })
    void gnuStyles(long bytes, String human, String si) {
        assertThat(SizeFormat.human(bytes)).isEqualTo(human);
        assertThat(SizeFormat.si(bytes)).isEqualTo(si);
    }

    @ParameterizedTest
    @CsvSource({
        "3804640965202595020, 3.3E, 3.9E", "3804640965202595021, 3.4E, 3.9E",
        "1152921504606846975, 1.0E, 1.2E", "1152921504606846976, 1.0E, 1.2E", "1152921504606846977, 1.1E, 1.2E",
        "999999999999999999, 889P, 1.0E", "1000000000000000000, 889P, 1.0E", "1000000000000000001, 889P, 1.1E",
    })
    void aboveNumfmtsPrecision(long bytes, String human, String si) {
        assertThat(SizeFormat.human(bytes)).isEqualTo(human);
        assertThat(SizeFormat.si(bytes)).isEqualTo(si);
    }

    @ParameterizedTest
    @CsvSource({
        "0, 0 B", "1023, 1023 B", "1024, 1.0 KiB", "1126, 1.1 KiB", "4299161, 4.1 MiB",
        "1048524, 1023.9 KiB", "1048525, 1.0 MiB", "1073741824, 1.0 GiB", "9223372036854775807, 8.0 EiB",
    })
    void iecStyle(long bytes, String text) {
        assertThat(SizeFormat.iec(bytes)).isEqualTo(text);
    }

    @Test
    void negativeSizesAreABug() {
        assertThatThrownBy(() -> SizeFormat.human(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Sizes at and beside the rounding edges of every unit up to {@code max}: each tenth of the unit
     * up to 10 (where one decimal gives way to none), the whole multiples where a value rounds up
     * to the next unit (999, 1023, 1024 of it), plus random sizes of every magnitude.
     */
    private static List<Long> sizes(long max) {
        var sizes = new TreeSet<Long>();
        for (long base : new long[] {1000, 1024}) {
            for (var unit = BigInteger.ONE; unit.compareTo(BigInteger.valueOf(max)) <= 0; unit = unit.multiply(BigInteger.valueOf(base))) {
                var edges = new ArrayList<BigInteger>();
                for (int tenths = 1; tenths <= 100; tenths++) {
                    edges.add(unit.multiply(BigInteger.valueOf(tenths)).divide(BigInteger.TEN));
                }
                for (long whole : new long[] {10, 11, 99, 100, 101, 500, 999, 1000, 1001, 1023, 1024}) {
                    edges.add(unit.multiply(BigInteger.valueOf(whole)));
                }
                for (var edge : edges) {
                    for (int delta = -2; delta <= 2; delta++) {
                        var size = edge.add(BigInteger.valueOf(delta));
                        if (size.signum() >= 0 && size.compareTo(BigInteger.valueOf(max)) <= 0) {
                            sizes.add(size.longValueExact());
                        }
                    }
                }
            }
        }
        var random = new Random(18);
        for (int i = 0; i < 500; i++) {
            sizes.add(Math.floorMod(random.nextLong(), Math.max(1, max >> random.nextInt(63))));
        }
        sizes.add(max);
        return new ArrayList<>(sizes);
    }

    @Test
    void humanAndSiMatchGnuDuOnSparseFiles() throws Exception {
        assumeTrue(isGnu("du"), "GNU du (coreutils) is not installed");
        var sizes = sizes(1L << 43); // ext4 and tmpfs hold sparse files of 8 TiB
        var files = new ArrayList<String>();
        for (long size : sizes) {
            var file = dir.resolve("s" + size);
            try (var f = new RandomAccessFile(file.toFile(), "rw")) {
                f.setLength(size);
            }
            files.add(file.getFileName().toString());
        }
        for (var style : List.of("-h", "--si")) {
            var command = new ArrayList<>(List.of("du", "--apparent-size", style));
            command.addAll(files);
            var expected = run(command, "", dir).lines().map(line -> line.split("\t")[0]).toList();
            assertSame(sizes, style.equals("-h") ? SizeFormat::human : SizeFormat::si, expected);
        }
    }

    /**
     * numfmt computes in long double, which cannot tell 3.3 EiB + 1 byte from 3.3 EiB (it prints
     * 3.3E where GNU du's integer arithmetic, and ours, rounds up to 3.4E), so it is the reference
     * up to 64 PiB; above, the sizes in {@link #gnuStyles} and {@link #aboveNumfmtsPrecision} stand.
     */
    @Test
    void humanAndSiMatchNumfmtUpTo64PiB() throws Exception {
        assumeTrue(isGnu("numfmt"), "GNU numfmt (coreutils) is not installed");
        var sizes = sizes(1L << 56);
        var input = sizes.stream().map(String::valueOf).collect(Collectors.joining("\n", "", "\n"));
        var iec = run(List.of("numfmt", "--to=iec", "--round=up"), input, dir).lines().toList();
        assertSame(sizes, SizeFormat::human, iec);
        // numfmt writes kilo as K where du --si writes k; otherwise the same.
        var si = run(List.of("numfmt", "--to=si", "--round=up"), input, dir).lines().map(s -> s.replace('K', 'k')).toList();
        assertSame(sizes, SizeFormat::si, si);
    }

    /** Ours and theirs for the same sizes, in order; the sizes where they differ are the failure. */
    private static void assertSame(List<Long> sizes, LongFunction<String> ours, List<String> theirs) {
        assertThat(theirs).hasSameSizeAs(sizes);
        var differences = new ArrayList<String>();
        for (int i = 0; i < sizes.size(); i++) {
            var mine = ours.apply(sizes.get(i));
            if (!mine.equals(theirs.get(i))) {
                differences.add(sizes.get(i) + ": " + mine + " but GNU says " + theirs.get(i));
            }
        }
        assertThat(differences).as("of %d sizes", sizes.size()).isEmpty();
    }

    private static boolean isGnu(String program) {
        try {
            return run(List.of(program, "--version"), "", null).contains("GNU coreutils");
        } catch (IOException e) {
            return false;
        }
    }

    private static String run(List<String> command, String stdin, Path dir) throws IOException {
        var process = new ProcessBuilder(command).directory(dir == null ? null : dir.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        var output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try (var in = process.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        try {
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
            return output.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new AssertionError(command + " failed", e);
        }
    }
}
