package gopl.mirror;

import static gopl.mirror.MirrorTest.mirror;
import static org.assertj.core.api.Assertions.assertThat;

import gopl.common.testing.RealTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * wget's scope options (-np, -A, -R, -I, -X, --accept-regex, --reject-regex, -H with -D): mirror
 * keeps the same files as the real wget on the same site, in the same test.
 */
class MirrorScopeTest extends SiteFixture {
    private void serveSite() {
        site.html("/", "<a href=\"docs/\">docs</a> <a href=\"other/o.html\">o</a> <a href=\"top.pdf\">pdf</a>"
                        + " <img src=\"img/logo.gif\"> <a href=\"docs/a.html?page=2\">page 2</a>")
                .html("/docs/", "<link rel=stylesheet href=\"/css/s.css\"><a href=\"a.html\">a</a> <a href=\"../other/p.html\">up</a>"
                        + " <a href=\"notes.txt\">t</a> <a href=\"skip/s.html\">s</a> <a href=\"sub/\">sub</a> <img src=\"/img/pic.png\">")
                .html("/docs/a.html", "<a href=\"b.pdf\">b</a> <a href=\"c.txt\">c</a>")
                .html("/docs/a.html?page=2", "<a href=\"d.pdf\">d</a>")
                .html("/docs/skip/s.html", "<a href=\"e.pdf\">e</a>")
                .html("/docs/sub/", "<a href=\"d.html\">d</a>")
                .html("/docs/sub/d.html", "d")
                .html("/other/o.html", "o")
                .html("/other/p.html", "p")
                .css("/css/s.css", "body { background: url(/img/bg.gif) }");
        for (var path : List.of("/top.pdf", "/docs/b.pdf", "/docs/d.pdf", "/docs/skip/e.pdf")) {
            site.file(path, "application/pdf", TestSite.bytes("pdf " + path));
        }
        for (var path : List.of("/docs/notes.txt", "/docs/c.txt")) {
            site.file(path, "text/plain", TestSite.bytes("text " + path));
        }
        for (var path : List.of("/img/logo.gif", "/img/bg.gif", "/img/pic.png")) {
            site.file(path, "image/png", TestSite.bytes("image " + path));
        }
    }

    @ParameterizedTest(name = "{0} from {1}")
    @CsvSource(delimiter = ';', value = {
        "-np ; /docs/",
        "-np -A html ; /docs/",
        "-A pdf,*.gif ; /",
        "-R txt,*.png ; /",
        "-A *.pdf -R b.pdf ; /",
        "-X /docs/skip ; /",
        "-X /do*/s?ip ; /",
        "-I /docs,/img ; /",
        "--reject-regex page= ; /",
        "--accept-regex \\.(html|pdf)$|/$ ; /",
        "-m -k -p -np -N -nv -c -r ; /docs/"})
    void keepsTheFilesWgetKeeps(String options, String start) throws IOException {
        RealTool.assume("wget");
        serveSite();
        var args = List.of(options.split(" "));

        var wget = new ArrayList<>(List.of("wget", "-q", "--mirror", "--convert-links", "--page-requisites",
                "--restrict-file-names=windows"));
        wget.addAll(args);
        wget.add(site.url(start));
        RealTool.run(tmp.resolve("wget"), wget);
        var ours = new ArrayList<>(List.of("--no-adjust-extension", "-P", out.toString()));
        ours.addAll(args);
        ours.add(site.url(start));
        var run = mirror(ours.toArray(String[]::new));

        assertThat(run.status()).as(run.stderr()).isZero();
        var expected = files(tmp.resolve("wget"));
        assertThat(expected).as("wget kept something").isNotEmpty();
        assertThat(files(out)).as(String.join(" ", ours)).isEqualTo(expected);
    }

    /** -H alone would roam the web; -D keeps it to the domains listed. */
    @Test
    void spansToTheHostsOfDomainsLikeWget() throws IOException {
        RealTool.assume("wget");
        var other = new TestSite();
        try {
            other.html("/", "<a href=\"x.html\">x</a>").html("/x.html", "x");
            site.html("/", "<a href=\"http://localhost:" + other.port() + "/\">other host</a> <a href=\"a.html\">a</a>").html("/a.html", "a");
            for (var options : List.of(List.<String>of(), List.of("-H", "-D", "localhost"), List.of("-H", "-D", "example.org"),
                    List.of("-H", "--exclude-domains", "localhost"))) {
                var name = String.join("_", options);
                var wget = new ArrayList<>(List.of("wget", "-q", "--mirror", "--convert-links", "--page-requisites"));
                wget.addAll(options);
                wget.add(site.url("/"));
                RealTool.run(tmp.resolve("wget" + name), wget);
                var ours = new ArrayList<>(List.of("-P", tmp.resolve("ours" + name).toString()));
                ours.addAll(options);
                ours.add(site.url("/"));
                assertThat(mirror(ours.toArray(String[]::new)).status()).isZero();

                assertThat(files(tmp.resolve("ours" + name))).as(name).isEqualTo(files(tmp.resolve("wget" + name)));
            }
            assertThat(files(tmp.resolve("ours-H_-D_localhost"))).contains("localhost:" + other.port() + "/x.html");
        } finally {
            other.close();
        }
    }

    /**
     * The files under a mirror directory, relative to it, without mirror's state; wget's windows
     * names (which name queries as mirror does) write the host's port after a + instead of a :.
     */
    private static TreeSet<String> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return new TreeSet<>();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            var files = new TreeSet<String>();
            walk.filter(Files::isRegularFile).map(file -> dir.relativize(file).toString().replaceFirst("^([^/]+)\\+(\\d+)/", "$1:$2/"))
                    .filter(name -> !name.startsWith(".mirror/") && !name.endsWith("robots.txt")).forEach(files::add);
            return files;
        }
    }
}
