package gopl.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import gopl.common.testing.InProcess;
import gopl.common.testing.RealTool;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** curl's options in fetch (-o, -O, --output-dir, -H, -I, -i, --retry, -s, -S, -f, -L), beside the real curl on the same server. */
class FetchCurlTest {
    private final TestServer server = new TestServer();
    private final InProcess io = new InProcess();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    @TempDir
    Path tmp;

    FetchCurlTest() throws Exception {}

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private int fetch(String... args) {
        var command = new FetchCommand();
        command.body = body;
        return io.run(command, args);
    }

    private static RealTool.Result curl(Path dir, Object... args) {
        RealTool.assume("curl");
        return RealTool.run(dir, RealTool.command(Stream.concat(Stream.of("curl"), Stream.of(args)).toArray()));
    }

    @Test
    void minusOWritesTheBodyToTheFileWholeAndKeepsTheOldOneOnFailure() throws IOException {
        server.respond("/a.txt", 200, Map.of(), "body of a".getBytes(StandardCharsets.UTF_8));
        var file = tmp.resolve("out.txt");

        assertThat(fetch("-o", file.toString(), server.url("/a.txt"))).isZero();
        assertThat(file).hasContent("body of a");
        assertThat(body.size()).isZero();
        curl(tmp, "-s", "-o", "curl.txt", server.url("/a.txt"));
        assertThat(tmp.resolve("curl.txt")).hasSameBinaryContentAs(file);

        assertThat(fetch("-o", file.toString(), server.url("/missing"))).isEqualTo(1);
        assertThat(file).as("a failed download leaves the file as it was").hasContent("body of a");
        try (var files = Files.list(tmp)) {
            assertThat(files).noneMatch(f -> f.getFileName().toString().endsWith(".part"));
        }
    }

    /** -O names the file as curl does: the URL's last segment as written, query dropped; none for a directory. */
    @Test
    void minusONamesFilesAsCurlDoes() throws IOException {
        for (var path : List.of("/dir/file.txt", "/dir/a%20b.txt", "/q.txt")) {
            server.respond(path.replace("%20", " "), 200, Map.of(), ("body " + path).getBytes(StandardCharsets.UTF_8));
        }
        server.respond("/dir/", 200, Map.of(), "index".getBytes(StandardCharsets.UTF_8));
        var ours = tmp.resolve("ours");
        var theirs = tmp.resolve("curl");
        Files.createDirectories(ours);
        var outcomes = new TreeMap<String, String>();
        for (var path : List.of("/dir/file.txt", "/dir/a%20b.txt", "/q.txt?x=1", "/dir/")) {
            int status = fetch("-s", "-O", "--dir", ours.toString(), server.url(path));
            int curlStatus = curl(theirs, "-s", "-O", server.url(path)).exitCode();
            outcomes.put(path, (status == 0) + " " + (curlStatus == 0));
        }

        assertThat(names(ours)).isEqualTo(names(theirs)).containsExactly("a%20b.txt", "file.txt", "q.txt");
        assertThat(outcomes.values()).containsOnly("true true", "false false");
        assertThat(outcomes.get("/dir/")).isEqualTo("false false");
        assertThat(ours.resolve("q.txt")).hasSameBinaryContentAs(theirs.resolve("q.txt"));
    }

    @Test
    void allWithMinusOSavesEachBodyInTheDirectory() throws IOException {
        server.respond("/a/x.txt", 200, Map.of(), "x".getBytes(StandardCharsets.UTF_8))
                .respond("/b/y.txt", 200, Map.of(), "yy".getBytes(StandardCharsets.UTF_8))
                .respond("/c/x.txt", 200, Map.of(), "other x".getBytes(StandardCharsets.UTF_8));
        var dir = tmp.resolve("saved");

        int status = fetch("--all", "-O", "--dir", dir.toString(), "--concurrency", "1", server.url("/a/x.txt"), server.url("/b/y.txt"),
                server.url("/c/x.txt"));

        assertThat(status).as("the third URL's name is the first's").isEqualTo(1);
        assertThat(dir.resolve("x.txt")).hasContent("x");
        assertThat(dir.resolve("y.txt")).hasContent("yy");
        assertThat(io.stderr()).contains(server.url("/c/x.txt") + ": " + dir.resolve("x.txt") + " is " + server.url("/a/x.txt")
                + "'s already");
    }

