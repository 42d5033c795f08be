package gopl.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Writing into the mirror's directory: atomic, and never through a symbolic link planted in it. */
@Timeout(30)
class OutputDirTest {
    @TempDir
    Path tmp;

    Path root;
    Path elsewhere;
    OutputDir output;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectories(tmp.resolve("out"));
        elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        output = new OutputDir(root);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private void assertElsewhereUntouched() throws IOException {
        try (var files = Files.walk(elsewhere)) {
            assertThat(files).containsExactly(elsewhere);
        }
    }

    @Test
    void writeReplacesAtomicallyAndLeavesNoTemporaryFile() throws IOException {
        var target = root.resolve("h/dir/page.html");
        output.write(target, bytes("old"));
        output.write(target, bytes("new"));

        assertThat(target).hasContent("new");
        try (var files = Files.list(target.getParent())) {
            assertThat(files).containsExactly(target);
        }
        var plain = Files.createFile(tmp.resolve("plain"));
        assertThat(Files.getPosixFilePermissions(target)).isEqualTo(Files.getPosixFilePermissions(plain));
    }

    @Test
    void aLinkedDirectoryIsAnErrorAndNothingGoesThroughIt() throws IOException {
        Files.createDirectories(root.resolve("h"));
        Files.createSymbolicLink(root.resolve("h/img"), elsewhere);

        assertThatThrownBy(() -> output.write(root.resolve("h/img/a.png"), bytes("png")))
                .isInstanceOf(FileSystemException.class).hasMessageContaining("h/img: is a symbolic link");
        assertThatThrownBy(() -> output.write(root.resolve("h/img/sub/b.png"), bytes("png")))
                .hasMessageContaining("is a symbolic link");
        assertElsewhereUntouched();
    }

    @Test
    void aLinkedHostDirectoryIsAnErrorToo() throws IOException {
        Files.createSymbolicLink(root.resolve("h"), elsewhere);

        assertThatThrownBy(() -> output.write(root.resolve("h/index.html"), bytes("page")))
                .hasMessageContaining("is a symbolic link");
        assertElsewhereUntouched();
    }

    @Test
    void aLinkedFileIsNeitherWrittenThroughNorReadThrough() throws IOException {
        var secret = Files.writeString(elsewhere.resolve("secret"), "secret");
        Files.createDirectories(root.resolve("h"));
        Files.createSymbolicLink(root.resolve("h/index.html"), secret);

        assertThatThrownBy(() -> output.write(root.resolve("h/index.html"), bytes("page")))
                .hasMessageContaining("is a symbolic link");
        assertThatThrownBy(() -> output.read(root.resolve("h/index.html")).close()).hasMessageContaining("is a symbolic link");
        assertThat(secret).hasContent("secret");
        assertThat(Files.isSymbolicLink(root.resolve("h/index.html"))).isTrue();
    }

    @Test
    void aLinkPutInADirectoryThisRunMadeIsReplacedNotWrittenThrough() throws IOException {
        var secret = Files.writeString(elsewhere.resolve("secret"), "secret");
        output.write(root.resolve("h/a.html"), bytes("a")); // makes h, unchecked from now on
        Files.createSymbolicLink(root.resolve("h/b.html"), secret);

        output.write(root.resolve("h/b.html"), bytes("b"));

        assertThat(secret).hasContent("secret");
        assertThat(Files.isSymbolicLink(root.resolve("h/b.html"))).isFalse();
        assertThat(root.resolve("h/b.html")).hasContent("b");
    }

    @Test
    void aDanglingLinkIsAnErrorAndNothingIsCreatedAtItsTarget() throws IOException {
        Files.createDirectories(root.resolve("h"));
        Files.createSymbolicLink(root.resolve("h/new"), elsewhere.resolve("created"));

        assertThatThrownBy(() -> output.write(root.resolve("h/new/x.html"), bytes("x"))).hasMessageContaining("is a symbolic link");
        assertThatThrownBy(() -> output.write(root.resolve("h/new"), bytes("x"))).hasMessageContaining("is a symbolic link");
        assertElsewhereUntouched();
    }

    @Test
    void aFileWhereADirectoryMustGoIsReportedAsSuch() throws IOException {
        output.write(root.resolve("h/data"), bytes("data"));
        assertThatThrownBy(() -> output.write(root.resolve("h/data/x.png"), bytes("png")))
                .isInstanceOf(FileAlreadyExistsException.class);
    }

    @Test
    void readsBackWhatItWrote() throws IOException {
        output.write(root.resolve("h/a.css"), bytes("p {}"));
        try (var in = output.read(root.resolve("h/a.css"))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("p {}");
        }
    }

    @Test
    void aDirectorySwappedForALinkAfterItWasOpenedIsNotFollowed() throws IOException {
        output.write(root.resolve("h/img/a.png"), bytes("a"));
        var moved = Files.move(root.resolve("h/img"), tmp.resolve("moved"));
        Files.createSymbolicLink(root.resolve("h/img"), elsewhere);

        try {
            output.write(root.resolve("h/img/b.png"), bytes("b")); // into the directory opened, wherever it went
        } catch (IOException refused) {
            // Also fine: nothing written.
        }
        assertElsewhereUntouched();
        output.close();
        assertThatThrownBy(() -> output.write(root.resolve("h/img/c.png"), bytes("c"))).hasMessageContaining("is a symbolic link");
        assertElsewhereUntouched();
        assertThat(moved.resolve("a.png")).hasContent("a");
    }

    @Test
    void keepsABoundedNumberOfDirectoriesOpenAndClosesThem() throws IOException {
        var fds = Path.of("/proc/self/fd");
        Assumptions.assumeTrue(Files.isDirectory(fds), "needs /proc/self/fd");
        long before = count(fds);
        for (int i = 0; i < OutputDir.MAX_OPEN * 2; i++) {
            output.write(root.resolve("h/d" + i + "/page.html"), bytes("page " + i));
        }
        // Two descriptors a directory: the JDK's handle and the one its listing would read.
        assertThat(count(fds) - before).isBetween((long) OutputDir.MAX_OPEN, 2L * OutputDir.MAX_OPEN + 8);
        output.close();
        assertThat(count(fds) - before).isLessThan(8);
        assertThat(root.resolve("h/d" + (OutputDir.MAX_OPEN * 2 - 1) + "/page.html")).hasContent("page " + (OutputDir.MAX_OPEN * 2 - 1));
    }

    private static long count(Path dir) throws IOException {
        try (var entries = Files.list(dir)) {
            return entries.count();
        }
    }
}
