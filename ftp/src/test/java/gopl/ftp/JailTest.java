package gopl.ftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(30)
class JailTest {
    @TempDir
    Path tmp;

    Path root;
    Path outside;
    Jail jail;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectories(tmp.resolve("root"));
        outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "secret");
        Files.createDirectories(root.resolve("pub/docs"));
        Files.writeString(root.resolve("pub/readme.txt"), "hi");
        Files.createSymbolicLink(root.resolve("out"), outside);
        Files.createSymbolicLink(root.resolve("secret-link"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("dangling"), outside.resolve("not-yet"));
        Files.createSymbolicLink(root.resolve("docs-link"), root.resolve("pub/docs"));
        jail = new Jail(root);
    }

    @ParameterizedTest
    @CsvSource({
        "/, '', /",
        "/, ., /",
        "/, .., /",
        "/, ../../.., /",
        "/pub, .., /",
        "/pub, ../../etc/passwd, /etc/passwd",
        "/pub, /etc/passwd, /etc/passwd",
        "/pub, docs/../readme.txt, /pub/readme.txt",
        "/pub, docs///, /pub/docs",
        "/pub, //docs, /docs",
        "/pub, %2e%2e/%2e%2e, /pub/%2e%2e/%2e%2e",
        "/pub, ..\\..\\x, /pub/..\\..\\x",
    })
    void normalizeNeverClimbsAboveTheRoot(String cwd, String arg, String expected) {
        assertThat(Jail.normalize(cwd, arg)).isEqualTo(expected);
    }

    @Test
    void resolvesPathsInsideTheRoot() throws IOException {
        assertThat(jail.resolve("/pub/readme.txt")).isEqualTo(root.toRealPath().resolve("pub/readme.txt"));
        assertThat(jail.resolve("/")).isEqualTo(root.toRealPath());
        assertThat(jail.resolve("/pub/new-upload.bin")).isEqualTo(root.toRealPath().resolve("pub/new-upload.bin"));
    }

    @Test
    void aLinkInsideTheRootIsFollowed() throws IOException {
        assertThat(jail.resolve("/docs-link")).isEqualTo(root.toRealPath().resolve("pub/docs"));
    }

    @Test
    void linksLeadingOutAreAsIfMissing() {
        assertThatThrownBy(() -> jail.resolve("/out")).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> jail.resolve("/out/secret.txt")).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> jail.resolve("/secret-link")).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> jail.resolve("/out/new-file")).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> jail.entry("/out/secret.txt")).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void aDanglingLinkCannotBeWrittenThrough() {
        assertThatThrownBy(() -> jail.resolve("/dangling")).isInstanceOf(NoSuchFileException.class);
        assertThat(outside.resolve("not-yet")).doesNotExist();
    }

    @Test
    void entryNamesTheLinkNotItsTarget() throws IOException {
        assertThat(jail.entry("/secret-link")).isEqualTo(root.toRealPath().resolve("secret-link"));
        assertThat(Files.isSymbolicLink(jail.entry("/secret-link"))).isTrue();
    }

    @Test
    void listingsLeaveOutLinksThatLeadOut() throws IOException {
        var names = Listing.list(jail, root.toRealPath(), name -> true, 100).entries().stream().map(Listing.Entry::name).toList();
        assertThat(names).containsExactly("docs-link", "pub");
    }

    @Test
    void aFileSwappedForALinkAfterTheCheckIsNotOpened() throws IOException {
        var checked = jail.resolve("/pub/readme.txt");
        Files.delete(root.resolve("pub/readme.txt"));
        Files.createSymbolicLink(root.resolve("pub/readme.txt"), outside.resolve("secret.txt"));
        try (var entry = jail.locate(checked)) {
            assertThatThrownBy(() -> entry.open(Set.of(StandardOpenOption.READ))).isInstanceOf(NoSuchFileException.class);
            assertThatThrownBy(() -> entry.setPermissions(Set.of())).isInstanceOf(NoSuchFileException.class);
        }
        assertThat(Files.getPosixFilePermissions(outside.resolve("secret.txt"))).isNotEmpty();
    }

    @Test
    void aDirectorySwappedForALinkAfterTheCheckIsNotEntered() throws IOException {
        Files.writeString(outside.resolve("readme.txt"), "outside");
        var checked = jail.resolve("/pub/readme.txt");
        Files.move(root.resolve("pub"), tmp.resolve("pub-away"));
        Files.createSymbolicLink(root.resolve("pub"), outside);
        assertThatThrownBy(() -> jail.locate(checked)).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> jail.openDirectory(checked.getParent())).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> jail.createDirectory(checked.resolveSibling("made"))).isInstanceOf(NoSuchFileException.class);
        assertThat(outside.resolve("made")).doesNotExist();
    }

    @Test
    void aRootThatIsNotADirectoryIsRefused() throws IOException {
        var file = Files.writeString(tmp.resolve("file"), "x");
        assertThatThrownBy(() -> new Jail(file)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> new Jail(tmp.resolve("missing"))).isInstanceOf(IOException.class);
    }

    @Test
    void aSiblingWithTheSamePrefixIsOutside() throws IOException {
        var sibling = Files.createDirectories(tmp.resolve("root2"));
        Files.createSymbolicLink(root.resolve("sib"), sibling);
        assertThatThrownBy(() -> jail.resolve("/sib")).isInstanceOf(NoSuchFileException.class);
    }
}
