package gopl.ftp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The commands a client uses, through Apache commons-net, each in passive and in active mode. */
class TransferTest {
    @TempDir
    Path root;

    TestServer server;
    byte[] binary;

    @BeforeEach
    void start() throws IOException {
        binary = new byte[3 * 1024 * 1024 + 17];
        new Random(8).nextBytes(binary);
        Files.createDirectories(root.resolve("pub/empty"));
        Files.write(root.resolve("pub/random.bin"), binary);
        Files.writeString(root.resolve("pub/unix.txt"), "one\ntwo\r\nthree\n");
        Files.writeString(root.resolve(".hidden"), "dot");
        server = TestServer.start(root);
    }

    @AfterEach
    void stop() throws InterruptedException {
        server.close();
    }

    private static byte[] download(FTPClient ftp, String path) throws IOException {
        var out = new ByteArrayOutputStream();
        assertThat(ftp.retrieveFile(path, out)).as(ftp.getReplyString()).isTrue();
        return out.toByteArray();
    }

    @ParameterizedTest(name = "passive={0}")
    @ValueSource(booleans = {true, false})
    void binaryDownloadIsByteExact(boolean passive) throws IOException {
        var ftp = server.anonymous(passive);
        assertThat(download(ftp, "/pub/random.bin")).isEqualTo(binary);
        assertThat(ftp.getReplyCode()).isEqualTo(226);
        ftp.disconnect();
    }

