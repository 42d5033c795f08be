package gopl.du;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two ways du makes its system calls. The whole suite runs on du's JNI library; the build
 * runs the tests tagged "backends" a second time with {@code -Dgopl.du.native=ffm}: these, every
 * option on every hostile tree ({@link GnuOptionsTest}), the vanished and unreadable directories
 * ({@link WalkTest}) and -x ({@link GnuEqualityTest}).
 */
@Tag("backends")
class BackendTest {
    @TempDir
    Path dir;

    @Test
    void theBackendIsTheOneTheBuildAsksFor() {
        var wanted = System.getProperty(Syscalls.PROPERTY, "jni");
        assertThat(NativeInodes.UNAVAILABLE).isNull();
        assertThat(NativeInodes.SYSCALLS).isInstanceOf(wanted.equals("ffm") ? FfmSyscalls.class : JniSyscalls.class);
    }

    @Test
    void namesTooLongForTheKernelOrForPathMaxAndOtherRootsThatFail() throws IOException {
        Gnu.assumeDu();
        var component = dir.resolve("n".repeat(300)); // NAME_MAX is 255: the kernel's ENAMETOOLONG
        var path = dir.resolve("p/".repeat(2100) + "end"); // over PATH_MAX: refused before any call
        var missing = dir.resolve("no-such-file"); // ENOENT
        var loop = Files.createSymbolicLink(dir.resolve("loop"), dir.resolve("loop")); // ELOOP under -L
        var fine = Files.createDirectories(dir.resolve("fine/sub"));
        Files.write(fine.resolve("f"), new byte[5000]);
        Files.createLink(dir.resolve("fine/twin"), fine.resolve("f"));
        for (var options : List.of("-s", "-sL", "-a")) {
            Gnu.assertSame(options, component, path, missing, loop, dir.resolve("fine"));
        }
    }
}
