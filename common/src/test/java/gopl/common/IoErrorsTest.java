package gopl.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Real failures of real file operations, worded as the C library words them. */
class IoErrorsTest {
    @TempDir
    Path dir;

    private static String reason(Executable operation) {
        return IoErrors.reason(assertThrows(IOException.class, operation));
    }

    @Test
    void wordsFailuresAsTheCLibraryDoes() throws IOException {
        var file = Files.writeString(dir.resolve("file"), "x");
        Files.createDirectories(dir.resolve("full/inside"));
        assertThat(reason(() -> Files.readString(dir.resolve("missing")))).isEqualTo("No such file or directory");
        assertThat(reason(() -> Files.createDirectory(file))).isEqualTo("File exists");
        assertThat(reason(() -> Files.delete(dir.resolve("full")))).isEqualTo("Directory not empty");
        assertThat(reason(() -> Files.newDirectoryStream(file).close())).isEqualTo("Not a directory");
        assertThat(reason(() -> Files.writeString(dir, "x"))).isEqualTo("Is a directory");
        assertThat(reason(() -> Files.readString(file.resolve("below")))).isEqualTo("Not a directory");
    }

    @Test
    void anyOtherIOExceptionKeepsItsMessage() {
        assertThat(IoErrors.reason(new IOException("Connection reset"))).isEqualTo("Connection reset");
        assertThat(IoErrors.reason(new IOException())).isEqualTo("IOException");
    }
}