    @ParameterizedTest(name = "passive={0}")
    @ValueSource(booleans = {true, false})
    void binaryUploadIsByteExactAndReplacesTheFileWhole(boolean passive) throws IOException {
        Files.writeString(root.resolve("pub/target.bin"), "old content");
        var ftp = server.writer(passive);
        assertThat(ftp.storeFile("/pub/target.bin", new ByteArrayInputStream(binary))).as(ftp.getReplyString()).isTrue();
        assertThat(Files.readAllBytes(root.resolve("pub/target.bin"))).isEqualTo(binary);
        try (var files = Files.list(root.resolve("pub"))) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".ftp-upload"));
        }
        ftp.disconnect();
    }

    @ParameterizedTest(name = "passive={0}")
    @ValueSource(booleans = {true, false})
    void resumedDownloadStartsAtTheOffset(boolean passive) throws IOException {
        var ftp = server.anonymous(passive);
        ftp.setRestartOffset(1_000_000);
        var tail = download(ftp, "/pub/random.bin");
        assertThat(tail).isEqualTo(Arrays.copyOfRange(binary, 1_000_000, binary.length));
        ftp.disconnect();
    }

    @ParameterizedTest(name = "passive={0}")
    @ValueSource(booleans = {true, false})
    void resumedUploadKeepsTheFirstPartAndAppendAddsToTheEnd(boolean passive) throws IOException {
        Files.write(root.resolve("part.bin"), Arrays.copyOf(binary, 100_000));
        var ftp = server.writer(passive);
        ftp.setRestartOffset(100_000);
        assertThat(ftp.storeFile("part.bin", new ByteArrayInputStream(binary, 100_000, 900_000))).isTrue();
        assertThat(ftp.appendFile("part.bin", new ByteArrayInputStream(binary, 1_000_000, binary.length - 1_000_000))).isTrue();
        assertThat(Files.readAllBytes(root.resolve("part.bin"))).isEqualTo(binary);

        Files.write(root.resolve("middle.bin"), binary); // REST into the middle: the rest is replaced
        ftp.setRestartOffset(10);
        assertThat(ftp.storeFile("middle.bin", new ByteArrayInputStream("new end".getBytes(StandardCharsets.US_ASCII)))).isTrue();
        var middle = Files.readAllBytes(root.resolve("middle.bin"));
        assertThat(middle).hasSize(17).startsWith(Arrays.copyOf(binary, 10));
        ftp.disconnect();
    }

    @ParameterizedTest(name = "passive={0}")
    @ValueSource(booleans = {true, false})
    void typeAConvertsLineEndsBothWays(boolean passive) throws IOException {
        var ftp = server.writer(passive);
        ftp.setFileType(FTP.ASCII_FILE_TYPE);
        // commons-net turns the wire's CRLF back into LF; the CRLF already in the file is not doubled.
        // (ProtocolTest checks the bytes on the wire.)
        assertThat(new String(download(ftp, "/pub/unix.txt"), StandardCharsets.US_ASCII)).isEqualTo("one\ntwo\nthree\n");
        try (var out = ftp.storeFileStream("dos.txt")) {
            out.write("a\r\nb\r\nc\rd\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        assertThat(ftp.completePendingCommand()).isTrue();
        assertThat(Files.readString(root.resolve("dos.txt"))).isEqualTo("a\nb\nc\rd\n");
        ftp.disconnect();
    }

    @ParameterizedTest(name = "passive={0}")
    @ValueSource(booleans = {true, false})
    void listingsInEveryForm(boolean passive) throws IOException {
        var ftp = server.anonymous(passive);
        var list = ftp.listFiles("/pub");
        assertThat(Arrays.stream(list).map(FTPFile::getName)).containsExactly("empty", "random.bin", "unix.txt");
        assertThat(list[0].isDirectory()).isTrue();
        assertThat(list[1].getSize()).isEqualTo(binary.length);
        assertThat(ftp.listNames("/pub")).containsExactly("empty", "random.bin", "unix.txt");
        var mlsd = ftp.mlistDir("/pub");
        assertThat(Arrays.stream(mlsd).map(FTPFile::getName)).containsExactly("empty", "random.bin", "unix.txt");
        assertThat(mlsd[1].getSize()).isEqualTo(binary.length);
        assertThat(mlsd[1].getTimestamp()).isNotNull();
        assertThat(ftp.mlistFile("/pub/random.bin").getSize()).isEqualTo(binary.length);
        assertThat(Arrays.stream(ftp.listFiles()).map(FTPFile::getName)).containsExactly("pub"); // no dot files by default
        assertThat(Arrays.stream(ftp.listFiles("-la")).map(FTPFile::getName)).containsExactly(".hidden", "pub");
        assertThat(ftp.listFiles("/pub/empty")).isEmpty();
        assertThat(ftp.listNames("/pub/*.txt")).containsExactly("/pub/unix.txt");
        ftp.disconnect();
    }

    @ParameterizedTest(name = "passive={0}")
    @ValueSource(booleans = {true, false})
    void directoriesAndRenames(boolean passive) throws IOException {
        var ftp = server.writer(passive);
        assertThat(ftp.printWorkingDirectory()).isEqualTo("/");
        assertThat(ftp.makeDirectory("new dir")).isTrue();
        assertThat(ftp.changeWorkingDirectory("new dir")).isTrue();
        assertThat(ftp.printWorkingDirectory()).isEqualTo("/new dir");
        assertThat(ftp.storeFile("a.bin", new ByteArrayInputStream(binary))).isTrue();
        assertThat(ftp.rename("a.bin", "../pub/b.bin")).isTrue();
        assertThat(root.resolve("pub/b.bin")).hasBinaryContent(binary);
        assertThat(ftp.changeToParentDirectory()).isTrue();
        assertThat(ftp.removeDirectory("new dir")).isTrue();
        assertThat(ftp.deleteFile("pub/b.bin")).isTrue();
        assertThat(root.resolve("pub/b.bin")).doesNotExist();
        assertThat(ftp.removeDirectory("pub")).isFalse(); // not empty
        assertThat(ftp.getReplyCode()).isEqualTo(550);
        assertThat(ftp.rename("nothing-here", "x")).isFalse();
        ftp.disconnect();
    }

    @ParameterizedTest(name = "passive={0}")
    @ValueSource(booleans = {true, false})
    void sizeModificationTimeAndUtf8Names(boolean passive) throws IOException {
        Files.setLastModifiedTime(root.resolve("pub/random.bin"), FileTime.from(Instant.parse("2021-03-04T05:06:07Z")));
        var ftp = server.writer(passive);
        assertThat(ftp.getSize("/pub/random.bin")).isEqualTo(Long.toString(binary.length));
        assertThat(ftp.getModificationTime("/pub/random.bin")).isEqualTo("20210304050607");
        assertThat(ftp.setModificationTime("/pub/unix.txt", "20200102030405")).isTrue();
        assertThat(Files.getLastModifiedTime(root.resolve("pub/unix.txt")).toInstant()).isEqualTo(Instant.parse("2020-01-02T03:04:05Z"));
        assertThat(ftp.sendSiteCommand("CHMOD 600 /pub/unix.txt")).isTrue();
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("pub/unix.txt"))))
                .isEqualTo("rw-------");
        assertThat(ftp.sendSiteCommand("CHMOD 4755 /pub/unix.txt")).isFalse(); // no set-uid bits
        var name = "héllo wörld ✓.txt";
        assertThat(ftp.storeFile(name, new ByteArrayInputStream("utf".getBytes(StandardCharsets.US_ASCII)))).isTrue();
        assertThat(root.resolve(name)).hasContent("utf");
        assertThat(ftp.listNames()).contains(name);
        ftp.disconnect();
    }

    @ParameterizedTest(name = "passive={0}")
    @ValueSource(booleans = {true, false})
    void storeUniqueNeverOverwrites(boolean passive) throws IOException {
        Files.writeString(root.resolve("upload"), "keep");
        var ftp = server.writer(passive);
        assertThat(ftp.storeUniqueFile(new ByteArrayInputStream("new".getBytes(StandardCharsets.US_ASCII)))).isTrue();
        assertThat(root.resolve("upload")).hasContent("keep");
        assertThat(root.resolve("upload.1")).hasContent("new");
        ftp.disconnect();
    }
}
