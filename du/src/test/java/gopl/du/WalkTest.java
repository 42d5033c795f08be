package gopl.du;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import gopl.common.testing.Eventually;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The walk when the tree fights back: directories that vanish or cannot be read, cancellation, the NIO fallback. */
class WalkTest {
    @TempDir
    Path dir;

    /** Real file system calls, with a hook run after each directory is listed. */
    private record AfterListing(Inodes real, java.util.function.Consumer<String> after) implements Inodes {
        @Override
        public Stat stat(byte[] path) throws IOException {
            return real.stat(path);
        }

        @Override
        public Directory open(byte[] path) throws IOException {
            return real.open(path);
        }

        @Override
        public Directory open(Directory parent, byte[] name) throws IOException {
            return real.open(parent, name);
        }

        @Override
        public void list(Directory directory, Visitor visitor) throws IOException {
            real.list(directory, visitor);
            after.accept(new String(directory.path(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aDirectoryThatVanishesIsWarnedAboutAndTheRestIsCounted() throws IOException {
        Gnu.assumeDu();
        var root = Files.createDirectories(dir.resolve("root"));
        var gone = Files.createDirectories(root.resolve("gone/deeper"));
        Files.write(gone.resolve("data"), new byte[40_000]);
        Files.write(Files.createDirectories(root.resolve("stays")).resolve("data"), new byte[7_000]);
        long goneOwnSize = Files.size(root.resolve("gone"));
        // Delete "gone" after its parent listed it (and stat-ed it) but before it is opened.
        var inodes = new AfterListing(Inodes.best(m -> {}), listed -> {
            if (listed.equals(root.toString())) {
                Gnu.sh(root, "rm -rf gone");
            }
        });

        var run = Gnu.ours(new DuCommand(inodes), "-b", root);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stderr()).isEqualTo("du: cannot read directory '" + root.resolve("gone")
                + "': No such file or directory\n");
        long rest = Long.parseLong(Gnu.du("-b", root).stdout().split("\t")[0]);
        assertThat(run.stdout()).isEqualTo((rest + goneOwnSize) + "\t" + root + "\n");
    }

    @Test
    void anUnreadableDirectoryIsWarnedAboutLikeGnuDu() throws IOException {
        Gnu.assumeDu();
        assumeFalse((Integer) Files.getAttribute(dir, "unix:uid") == 0, "root reads anything: DuIT covers this as nobody");
        var root = Files.createDirectories(dir.resolve("root/locked/inside"));
        Files.write(root.resolve("secret"), new byte[20_000]);
        Files.write(dir.resolve("root/open"), new byte[3_000]);
        Gnu.sh(dir, "chmod 000 root/locked");
        try {
            var gnu = Gnu.du("-k", dir.resolve("root"));
            var ours = Gnu.ours("-k", dir.resolve("root"));
            assertThat(ours.stdout()).isEqualTo(gnu.stdout());
            assertThat(ours.exitCode()).isEqualTo(gnu.exitCode()).isEqualTo(1);
            assertThat(ours.stderr()).isEqualTo(gnu.stderr());
        } finally {
            Gnu.sh(dir, "chmod 755 root/locked");
        }
    }

    @Test
    void cancellingLeavesUnfinishedRootsIncompleteAndFinishedOnesComplete() throws Exception {
        var small = Files.createDirectories(dir.resolve("small/sub"));
        Files.write(small.resolve("f"), new byte[100]);
        var big = Files.createDirectories(dir.resolve("big/stuck/below"));
        var entered = new CountDownLatch(1);
        var inodes = new AfterListing(Inodes.best(m -> {}), listed -> {
            if (listed.endsWith("stuck")) {
                entered.countDown();
                try {
                    Thread.sleep(60_000); // until cancelled
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        var du = new DiskUsage(inodes, false, m -> {}, 4); // a permit stays stuck: leave others for the small root
        var roots = du.roots(List.of(small.getParent().toString(), big.getParent().getParent().toString()));
        var walker = Thread.ofVirtual().start(() -> {
            try {
                du.walk();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
        // The small root is finished once its two directories are done; wait for that, then cancel.
        Eventually.eventually(Duration.ofSeconds(30), "the small root is done", () -> roots.get(0).complete());
        du.cancel();
        walker.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(walker.isAlive()).as("walk ends promptly after cancel").isFalse();
        assertThat(roots.get(0).complete()).isTrue();
        assertThat(roots.get(1).complete()).isFalse();
        assertThat(roots.get(0).files.sum()).isEqualTo(1);
    }

    @Test
    void theNioFallbackGivesExactApparentSizesAndLinkCounts() throws IOException {
        Gnu.assumeDu();
        var a = Files.createDirectories(dir.resolve("a/b/c"));
        var b = Files.createDirectories(dir.resolve("other"));
        for (int i = 0; i < 30; i++) {
            Files.write(a.resolve("f" + i), new byte[i * 777]);
        }
        Files.createLink(b.resolve("link"), a.resolve("f7"));
        Files.createSymbolicLink(a.resolve("loop"), Path.of(".."));
        var args = new Object[] {"-b", "-c", dir.resolve("a"), b};

        var ours = Gnu.ours(new DuCommand(new Inodes.Nio()), args);

        assertThat(ours.stdout()).isEqualTo(Gnu.du(args).stdout());
        assertThat(ours.exitCode()).isZero();
    }

    @Test
    void messagesQuoteNamesAsAShellWouldReadThem() {
        assertThat(Inodes.quote("plain/name".getBytes(StandardCharsets.UTF_8))).isEqualTo("'plain/name'");
        assertThat(Inodes.quote("with space/ünï".getBytes(StandardCharsets.UTF_8))).isEqualTo("'with space/ünï'");
        assertThat(Inodes.quote("new\nline".getBytes(StandardCharsets.UTF_8))).isEqualTo("'new'$'\\012''line'");
        assertThat(Inodes.quote("it's".getBytes(StandardCharsets.UTF_8))).isEqualTo("'it'$'\\047''s'");
        var bad = Arrays.copyOf("bad".getBytes(StandardCharsets.UTF_8), 6);
        bad[3] = (byte) 0xff;
        bad[4] = 'x';
        bad[5] = '\t';
        assertThat(Inodes.quote(bad)).isEqualTo("'bad'$'\\377''x'$'\\011'");
        assertThat(Inodes.quote(new byte[0])).isEqualTo("''");
        // What the quote says is what a shell reads back:
        var echoed = Gnu.run(List.of("bash", "-c", "[ \"$(printf %s " + Inodes.quote(bad)
                + ")\" = \"$(printf 'bad\\377x\\t')\" ] && echo same"));
        assertThat(echoed.stdout()).isEqualTo("same\n");
    }
}
