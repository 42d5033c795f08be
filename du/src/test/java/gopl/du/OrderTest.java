package gopl.du;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The parallel walk prints GNU du's order whatever the walkers do: on a tree big enough that the
 * helpers take whole subtrees, with hard links whose first sighting (in GNU's order) decides
 * which directory counts them, with up to eight walkers, and with walkers made to stall at
 * random (yielding the CPU) so that they interleave differently.
 */
class OrderTest {
    @TempDir
    static Path base;

    @BeforeAll
    static void tree() throws IOException {
        Gnu.assumeDu();
        var random = new Random(15);
        var files = new ArrayList<Path>();
        var dirs = new ArrayList<Path>(List.of(Files.createDirectories(base.resolve("tree"))));
        for (int d = 0; d < 600; d++) {
            var parent = dirs.get(random.nextInt(dirs.size()));
            dirs.add(Files.createDirectories(parent.resolve("d" + d)));
        }
        for (int f = 0; f < 6000; f++) {
            var dir = dirs.get(random.nextInt(dirs.size()));
            var file = dir.resolve("f" + f);
            if (f % 37 == 0 && !files.isEmpty()) {
                Files.createLink(file, files.get(random.nextInt(files.size())));
            } else {
                files.add(Files.write(file, new byte[random.nextInt(20_000)]));
            }
        }
    }

    /** Real file system calls that stall now and then, as a loaded machine would make them. */
    private record Stalling(Inodes real, Random random) implements ForwardingInodes {
        @Override
        public void list(Directory directory, boolean follow, Visitor visitor) throws IOException {
            int stall;
            synchronized (random) {
                stall = random.nextInt(10) == 0 ? random.nextInt(200) : 0;
            }
            for (int i = 0; i < stall; i++) {
                Thread.yield(); // let another walker run first
            }
            real.list(directory, follow, visitor);
        }
    }

    @ParameterizedTest(name = "du {0} with {1} walkers, stalling: {2}")
    @CsvSource({"-a, 1, false", "-a, 2, false", "-a, 8, false", "-a, 8, true", "'', 8, true", "-s, 8, true",
        "-ac, 3, true", "-aS, 8, true", "-d2 --exclude=d1*, 8, true"})
    void printsGnuDusOrder(String options, int walkers, boolean stalling) {
        var inodes = stalling ? new Stalling(Inodes.best(Inodes.Time.NONE, m -> {}), new Random(walkers))
                : null;
        var args = new ArrayList<Object>();
        for (var option : options.split(" ")) {
            if (!option.isEmpty()) {
                args.add(option);
            }
        }
        args.add(base.resolve("tree"));
        args.add(base.resolve("tree/d0"));
        Gnu.assertSame(new DuCommand(inodes, walkers), args.toArray());
    }
}
