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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The trees {@link GnuOptionsTest} cannot keep around: mounts (a tmpfs for -x, a directory bound
 * into itself), files of chosen sizes for -h's rounding, and the file count of --files.
 */
class GnuEqualityTest {
    @TempDir
    Path dir;

    @BeforeEach
    void needGnuDu() {
        Gnu.assumeDu();
    }

    @ParameterizedTest
    @ValueSource(strings = {"-k", "-b", "-a", "-ab", "-s", "-c", "-L", "--inodes"})
    @Tag("backends")
    void oneFileSystemSkipsWhatIsMountedInside(String options) throws IOException {
        var mount = Files.createDirectories(dir.resolve("a/mnt"));
        Files.write(dir.resolve("a/f"), new byte[5000]);
        var mounted = Gnu.run(List.of("mount", "-t", "tmpfs", "-o", "size=4m", "gopl-du-test", mount.toString()));
        assumeTrue(mounted.exitCode() == 0, "cannot mount a tmpfs here (needs root): " + mounted.stderr().strip());
        try {
            Files.createDirectories(mount.resolve("inside"));
            Files.write(mount.resolve("inside/data"), new byte[100_000]);
            assertSame(options, "-x", dir.resolve("a"));
            assertSame(options, dir.resolve("a"));
            assertSame(options, "-x", dir.resolve("a"), mount);
            assertThat(Gnu.ours(options, "-x", dir.resolve("a")).stdout())
                    .isNotEqualTo(Gnu.ours(options, dir.resolve("a")).stdout());
        } finally {
            Gnu.run(List.of("umount", mount.toString()));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"-k", "-b", "-a", "-s", "-L", "-l"})
    void aBindMountOfAnAncestorIsNotWalkedAgain(String options) throws IOException {
        var a = Files.createDirectories(dir.resolve("a/b/loop"));
        Files.write(dir.resolve("a/b/f"), new byte[9000]);
        var mounted = Gnu.run(List.of("mount", "--rbind", dir.resolve("a").toString(), a.toString()));
        assumeTrue(mounted.exitCode() == 0, "cannot bind-mount here (needs root): " + mounted.stderr().strip());
        try {
            assertSame(options, dir.resolve("a"));
            assertSame(options, dir.resolve("a/b"), dir.resolve("a"));
        } finally {
            Gnu.run(List.of("umount", "-R", a.toString()));
        }
    }

    @Test
    void humanReadableSizesRoundAsGnuDoes() throws IOException {
        long[] sizes = {0, 1, 1023, 1024, 1025, 10 * 1024 - 1, 10 * 1024, 10 * 1024 + 1, 10188, 10189, 1048575,
            1048576, 1048577, 1024L * 1023 + 1, 10L << 20, (10L << 20) + 1, (1L << 30) - 1, (1L << 40) + 12345,
            (1L << 40) * 15 + 7, 999_999, 1_000_000, 1_000_001, 99_950};
        for (long size : sizes) {
            var file = dir.resolve("size-" + size);
            try (var f = new RandomAccessFile(file.toFile(), "rw")) {
                f.setLength(size);
            }
        }
        for (var options : List.of("-abh", "-ah --apparent-size", "-a --si --apparent-size", "-abBK", "-abBMB",
                "-ab -B 1000", "-ab -BKiB", "-ab -B'1", "-ab -BG", "-abm", "-ab --block-size=si")) {
            var args = new java.util.ArrayList<Object>(List.of((Object[]) options.split(" ")));
            args.add(dir);
            assertSame(args.toArray());
        }
    }

    @Test
    void fileCountsAreTheNonDirectoriesEachCountedOnce() throws IOException {
        var a = Files.createDirectories(dir.resolve("a/b"));
        Files.write(a.resolve("f"), new byte[10]);
        Files.createLink(a.resolve("f2"), a.resolve("f"));
        Files.createSymbolicLink(a.resolve("s"), Path.of("f"));
        Files.createFile(dir.resolve("a/e"));
        var run = Gnu.ours("--files", "-sb", dir.resolve("a"));
        var gnu = Gnu.du("-sb", dir.resolve("a")).stdout().split("\t")[0];
        var find = Gnu.run(List.of("sh", "-c", "find '" + dir.resolve("a") + "' ! -type d -printf '%i\\n' | sort -u | wc -l"));
        assertThat(run.stdout()).isEqualTo(gnu + "\t" + find.stdout().strip() + "\t" + dir.resolve("a") + "\n");
        assertThat(find.stdout().strip()).isEqualTo("3");
    }

    /**
     * Over 10,000 files and nothing else: fts sorts such a directory by inode, but none of its
     * entries gets a line or a place of its own (they are only added up), and the sort once
     * failed on the empty list (a walker died with a NullPointerException).
     */
    @ParameterizedTest
    @ValueSource(strings = {"-s", "-k", "-d0", "-a"})
    void aDirectoryOfOnlyFilesPastFtsSortingLimit(String options) {
        Gnu.sh(dir, "mkdir -p flat/files && cd flat/files && seq 10030 | sed 's/^/file-/' | xargs touch");
        assertSame(options, dir.resolve("flat"));
    }
}
