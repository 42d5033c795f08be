package gopl.du;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every option, and the combinations people type, against GNU du on every hostile tree
 * ({@link Trees}): the same bytes on stdout, the same warnings, the same exit status. The walk
 * runs with the default number of walkers here; {@link OrderTest} runs it with many. Tagged
 * "backends": the build runs it on du's JNI library, then again on FFM ({@link BackendTest}).
 */
@Tag("backends")
class GnuOptionsTest {
    /** Each option row: what follows "du" before the roots. @ROOTS and @PATTERNS name files made here. */
    static final List<String> OPTIONS = List.of("", "-a", "-s", "-d1", "--max-depth=2", "-d0", "-S", "-aS", "-sS",
            "-c", "-ac", "-sc", "-cS", "--exclude=*.txt", "--exclude=sub", "--exclude=a/sub", "-a --exclude=[fg]*",
            "-a --exclude=*1?", "-X @PATTERNS", "-t 8K", "-t -8K", "-a -t 1", "-at -4097", "-sh", "-h -d1", "-ah",
            "-hd1", "--si", "-a --si", "-k", "-m", "-BM", "-B1K", "-BKB", "-BMiB", "-B 3", "-b", "-ab",
            "--apparent-size", "-a --apparent-size -BK", "--inodes", "--inodes -a", "--inodes -s", "--inodes -h",
            "--time", "-a --time", "--time=atime", "--time=ctime --time-style=full-iso", "--time --time-style=iso",
            "--time --time-style=+%s.%N_%z_%A_%B_%e_%j_%k_%l_%p_%u_%V_%G_%C_%D_%T_%%", "-L", "-aL", "-H", "-D",
            "-P", "-l", "-la", "-lc", "-0", "-a0", "--files0-from=@ROOTS", "-x", "-ahd2 --exclude=*1*", "-aSct 2K");

    @TempDir
    static Path base;

    @BeforeAll
    static void build() throws IOException {
        Gnu.assumeDu();
        Trees.build(base);
        Files.writeString(base.resolve("patterns"), "*.txt\n  sub  \n\nd1?\n[[:digit:]]x\n");
        // Reading a directory once updates its access time (relatime); after that it stays put.
        Gnu.du("-a", base);
    }

    @AfterAll
    static void removeTheDeepTree() {
        Gnu.sh(base, "rm -rf deep"); // Java's own clean-up cannot delete what it cannot name
    }

    static Stream<Arguments> cases() {
        var cases = new ArrayList<Arguments>();
        for (var options : OPTIONS) {
            for (var tree : Trees.ALL) {
                for (var roots : tree.rootSets()) {
                    cases.add(Arguments.of(options, tree.name(), roots));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "du {0} on {1}: {2}")
    @MethodSource("cases")
    void sameAsGnuDu(String options, String tree, List<String> roots) throws IOException {
        Gnu.assertSame(args(options, roots));
    }

    /** The command line: options (with their files made), then the roots as absolute paths. */
    private static Object[] args(String options, List<String> roots) throws IOException {
        var args = new ArrayList<Object>();
        var absolute = roots.stream().map(root -> base + "/" + root).toList();
        for (var option : options.split(" ")) {
            if (option.equals("@PATTERNS")) {
                args.add(base.resolve("patterns"));
            } else if (option.equals("--files0-from=@ROOTS")) {
                var list = Files.createTempFile(base, "roots", "");
                Files.writeString(list, String.join("\0", absolute) + "\0", StandardCharsets.UTF_8);
                args.add("--files0-from=" + list);
            } else if (!option.isEmpty()) {
                args.add(option);
            }
        }
        if (!options.contains("--files0-from")) {
            args.addAll(absolute);
        }
        return args.toArray();
    }
}
