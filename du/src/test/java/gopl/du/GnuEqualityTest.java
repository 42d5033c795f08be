package gopl.du;

import static gopl.du.Gnu.assertSame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our totals against GNU du's on generated trees, in disk usage ({@code -k}) and apparent bytes
 * ({@code -b}): every counting rule du has, each on the tree that exercises it.
 */
class GnuEqualityTest {
    @TempDir
    Path dir;

    @BeforeEach
    void needGnuDu() {
        Gnu.assumeDu();
    }

    @ParameterizedTest
    @ValueSource(strings = {"-k", "-b", "--apparent-size", "-m", "-h"})
    void hardLinksWithinOneRootCountOnce(String unit) throws IOException {
        var a = Files.createDirectories(dir.resolve("a/sub"));
        Files.write(a.resolve("f"), new byte[10_000]);
        Files.createLink(a.resolve("link"), a.resolve("f"));
        Files.createLink(dir.resolve("a/link2"), a.resolve("f"));
        assertSame(unit, dir.resolve("a"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-k", "-b"})
    void hardLinksAcrossRootsCountInTheFirstRootOnly(String unit) throws IOException {
        var a = Files.createDirectories(dir.resolve("a"));
        var b = Files.createDirectories(dir.resolve("b/deep/er"));
        for (int i = 0; i < 50; i++) {
            Files.write(a.resolve("f" + i), new byte[i * 1000]);
            if (i % 3 == 0) {
                Files.createLink(b.resolve("l" + i), a.resolve("f" + i));
            }
        }
        Files.createLink(b.resolve("only-b"), Files.write(b.resolve("orig"), new byte[5000]));
        assertSame(unit, a, b);
        assertSame(unit, b, a);
        assertSame(unit, "-c", b, a.resolve("f3"), a);
        assertSame(unit, a.resolve("f3"), b.resolve("l3"), a);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-k", "-b"})
    void sparseFilesCountTheirAllocatedBlocks(String unit) throws IOException {
        var a = Files.createDirectories(dir.resolve("a"));
        try (var file = new RandomAccessFile(a.resolve("hole").toFile(), "rw")) {
            file.setLength(1L << 30);
        }
        try (var file = new RandomAccessFile(a.resolve("islands").toFile(), "rw")) {
            file.seek(5L << 20);
            file.write(new byte[70_000]);
            file.seek(100L << 20);
            file.write(1);
        }
        assertSame(unit, a);
        assertSame(unit, a.resolve("hole"), a.resolve("islands"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-k", "-b"})
    void emptyFilesAndDirectories(String unit) throws IOException {
        var a = Files.createDirectories(dir.resolve("a/empty/emptier"));
        Files.createFile(dir.resolve("a/zero"));
        Files.createFile(a.resolve("zero"));
        Files.createDirectories(dir.resolve("b"));
        assertSame(unit, dir.resolve("a"), dir.resolve("b"), dir.resolve("a/zero"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-k", "-b"})
    void symlinksAreNotFollowedSoLoopsEndAtOnce(String unit) throws IOException {
        var a = Files.createDirectories(dir.resolve("a/sub"));
        Files.write(a.resolve("data"), new byte[50_000]);
        Files.createSymbolicLink(a.resolve("up"), Path.of(".."));
        Files.createSymbolicLink(a.resolve("self"), Path.of("self"));
        Files.createSymbolicLink(a.resolve("ping"), Path.of("pong"));
        Files.createSymbolicLink(a.resolve("pong"), Path.of("ping"));
        Files.createSymbolicLink(a.resolve("dangling"), Path.of("nowhere/at/all"));
        Files.createSymbolicLink(dir.resolve("to-a"), dir.resolve("a"));
        Files.createSymbolicLink(a.resolve("long"), Path.of("x".repeat(1000)));
        assertSame(unit, dir.resolve("a"));
        assertSame(unit, dir.resolve("to-a"), dir + "/to-a/", dir.resolve("a/sub/up"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-k", "-b"})
    void deepNestingBeyondPathMax(String unit) {
        // 450 levels of 12-byte names: paths of 5,400+ bytes, past the kernel's 4,096 for one call.
        var script = "for i in $(seq 450); do mkdir level-------- && cd -P level--------; done; "
                + "head -c 9000 /dev/zero > bottom; mkdir empty; ln bottom twin";
        try {
            Gnu.sh(dir, "mkdir deep && cd deep && " + script);
            assertSame(unit, dir.resolve("deep"));
        } finally {
            Gnu.sh(dir, "rm -rf deep"); // Java's own clean-up cannot delete what it cannot name
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"-k", "-b"})
    void oddNames(String unit) throws IOException {
        var a = Files.createDirectories(dir.resolve("a"));
        Gnu.sh(a, """
                mkdir -- 'with space' "$(printf 'new\\nline')" "$(printf 'bad\\377byte')" -dash "it's" 'back\\\\slash' ünïcödé
                for d in *; do printf 'content of %s' "$d" > "$d/$(printf 'tab\\tname\\001')"; done
                printf 'x%.0s' $(seq 3000) > "$(printf 'latin1-\\351t\\351')"
                mkdir "$(printf 'bad\\377byte')/$(printf 'more\\200\\201')"
                """);
        assertSame(unit, a);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-k", "-b"})
    void severalRootsNestedRepeatedOrMissing(String unit) throws IOException {
        var a = Files.createDirectories(dir.resolve("a/b/c"));
        Files.write(dir.resolve("a/f"), new byte[3000]);
        Files.write(dir.resolve("a/b/g"), new byte[30_000]);
        Files.write(dir.resolve("a/b/c/h"), new byte[300_000]);
        var b = a.getParent();
        var top = b.getParent();
        var c = a;
        assertSame(unit, top, b);
        assertSame(unit, b, top);
        assertSame(unit, c, top, b);
        assertSame(unit, top, top, dir + "/a/", dir + "/a/b/..");
        assertSame(unit, "-c", c, dir.resolve("a/b/g"), top);
        assertSame(unit, "-c", dir.resolve("missing"), top, dir.resolve("a/missing"), c);
        // As "du -s *" does: files and directories side by side, and a file inside a directory root.
        assertSame(unit, "-c", dir.resolve("a/f"), b, dir.resolve("a/b/g"), dir.resolve("a/b/c/h"), top);
        assertSame(unit, "-c", top, dir.resolve("a/f"), b, dir.resolve("a/b/c/h"));
    }

    @Test
    void fileCountsAreTheNonDirectoriesEachCountedOnce() throws IOException {
        var a = Files.createDirectories(dir.resolve("a/b"));
        Files.write(a.resolve("f"), new byte[10]);
        Files.createLink(a.resolve("f2"), a.resolve("f"));
        Files.createSymbolicLink(a.resolve("s"), Path.of("f"));
        Files.createFile(dir.resolve("a/e"));
        var run = Gnu.ours("--files", "-b", dir.resolve("a"));
        var gnu = Gnu.du("-b", dir.resolve("a")).stdout().split("\t")[0];
        var find = Gnu.run(List.of("sh", "-c", "find '" + dir.resolve("a") + "' ! -type d -printf '%i\\n' | sort -u | wc -l"));
        assertThat(run.stdout()).isEqualTo(gnu + "\t" + find.stdout().strip() + "\t" + dir.resolve("a") + "\n");
        assertThat(find.stdout().strip()).isEqualTo("3");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-k", "-b"})
    void oneFileSystemSkipsWhatIsMountedInside(String unit) throws IOException {
        var mount = Files.createDirectories(dir.resolve("a/mnt"));
        Files.write(dir.resolve("a/f"), new byte[5000]);
        var mounted = Gnu.run(List.of("mount", "-t", "tmpfs", "-o", "size=4m", "gopl-du-test", mount.toString()));
        assumeTrue(mounted.exitCode() == 0, "cannot mount a tmpfs here (needs root): " + mounted.stderr().strip());
        try {
            Files.write(mount.resolve("inside"), new byte[100_000]);
            assertSame(unit, "-x", dir.resolve("a"));
            assertSame(unit, dir.resolve("a"));
            assertSame(unit, "-x", dir.resolve("a"), mount);
            assertThat(Gnu.ours(unit, "-x", dir.resolve("a")).stdout())
                    .isNotEqualTo(Gnu.ours(unit, dir.resolve("a")).stdout());
        } finally {
            Gnu.run(List.of("umount", mount.toString()));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"-k", "-b"})
    void aBindMountOfAnAncestorIsNotWalkedAgain(String unit) throws IOException {
        var a = Files.createDirectories(dir.resolve("a/b/loop"));
        Files.write(dir.resolve("a/b/f"), new byte[9000]);
        var mounted = Gnu.run(List.of("mount", "--rbind", dir.resolve("a").toString(), a.toString()));
        assumeTrue(mounted.exitCode() == 0, "cannot bind-mount here (needs root): " + mounted.stderr().strip());
        try {
            assertSame(unit, dir.resolve("a"));
            assertSame(unit, dir.resolve("a/b"), dir.resolve("a"));
        } finally {
            Gnu.run(List.of("umount", "-R", a.toString()));
        }
    }

    @Test
    void humanReadableSizesRoundAsGnuDoes() throws IOException {
        long[] sizes = {0, 1, 1023, 1024, 1025, 10 * 1024 - 1, 10 * 1024, 10 * 1024 + 1, 10188, 10189, 1048575,
            1048576, 1048577, 1024L * 1023 + 1, 10L << 20, (10L << 20) + 1, (1L << 30) - 1, (1L << 40) + 12345,
            (1L << 40) * 15 + 7};
        for (long size : sizes) {
            var file = dir.resolve("size-" + size);
            try (var f = new RandomAccessFile(file.toFile(), "rw")) {
                f.setLength(size);
            }
            assertSame("-bh", file);
            assertSame("-h", "--apparent-size", file);
        }
        assertSame("-h", dir);
    }
}
