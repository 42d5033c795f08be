package gopl.du;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The walk when the tree fights back: directories that vanish or cannot be read, cancellation, the NIO fallback. */
class WalkTest {
    @TempDir
    Path dir;

    /** Real file system calls, with a hook run after each directory is listed. */
    private record AfterListing(Inodes real, Consumer<String> after) implements ForwardingInodes {
        @Override
        public void list(Directory directory, boolean follow, Visitor visitor) throws IOException {
            real.list(directory, follow, visitor);
            after.accept(new String(directory.path(), StandardCharsets.UTF_8));
        }
    }

    private static Inodes real() {
        return Inodes.best(Inodes.Time.NONE, m -> {});
    }

    @Test
    @Tag("backends")
    void aDirectoryThatVanishesIsWarnedAboutAndTheRestIsCounted() throws IOException {
        Gnu.assumeDu();
        var root = Files.createDirectories(dir.resolve("root"));
        var gone = Files.createDirectories(root.resolve("gone/deeper"));
        Files.write(gone.resolve("data"), new byte[40_000]);
        Files.write(Files.createDirectories(root.resolve("stays")).resolve("data"), new byte[7_000]);
        long goneOwnSize = Files.size(root.resolve("gone"));
        // Delete "gone" after its parent listed it (and stat-ed it) but before it is opened.
        var inodes = new AfterListing(real(), listed -> {
            if (listed.equals(root.toString())) {
                Gnu.sh(root, "rm -rf gone");
            }
        });

        var run = Gnu.ours(new DuCommand(inodes, 1), "-sb", root);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stderr()).isEqualTo("du: cannot read directory '" + root.resolve("gone")
                + "': No such file or directory\n");
        long rest = Long.parseLong(Gnu.du("-sb", root).stdout().split("\t")[0]);
        assertThat(run.stdout()).isEqualTo((rest + goneOwnSize) + "\t" + root + "\n");
    }

    @Test
    @Tag("backends")
    void anUnreadableDirectoryIsWarnedAboutLikeGnuDu() throws IOException {
        Gnu.assumeDu();
        assumeFalse((Integer) Files.getAttribute(dir, "unix:uid") == 0, "root reads anything: DuIT covers this as nobody");
        var root = Files.createDirectories(dir.resolve("root/locked/inside"));
        Files.write(root.resolve("secret"), new byte[20_000]);
        Files.write(dir.resolve("root/open"), new byte[3_000]);
        Gnu.sh(dir, "chmod 000 root/locked");
        try {
            Gnu.assertSame("-a", dir.resolve("root"));
        } finally {
            Gnu.sh(dir, "chmod 755 root/locked");
        }
    }

    @Test
    void cancellingStopsTheWalkersPromptlyAndKeepsWhatWasCounted() throws Exception {
        var small = Files.createDirectories(dir.resolve("tree/small/sub"));
        Files.write(small.resolve("f"), new byte[100]);
        Files.createDirectories(dir.resolve("tree/stuck/below"));
        var entered = new CountDownLatch(1);
        var inodes = new AfterListing(real(), listed -> {
            if (listed.endsWith("stuck")) {
                entered.countDown();
                try {
                    Thread.sleep(60_000); // until cancelled
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        var scan = new Scan(inodes, options(), 4);
        var root = new Roots.Root(dir.resolve("tree").toString().getBytes(), 0);
        scan.addRoot(root);
        var lines = new Lines(OutputStream.nullOutputStream(), format(), false, false);
        var tally = new Tally(new Tally.Rules(false, false, false, false, -1, 0, false, true), lines, m -> {});
        var walker = Thread.ofPlatform().start(() -> {
            try {
                tally.walk(new ListingWalk(scan, root.slot, false, () -> {}));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
        scan.cancel();
        walker.interrupt();
        walker.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(walker.isAlive()).as("walk ends promptly after cancel").isFalse();
    }

    private static Scan.Options options() {
        return new Scan.Options(Inodes.Time.NONE, false, false, false, new Exclusions(true), true, false, -1, false,
                false, false, Set.of());
    }

    private static Lines.Format format() {
        return new Lines.Format(BlockSize.BYTES, false, false, null, ZoneId.systemDefault(), false);
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
        for (var options : List.of("-b", "-ab", "-sbc", "--apparent-size -B1 -d1 -c")) {
            var args = new java.util.ArrayList<Object>(Arrays.asList((Object[]) options.split(" ")));
            args.add(dir.resolve("a"));
            args.add(b);
            var ours = Gnu.ours(new DuCommand(new NioInodes(Inodes.Time.NONE), 0), args.toArray());
            var gnu = Gnu.du(args.toArray());
            assertThat(ours.stdout()).as("du %s", args).isEqualTo(gnu.stdout());
            assertThat(ours.exitCode()).isZero();
        }
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
