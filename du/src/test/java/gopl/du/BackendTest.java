package gopl.du;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The two ways du makes its system calls give GNU du's output alike. The whole suite runs on du's
 * JNI library; the build runs the tests tagged "backends" (these, and the vanished directory and
 * -x cases elsewhere) a second time with {@code -Dgopl.du.native=ffm}: hard links, errors
 * (ENOENT, ENAMETOOLONG, ELOOP, a name longer than PATH_MAX) and symlinks, on every hostile tree.
 */
@Tag("backends")
class BackendTest {
    /** The options that exercise what the two backends could get wrong: links, errors, times, devices. */
    private static final List<String> OPTIONS = List.of("-a", "-la", "-aL", "-sH", "-a --inodes", "-a --time=ctime",
            "-ab", "-x -a");

    @TempDir
    static Path base;

    @BeforeAll
    static void build() {
        Gnu.assumeDu();
        Trees.build(base);
    }

    @AfterAll
    static void removeTheDeepTree() {
        Gnu.sh(base, "rm -rf deep"); // Java's own clean-up cannot delete what it cannot name
    }

    @Test
    void theBackendIsTheOneTheBuildAsksFor() {
        var wanted = System.getProperty(Syscalls.PROPERTY, "jni");
        assertThat(NativeInodes.UNAVAILABLE).isNull();
        assertThat(NativeInodes.SYSCALLS).isInstanceOf(wanted.equals("ffm") ? FfmSyscalls.class : JniSyscalls.class);
    }

    static Stream<Arguments> cases() {
        var cases = new ArrayList<Arguments>();
        for (var options : OPTIONS) {
            for (var tree : Trees.ALL) {
                cases.add(Arguments.of(options, tree.rootSets().getLast()));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "du {0} {1}")
    @MethodSource("cases")
    void sameAsGnuDu(String options, List<String> roots) {
        var args = new ArrayList<Object>(List.of((Object[]) options.split(" ")));
        roots.forEach(root -> args.add(base + "/" + root));
        Gnu.assertSame(args.toArray());
    }

    @Test
    void namesTooLongForTheKernelOrForPathMax() throws IOException {
        var component = base.resolve("n".repeat(300)); // NAME_MAX is 255: the kernel's ENAMETOOLONG
        var path = base.resolve("p/".repeat(2100) + "end"); // over PATH_MAX: refused before any call
        var missing = base.resolve("no-such-file");
        var loop = Files.createSymbolicLink(base.resolve("loop"), base.resolve("loop"));
        for (var options : List.of("-s", "-sL")) {
            Gnu.assertSame(options, component, path, missing, loop, base.resolve("links"));
        }
    }
}