    @Test
    void headersGoAsCurlSendsThem() {
        server.respond("/h", 200, Map.of(), "h".getBytes(StandardCharsets.UTF_8));
        var args = List.of("-H", "X-Test: one", "-H", "User-Agent: agent/1", "-H", "Host: example.test", server.url("/h"));

        assertThat(fetch(args.toArray(String[]::new))).isZero();
        var withCurl = new ArrayList<Object>(List.of("-s", "-o", "/dev/null"));
        withCurl.addAll(args);
        curl(tmp, withCurl.toArray());

        assertThat(server.received).hasSize(2);
        for (var request : server.received) {
            assertThat(request.headers().getFirst("X-Test")).isEqualTo("one");
            assertThat(request.headers().getFirst("User-Agent")).isEqualTo("agent/1");
            assertThat(request.headers().getFirst("Host")).isEqualTo("example.test");
        }
    }

    /** -I: a HEAD request, and the status line and headers as curl prints them (order aside: Java sorts them). */
    @Test
    void minusIPrintsTheHeadersOfAHeadRequest() {
        server.respond("/page", 200, Map.of("Content-Type", "text/plain", "X-Server", "test"), "page".getBytes(StandardCharsets.UTF_8));

        assertThat(fetch("-I", server.url("/page"))).isZero();
        var ours = body.toString(StandardCharsets.ISO_8859_1);
        var theirs = curl(tmp, "-s", "-I", server.url("/page")).stdout();

        assertThat(server.received).extracting(TestServer.Received::method).containsExactly("HEAD", "HEAD");
        assertThat(ours).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\n");
        assertThat(headerLines(ours)).isEqualTo(headerLines(theirs)).contains("content-type: text/plain", "x-server: test");
    }

    @Test
    void minusIIncludesTheHeadersBeforeTheBody() {
        server.respond("/page", 200, Map.of("Content-Type", "text/plain"), "the body".getBytes(StandardCharsets.UTF_8));

        assertThat(fetch("-i", server.url("/page"))).isZero();

        var text = body.toString(StandardCharsets.ISO_8859_1);
        assertThat(text).startsWith("HTTP/1.1 200 OK\r\n").contains("\r\ncontent-type: text/plain\r\n").endsWith("\r\n\r\nthe body");
    }

    /** --retry: a 503, a 503, then 200; with two retries both get it, with one both give up after two requests. */
    @Test
    void retriesTransientErrorsAsOftenAsCurl() {
        server.flaky("/ours2", 2, 503, "ok").flaky("/curl2", 2, 503, "ok").flaky("/ours1", 2, 503, "ok").flaky("/curl1", 2, 503, "ok");

        assertThat(fetch("--retry", "2", "--retry-delay", "1", server.url("/ours2"))).isZero();
        assertThat(body.toString(StandardCharsets.UTF_8)).isEqualTo("ok");
        assertThat(curl(tmp, "-s", "-f", "--retry", "2", "--retry-delay", "1", server.url("/curl2")).exitCode()).isZero();
        assertThat(fetch("--retry", "1", "--retry-delay", "1", server.url("/ours1"))).isEqualTo(1);
        assertThat(curl(tmp, "-s", "-f", "--retry", "1", "--retry-delay", "1", server.url("/curl1")).exitCode()).isNotZero();

        assertThat(List.of(server.requests("/ours2"), server.requests("/ours1")))
                .isEqualTo(List.of(server.requests("/curl2"), server.requests("/curl1"))).isEqualTo(List.of(3L, 2L));
        assertThat(io.stderr()).contains(server.url("/ours2") + ": 503 Service Unavailable; trying again in 1s (2 tries left)");
    }

    /** -s prints nothing on stderr, -sS only errors, as curl's; a failure is the exit status either way. */
    @Test
    void silentAndShowErrorAsCurl() {
        var refused = "http://127.0.0.1:1/";
        assertThat(fetch("-s", refused)).isEqualTo(1);
        assertThat(io.stderr()).isEmpty();
        var curlSilent = curl(tmp, "-s", refused);
        assertThat(curlSilent.stderr()).isEmpty();

        assertThat(fetch("-sS", refused)).isEqualTo(1);
        assertThat(io.stderr()).isEqualTo("fetch: " + refused + ": connection refused\n");
        assertThat(curl(tmp, "-sS", refused).stderr()).contains("Failed to connect");

        server.respond("/ok", 200, Map.of(), "ok".getBytes(StandardCharsets.UTF_8));
        assertThat(fetch("-s", server.url("/ok"))).isZero();
        assertThat(io.stderr()).as("no 'won in' line either").isEqualTo("fetch: " + refused + ": connection refused\n");
    }

