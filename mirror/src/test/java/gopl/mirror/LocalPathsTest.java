package gopl.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LocalPathsTest {
    @TempDir
    Path tmp;

    private String local(String url) {
        return local(url, null, false);
    }

    private String local(String url, String type, boolean adjust) {
        var root = tmp.resolve("out");
        return root.relativize(new LocalPaths(root, adjust).of(URI.create(url), type)).toString();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            http://example.com/                 | example.com/index.html
            http://example.com                  | example.com/index.html
            http://Example.COM/a/b.html         | example.com/a/b.html
            http://example.com:8080/docs/       | example.com:8080/docs/index.html
            http://example.com:80/x.css         | example.com/x.css
            https://example.com:443/x           | example.com/x
            https://example.com:80/x            | example.com:80/x
            http://h/a//b/c.png                 | h/a/b/c.png
            http://h/a/./b/../c.png             | h/a/c.png
            http://h/caf%C3%A9.html             | h/café.html
            http://h/my%20file.pdf              | h/my file.pdf
            http://h/p.php?id=1&x=%2F           | h/p.php@id=1&x=%2F
            http://h/?page=2                    | h/index.html@page=2
            http://h/search?q=a/b               | h/search@q=a%2Fb
            http://h/logo@2x.png                | h/logo@2x.png
            http://h/@scope/pkg                 | h/@scope/pkg
            http://h/100%25.html                | h/100%25.html
            http://h/a%2Fb                      | h/a%2Fb
            http://[::1]:8000/x                 | [::1]:8000/x
            """)
    void usesWgetMirrorLayout(String url, String expected) {
        assertThat(local(url)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            http://h/about          | text/html; charset=utf-8 | h/about.html
            http://h/a.htm          | text/html                | h/a.htm
            http://h/b.HTML         | text/html                | h/b.HTML
            http://h/dir/           | text/html                | h/dir/index.html
            http://h/p.php?x=1      | text/html                | h/p.php@x=1.html
            http://h/site           | text/css                 | h/site.css
            http://h/logo           | image/png                | h/logo
            http://h/unknown        | -                        | h/unknown
            """)
    void adjustsExtensionsLikeWgetE(String url, String type, String expected) {
        assertThat(local(url, type, true)).isEqualTo(expected);
        assertThat(local(url, type, false)).isEqualTo(url.endsWith("/") ? expected : url.substring("http://".length()).replace("?", "@"));
    }

    @Test
    void distinctUrlsGetDistinctFiles() {
        var urls = List.of("http://h/a/b", "http://h/a%2Fb", "http://h/a%252Fb", "http://h/a?b", "http://h/a", "http://h/a?", "http://h/a%5Cb", "http://h/a%255Cb", "http://h/%2E%2E",
                "http://h/%252E%252E", "http://h/x?a=1", "http://h/x?a=2", "http://h/x%3Fa=1", "http://h/%FF", "http://h/%25FF",
                "http://h/%C3%BF");
        var files = new HashSet<String>();
        for (var url : urls) {
            assertThat(files.add(local(url))).as("%s maps to a file already taken", url).isTrue();
        }
    }

    static Stream<String> hostileUrls() {
        var longName = "x".repeat(5000);
        return Stream.of(
                "http://h/../../../../etc/passwd",
                "http://h/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
                "http://h/.%2e/.%2E/x",
                "http://h/a/..%2f..%2f..%2f..%2fetc%2fpasswd",
                "http://h/..%5c..%5c..%5cwindows",
                "http://h/%2F%2F..%2F..%2Fx",
                "http://h/a%00b/c%00",
                "http://h/%0a%0d%09x%7f",
                "http://h/.",
                "http://h/..",
                "http://h/%2e",
                "http://h/?../../../x",
                "http://h/x?%2f..%2f..%2f..",
                "http://h/" + longName + ".html",
                "http://h/" + longName + "/" + longName + "?" + longName,
                "http://h/" + "%C3%A9".repeat(400),
                "http://%2e%2e/x",
                "http://../x",
                "http://h:1/%2e%2e%2f%2e%2e%2f");
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("hostileUrls")
    void hostileUrlsStayInsideDir(String url) throws IOException {
        var root = tmp.resolve("out");
        var paths = new LocalPaths(root, true);
        var path = paths.of(URI.create(url), "text/html");

        assertThat(path.normalize()).isEqualTo(path);
        assertThat(path.startsWith(root)).as("%s is inside %s", path, root).isTrue();
        assertThat(path.getNameCount()).isGreaterThan(root.getNameCount() + 1);
        for (var name : root.relativize(path)) {
            assertThat(name.toString()).isNotIn(".", "..", "").doesNotContain("/", "\0", "\\");
            assertThat(name.toString().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(255);
        }
        Files.createDirectories(root);
        new OutputDir(root).write(path, "saved".getBytes(StandardCharsets.UTF_8));
        assertThat(path).hasContent("saved");
        try (var files = Files.list(tmp)) {
            assertThat(files).containsExactly(root);
        }
    }

    @Test
    void longNamesAreCutKeepingExtensionAndStayDistinct() {
        var a = local("http://h/" + "x".repeat(300) + "a.png");
        var b = local("http://h/" + "x".repeat(300) + "b.png");
        assertThat(a).isNotEqualTo(b).endsWith(".png").startsWith("h/xxxx");
        assertThat(Path.of(a).getFileName().toString()).hasSizeLessThanOrEqualTo(LocalPaths.MAX_NAME_BYTES);
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain.html", "with space.html", "100%.css", "a:b.png", "q@x=1&y=2", "é#?.html", "(x)'y'.png"})
    void hrefsRoundTripToTheFile(String name) {
        var root = tmp.resolve("out");
        var paths = new LocalPaths(root, false);
        var from = root.resolve("h/a/b/page.html");
        var to = root.resolve("h/c").resolve(name);

        var href = LocalPaths.href(from, to);

        assertThat(href).startsWith("../../c/").doesNotContain(" ", "#", "?", ":", "(", "'");
        assertThat(URI.create(href).isAbsolute()).isFalse();
        assertThat(paths.target(from, href + "#frag")).isEqualTo(to);
        assertThat(from.getParent().resolve(URI.create(href).getPath()).normalize()).isEqualTo(to);
    }

    @Test
    void hrefInTheSameDirectoryIsTheFileName() {
        var root = tmp.resolve("out");
        assertThat(LocalPaths.href(root.resolve("h/a.html"), root.resolve("h/b.html"))).isEqualTo("b.html");
        assertThat(LocalPaths.href(root.resolve("h/a.html"), root.resolve("h/a.html"))).isEqualTo("a.html");
        assertThat(LocalPaths.href(root.resolve("h/a.html"), root.resolve("h/d/index.html"))).isEqualTo("d/index.html");
    }

    @Test
    void targetIgnoresAbsoluteLinksAndLinksLeavingDir() {
        var root = tmp.resolve("out");
        var paths = new LocalPaths(root, false);
        var from = root.resolve("h/page.html");
        assertThat(paths.target(from, "http://h/x.html")).isNull();
        assertThat(paths.target(from, "/etc/passwd")).isNull();
        assertThat(paths.target(from, "../../../etc/passwd")).isNull();
        assertThat(paths.target(from, "#top")).isNull();
        assertThat(paths.target(from, "sub/x.html#top")).isEqualTo(root.resolve("h/sub/x.html"));
    }
}