    /** curl's -fsSL habit: -f and -L are what fetch always does, so they are accepted and change nothing. */
    @Test
    void theFsslHabitDoesWhatItDoesInCurl() {
        server.respond("/moved", 302, Map.of("Location", "/ok"), new byte[0])
                .respond("/ok", 200, Map.of(), "ok".getBytes(StandardCharsets.UTF_8))
                .respond("/missing", 404, Map.of(), "not here".getBytes(StandardCharsets.UTF_8));
        assertThat(fetch("-fsSL", server.url("/moved"))).isZero();
        assertThat(body.toString(StandardCharsets.UTF_8)).isEqualTo("ok");
        assertThat(curl(tmp, "-fsSL", server.url("/moved")).stdout()).isEqualTo("ok");

        body.reset();
        assertThat(fetch("--fail", "--location", "-s", server.url("/missing"))).isEqualTo(1);
        assertThat(body.size()).isZero();
        assertThat(io.stderr()).isEmpty();
        var curlMissing = curl(tmp, "-fsL", server.url("/missing"));
        assertThat(curlMissing.exitCode()).isEqualTo(22);
        assertThat(curlMissing.stdout()).isEmpty();
        assertThat(curlMissing.stderr()).isEmpty();
    }

    /** gzip and deflate bodies come out decoded, as curl --compressed writes them. */
    @Test
    void compressedBodiesAreWrittenAsCurlCompressedWritesThem() {
        var text = "a body worth compressing ".repeat(100).getBytes(StandardCharsets.UTF_8);
        server.respond("/gz", 200, Map.of("Content-Encoding", "gzip"), gopl.common.testing.Compressed.gzip(text))
                .respond("/df", 200, Map.of("Content-Encoding", "deflate"), gopl.common.testing.Compressed.deflate(text, true));
        for (var path : List.of("/gz", "/df")) {
            body.reset();
            assertThat(fetch(server.url(path))).isZero();
            assertThat(body.toByteArray()).isEqualTo(text);
            assertThat(curl(tmp, "-s", "--compressed", "-o", "c.out", server.url(path)).exitCode()).isZero();
            assertThat(tmp.resolve("c.out")).hasBinaryContent(text);
        }
        assertThat(server.received).extracting(r -> r.headers().getFirst("Accept-Encoding")).first().isEqualTo("gzip, deflate");
    }

    /** A compression bomb: cut off at --max-filesize, or at 1 GiB when none is given (curl inflates it all). */
    @Test
    void aCompressionBombIsCutOff() {
        server.respond("/bomb", 200, Map.of("Content-Encoding", "gzip"), gopl.common.testing.Compressed.bomb(2L << 30));

        assertThat(fetch("--max-filesize", "1M", server.url("/bomb"))).isEqualTo(1);
        assertThat(io.stderr()).contains("larger than the size cap of 1048576 bytes once decompressed");
        assertThat(body.size()).isLessThanOrEqualTo(1 << 20);

        assertThat(fetch("--all", server.url("/bomb"))).isEqualTo(1);
        assertThat(io.stderr()).contains(server.url("/bomb") + ": larger than the size cap of 1073741824 bytes once decompressed");
    }

    private static TreeSet<String> names(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            var names = new TreeSet<String>();
            files.map(f -> f.getFileName().toString()).forEach(names::add);
            return names;
        }
    }

    /** The header lines of a response head, names in lower case, without the date (it differs by a second). */
    private static TreeSet<String> headerLines(String head) {
        var lines = new TreeSet<String>();
        head.lines().skip(1).filter(line -> !line.isBlank() && !line.toLowerCase(Locale.ROOT).startsWith("date:")).forEach(line -> {
            int colon = line.indexOf(':');
            lines.add(line.substring(0, colon).toLowerCase(Locale.ROOT) + line.substring(colon));
        });
        return lines;
    }
}
