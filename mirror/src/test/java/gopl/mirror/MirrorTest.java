package gopl.mirror;

import static gopl.mirror.TestSite.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import gopl.common.Cli;
import gopl.common.testing.Eventually;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mirror run in-process against sites served on loopback, checked file by file. */
class MirrorTest {
    @TempDir
    Path tmp;

    Path out;
    TestSite site;
    TestSite other; // another host: nothing there may be requested

    record Run(int status, String stdout, String stderr) {}

    @BeforeEach
    void start() throws IOException {
        out = tmp.resolve("out");
        site = new TestSite();
        other = new TestSite();
    }

    @AfterEach
    void stop() {
        site.close();
        other.close();
    }

    static Run mirror(String... args) {
        var stdout = new ByteArrayOutputStream();
        var stderr = new ByteArrayOutputStream();
        int status = Cli.run(new MirrorCommand(), new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8), args);
        return new Run(status, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
    }

    private Path host() {
        return out.resolve("127.0.0.1:" + site.port());
    }

    /** The full site's home page, with %1$s for the other host's authority. */
    static final String FULL_SITE_HOME = """
                <!doctype html><html><head><title>home</title>
                <link rel="stylesheet" href="/css/site.css"><link rel="icon" href="/favicon.ico">
                <script src="js/app.js"></script><style>body { background: url(img/bg.png) }</style>
                </head><body>
                <a href="about">about</a> <a href="dir/">dir</a> <a href="dir/b.html#sec">b</a> <a href="list?page=2">list</a>
                <a href="old">moved</a> <a href="missing.html">missing</a> <a href="#top">top</a> <a href="mailto:a@b.c">mail</a>
                <a href="http://%1$s/x">off</a> <a href="//%1$s/y">off too</a> <img src="http://%1$s/logo.png">
                <img src="img/a.png" srcset="img/a.png 1x, img/a@2x.png 2x"><iframe src="/frame.html"></iframe>
                </body></html>""";

    /** A small site with every kind of link, plus a redirect, a 404 and links to another host. */
    private void serveFullSite() {
        var elsewhere = "127.0.0.1:" + other.port();
        site.html("/", FULL_SITE_HOME.formatted(elsewhere));
        site.html("/about", "<p>about <a href=\"/\">home</a> <link rel=stylesheet href=\"/style\">");
        site.html("/dir/", "<a href=\"../\">up</a> <a href=\"b.html\">b</a> <a href=\"c%20d.html\">c d</a>");
        site.html("/dir/b.html", "<h1 id=sec>b</h1><a href=\"../about\">about</a><img src=\"/img/a.png\">");
        site.html("/dir/c%20d.html", "<a href=\"http://" + elsewhere + "/z\">z</a>");
        site.html("/list?page=2", "<a href=\"list?page=3\">next</a>");
        site.html("/list?page=3", "<a href=\"/\">home</a>");
        site.redirect("/old", "/dir/b.html");
        site.css("/css/site.css", "@import \"more.css\"; body { background: url('../img/bg.png') } @font-face { src: url(/fonts/f.woff2) }");
        site.css("/css/more.css", ".x { background: url(\"../img/more.png\") }");
        site.css("/style", "p { color: red }");
        site.html("/frame.html", "<img src=\"img/frame.png\">");
        for (var file : List.of("/favicon.ico", "/js/app.js", "/img/a.png", "/img/a@2x.png", "/img/bg.png", "/img/more.png",
                "/fonts/f.woff2", "/img/frame.png")) {
            site.file(file, "application/octet-stream", bytes("content of " + file));
        }
    }

    private static final Set<String> FULL_SITE_FILES = Set.of("index.html", "about.html", "dir/index.html", "dir/b.html",
            "dir/c d.html", "list@page=2.html", "list@page=3.html", "css/site.css", "css/more.css", "style.css",
            "frame.html", "favicon.ico", "js/app.js", "img/a.png", "img/a@2x.png", "img/bg.png", "img/more.png",
            "fonts/f.woff2", "img/frame.png");

    @Test
    void savesEveryPageAndRequisiteInWgetLayout() throws IOException {
        serveFullSite();

        var run = mirror("-P", out.toString(), site.url("/"));

        assertThat(run.status()).as(run.stderr()).isZero();
        assertThat(filesUnder(host())).isEqualTo(new TreeSet<>(FULL_SITE_FILES));
        assertThat(filesUnder(tmp)).allMatch(f -> f.startsWith("out/127.0.0.1:" + site.port() + "/") || f.startsWith("out/.mirror/"));
        assertThat(host().resolve("img/a@2x.png")).hasContent("content of /img/a@2x.png");
        assertThat(run.stderr()).contains(site.url("/missing.html") + ": 404 Not Found")
                .contains("saved 19 files").contains("1 failed").contains("start page:");
        assertThat(run.stdout()).isEmpty();
    }

    @Test
    void offHostLinksAreNeverRequestedAndStayAsWritten() throws IOException {
        serveFullSite();
        site.redirect("/away", other.url("/redirected")); // a redirect out of the site is not followed either
        site.html("/dir/c%20d.html", "<a href=\"/away\">away</a> <a href=\"" + other.url("/z") + "\">z</a>");

        var run = mirror("-P", out.toString(), site.url("/"));

        assertThat(run.status()).as(run.stderr()).isZero();
        assertThat(other.requests()).isEmpty();
        var index = Files.readString(host().resolve("index.html"));
        assertThat(index).contains("href=\"" + other.url("/x") + "\"").contains("src=\"" + other.url("/logo.png") + "\"")
                .contains("href=\"" + other.url("/y") + "\"") // protocol-relative: absolute, or it would point to file:
                .contains("href=\"mailto:a@b.c\"").contains("href=\"#top\"");
        assertThat(Files.readString(host().resolve("dir/c d.html"))).contains("href=\"" + other.url("/z") + "\"");
        assertThat(run.stderr()).contains(site.url("/away") + ": redirected out of scope");
    }

    @Test
    void rewrittenLinksReachEverySavedFileFromTheStartPage() throws IOException {
        serveFullSite();

        var run = mirror("-P", out.toString(), site.url("/"));

        assertThat(run.status()).as(run.stderr()).isZero();
        var walk = walk(host().resolve("index.html"));
        assertThat(walk.dangling()).isEmpty();
        assertThat(walk.reached()).isEqualTo(filesUnder(host()));
        // Only the link to the page that failed still points at the site itself.
        assertThat(walk.absolute()).filteredOn(link -> link.contains("127.0.0.1:" + site.port()))
                .containsOnly(site.url("/missing.html"));
        assertThat(Files.readString(host().resolve("index.html")))
                .contains("href=\"dir/b.html#sec\"", "href=\"about.html\"", "href=\"dir/index.html\"",
                        "href=\"list@page=2.html\"", "href=\"dir/b.html\">moved", "srcset=\"img/a.png 1x, img/a@2x.png 2x\"");
        assertThat(Files.readString(host().resolve("css/site.css"))).isEqualTo(
                "@import \"more.css\"; body { background: url('../img/bg.png') } @font-face { src: url(../fonts/f.woff2) }");
        assertThat(Files.readString(host().resolve("dir/index.html"))).contains("href=\"c%20d.html\"", "href=\"../index.html\"");
    }

    @Test
    void depthLimitKeepsRequisitesAndLeavesDeeperLinksAbsolute() throws IOException {
        site.html("/", "<a href=\"one.html\">1</a>");
        site.html("/one.html", "<link rel=stylesheet href=one.css><img src=one.png><a href=\"two.html\">2</a><a href=\"/\">home</a>");
        site.css("/one.css", "b { background: url(deep.png) }");
        site.file("/one.png", "image/png", bytes("png"));
        site.file("/deep.png", "image/png", bytes("deep"));
        site.html("/two.html", "<a href=\"three.html\">3</a>");

        var run = mirror("-depth=1", "-P", out.toString(), site.url("/"));

        assertThat(run.status()).as(run.stderr()).isZero();
        assertThat(filesUnder(host())).containsExactlyInAnyOrder("index.html", "one.html", "one.css", "one.png", "deep.png");
        assertThat(site.requests()).doesNotContain("/two.html");
        assertThat(Files.readString(host().resolve("one.html")))
                .contains("href=\"" + site.url("/two.html") + "\"", "href=\"index.html\"", "src=one.png>"); // as written but the links
    }

    @Test
    void pagesFetchedAtTheDepthLimitGetLocalLinksToPagesSavedByAShorterPath() throws IOException {
        // /deep.html is at depth 1, and slow: it is saved after /a/x.html (depth 2, the limit) links to it.
        site.html("/", "<a href=\"a/\">a</a> <a href=\"deep.html\">deep</a>").slow("/deep.html", Duration.ofMillis(500));
        site.html("/a/", "<a href=\"x.html\">x</a>");
        site.html("/a/x.html", "<a href=\"../deep.html\">deep</a> <a href=\"y.html\">y</a>");
        site.html("/deep.html", "deep");

        var run = mirror("--depth", "2", "-P", out.toString(), site.url("/"));

        assertThat(run.status()).as(run.stderr()).isZero();
        assertThat(Files.readString(host().resolve("a/x.html")))
                .contains("href=\"../deep.html\"", "href=\"" + site.url("/a/y.html") + "\"");
    }

    @Test
    void extensionlessPagesGetHtmlUnlessAskedNotTo() throws IOException {
        site.html("/", "<a href=\"about\">about</a> <a href=\"page.php?id=1&amp;x=a/b\">php</a> <link rel=stylesheet href=\"theme\">");
        site.html("/about", "about");
        site.html("/page.php?id=1&x=a/b", "php");
        site.css("/theme", "p {}");

        var adjusted = mirror("-P", out.resolve("e").toString(), site.url("/"));
        var plain = mirror("-P", out.resolve("plain").toString(), "--no-adjust-extension", site.url("/"));

        assertThat(adjusted.status()).as(adjusted.stderr()).isZero();
        assertThat(plain.status()).as(plain.stderr()).isZero();
        var hostDir = "127.0.0.1:" + site.port();
        assertThat(filesUnder(out.resolve("e").resolve(hostDir)))
                .containsExactlyInAnyOrder("index.html", "about.html", "page.php@id=1&x=a%2Fb.html", "theme.css");
        assertThat(filesUnder(out.resolve("plain").resolve(hostDir)))
                .containsExactlyInAnyOrder("index.html", "about", "page.php@id=1&x=a%2Fb", "theme");
        assertThat(Files.readString(out.resolve("e").resolve(hostDir).resolve("index.html")))
                .contains("href=\"about.html\"", "href=\"page.php@id=1&amp;x=a%252Fb.html\"", "href=\"theme.css\"");
        assertThat(walk(out.resolve("e").resolve(hostDir).resolve("index.html")).dangling()).isEmpty();
        assertThat(walk(out.resolve("plain").resolve(hostDir).resolve("index.html")).dangling()).isEmpty();
    }

    @Test
    void hostileUrlsAreSavedInsideDir() throws IOException {
        var hostile = List.of("/../../escape1.html", "/%2e%2e/%2e%2e/escape2.html", "/a/..%2f..%2f..%2fescape3.html",
                "/..%5c..%5cescape4.html", "/x%00y.html", "/" + "n".repeat(400) + ".html", "/%2F%2Fetc%2Fpasswd",
                "/q?../../../escape5", "/.%2e/.%2e/escape6.html");
        var links = new StringBuilder();
        hostile.forEach(link -> links.append("<a href=\"").append(link).append("\">x</a>\n"));
        site.html("/", links.toString());
        site.fallback(path -> new TestSite.Resource(200, "text/html", bytes("<p>page " + path), null));

        var run = mirror("-P", out.toString(), site.url("/"));

        assertThat(run.status()).as(run.stderr()).isZero();
        try (var all = Files.walk(tmp)) {
            assertThat(all.filter(Files::isRegularFile).filter(file -> !file.startsWith(out.resolve(".mirror"))))
                    .allMatch(file -> file.startsWith(host())).hasSize(2 + hostile.size());
        }
        assertThat(walk(host().resolve("index.html")).reached()).hasSize(1 + hostile.size());
    }

    @Test
    void honoursRobotsTxtUnlessToldNotTo() throws IOException {
        site.file("/robots.txt", "text/plain", bytes("User-agent: *\nDisallow: /private/\n"));
        site.html("/", "<a href=\"private/p.html\">private</a> <a href=\"public.html\">public</a>");
        site.html("/private/p.html", "private");
        site.html("/public.html", "public");

        var run = mirror("-P", out.toString(), site.url("/"));

        assertThat(run.status()).as(run.stderr()).isZero();
        assertThat(site.requests()).contains("/robots.txt", "/public.html").doesNotContain("/private/p.html");
        assertThat(Files.readString(host().resolve("index.html"))).contains("href=\"" + site.url("/private/p.html") + "\"");
        assertThat(filesUnder(host())).containsExactlyInAnyOrder("robots.txt", "index.html", "public.html");

        for (var off : List.of(List.of("--no-robots"), List.of("-e", "robots=off"))) {
            var args = new ArrayList<>(off);
            args.addAll(List.of("-P", tmp.resolve("all").toString(), site.url("/")));
            assertThat(mirror(args.toArray(String[]::new)).status()).isZero();
            assertThat(tmp.resolve("all/127.0.0.1:" + site.port() + "/private/p.html")).exists();
        }
        assertThat(mirror("-e", "quota=1", site.url("/")).status()).isEqualTo(2);
    }

    @Test
    void rerunUpdatesTheMirrorInPlace() throws IOException {
        site.html("/", "<a href=\"a.html\">a</a>");
        site.html("/a.html", "first");
        assertThat(mirror("-P", out.toString(), "127.0.0.1:" + site.port()).status()).isZero(); // http:// assumed

        site.html("/", "<a href=\"a.html\">a</a> <a href=\"b.html\">b</a>");
        site.html("/a.html", "second");
        site.html("/b.html", "new");
        var run = mirror("-P", out.toString(), site.url("/"));

        assertThat(run.status()).as(run.stderr()).isZero();
        assertThat(Files.readString(host().resolve("a.html"))).contains("second").doesNotContain("first");
        assertThat(Files.readString(host().resolve("b.html"))).contains("new");
        assertThat(filesUnder(host())).containsExactlyInAnyOrder("index.html", "a.html", "b.html");
    }

    /** The polite defaults: 4 requests at once to a host, whatever --concurrency; -w: one at a time. */
    @Test
    void pressesAHostWithFourRequestsAtOnceByDefaultAndOneWithAWait() throws IOException {
        var links = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            links.append("<a href=\"p").append(i).append(".html\">").append(i).append("</a>");
            site.html("/p" + i + ".html", "page " + i);
        }
        site.html("/", links.toString()).delay(Duration.ofMillis(100));

        assertThat(mirror("--concurrency", "20", "-P", out.toString(), site.url("/")).status()).isZero();
        assertThat(site.maxInFlight()).isBetween(2, 4);

        var waited = new TestSite();
        try {
            waited.html("/", "<a href=\"a.html\">a</a> <a href=\"b.html\">b</a>").html("/a.html", "a").html("/b.html", "b");
            assertThat(mirror("-w", "0.1", "--random-wait", "-P", tmp.resolve("w").toString(), waited.url("/")).status()).isZero();
            assertThat(waited.maxInFlight()).isEqualTo(1);
            assertThat(waited.requests()).hasSize(4); // robots.txt too
        } finally {
            waited.close();
        }
    }

    /** wget's -o FILE, -a FILE and -q: the messages go to the file, or nowhere. */
    @Test
    void messagesGoToTheLogFileOrNowhereAsWithWget() throws IOException {
        site.html("/", "<a href=\"missing.html\">m</a>");
        var log = tmp.resolve("mirror.log");

        var logged = mirror("-o", log.toString(), "-P", out.toString(), site.url("/"));
        var appended = mirror("-a", log.toString(), "-P", out.toString(), site.url("/"));
        var quiet = mirror("-q", "-P", out.toString(), site.url("/"));

        assertThat(List.of(logged.status(), appended.status(), quiet.status())).containsOnly(0);
        assertThat(logged.stderr() + appended.stderr() + quiet.stderr()).isEmpty();
        assertThat(Files.readAllLines(log)).filteredOn(line -> line.contains("missing.html: 404 Not Found")).hasSize(2);
        assertThat(Files.readString(log)).contains("mirror: saved 1 file").contains("1 unchanged");
        assertThat(mirror("-o", tmp.toString(), site.url("/")).stderr()).startsWith("mirror: cannot write " + tmp + ": ");
    }

    /** A site that sends gzip and deflate: saved decoded, the same bytes as wget --compression=auto saves. */
    @Test
    void compressedFilesAreSavedDecodedAsWgetSavesThem() throws IOException {
        gopl.common.testing.RealTool.assume("wget");
        var text = bytes("plain text, ".repeat(200));
        site.html("/", "<a href=\"a.txt\">a</a> <a href=\"b.txt\">b</a>")
                .file("/a.txt", "text/plain", gopl.common.testing.Compressed.gzip(text)).header("/a.txt", "Content-Encoding", "gzip")
                .file("/b.txt", "text/plain", gopl.common.testing.Compressed.deflate(text, true)).header("/b.txt", "Content-Encoding", "deflate");

        assertThat(mirror("-P", out.toString(), site.url("/")).status()).isZero();
        gopl.common.testing.RealTool.run(tmp.resolve("wget"), List.of("wget", "-q", "-m", "-k", "-p", "--compression=auto", site.url("/")));

        var wgetHost = tmp.resolve("wget").resolve(host().getFileName());
        assertThat(host().resolve("a.txt")).hasBinaryContent(text).hasSameBinaryContentAs(wgetHost.resolve("a.txt"));
        assertThat(host().resolve("b.txt")).hasBinaryContent(text);
        assertThat(site.received()).filteredOn(r -> String.valueOf(r.header("User-Agent")).startsWith("gopl-mirror"))
                .allMatch(r -> "gzip, deflate".equals(r.header("Accept-Encoding")));
    }

    @Test
    void aFileWhereADirectoryMustGoIsOneErrorNotTheEnd() throws IOException {
        // /data is a file and /data/x.png needs a directory of that name: one of them cannot be saved.
        site.html("/", "<a href=\"data\">data</a> <img src=\"data/x.png\"> <a href=\"ok.html\">ok</a>");
        site.file("/data", "application/octet-stream", bytes("data"));
        site.file("/data/x.png", "image/png", bytes("png"));
        site.html("/ok.html", "ok");

        var run = mirror("-P", out.toString(), site.url("/"));

        assertThat(run.status()).as(run.stderr()).isZero();
        assertThat(run.stderr().lines().filter(line -> line.contains("cannot save"))).singleElement().asString()
                .containsAnyOf("is a file, where a directory must go", "Is a directory").doesNotContain("Exception");
        assertThat(filesUnder(host())).contains("index.html", "ok.html").containsAnyOf("data", "data/x.png").hasSize(3);
        assertThat(walk(host().resolve("index.html")).dangling()).isEmpty();
    }

    @Test
    void fetchesConcurrentlyWithinTheBound() {
        var links = new StringBuilder();
        for (int i = 0; i < 24; i++) {
            links.append("<a href=\"p").append(i).append(".html\">").append(i).append("</a>");
            site.html("/p" + i + ".html", "page " + i);
        }
        site.html("/", links.toString()).delay(Duration.ofMillis(100));

        var run = mirror("--concurrency", "4", "-P", out.toString(), site.url("/"));

        assertThat(run.status()).as(run.stderr()).isZero();
        assertThat(site.maxInFlight()).isBetween(2, 4);
    }

    @Test
    void interruptStopsPromptlyAndLeavesOnlyWholeFiles() throws Exception {
        var links = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            links.append("<a href=\"p").append(i).append(".html\">").append(i).append("</a>");
            site.html("/p" + i + ".html", "<p>page " + i + "</p>" + "x".repeat(10_000) + "<p>end</p>");
        }
        site.html("/", links.toString()).delay(Duration.ofMillis(300));
        var result = new CompletableFuture<Run>();
        var thread = Thread.ofPlatform().start(() -> result.complete(mirror("--concurrency", "2", "-P", out.toString(), site.url("/"))));
        Eventually.eventually(Duration.ofSeconds(30), "six requests", () -> site.requests().size() >= 6 || result.isDone());
        assertThat(result.isDone()).as(() -> "mirror ended before it was interrupted: " + result.getNow(null)).isFalse();
        thread.interrupt();

        var run = result.get(20, TimeUnit.SECONDS);

        assertThat(run.status()).isEqualTo(gopl.common.Cli.INTERRUPTED);
        assertThat(run.stderr()).contains("interrupted: saved").doesNotContain("Exception");
        var saved = filesUnder(host());
        assertThat(saved).contains("index.html").hasSizeLessThan(401).noneMatch(name -> name.contains(".part"));
        for (var name : saved) {
            assertThat(Files.readString(host().resolve(name))).endsWith(name.equals("index.html") ? "399</a>" : "<p>end</p>");
        }
    }

    @Test
    void failingStartPageIsAnErrorAndUsageErrorsExit2() {
        var notFound = mirror("-P", out.toString(), site.url("/nothing-here"));
        assertThat(notFound.status()).isEqualTo(1);
        assertThat(notFound.stderr()).contains("404 Not Found").contains("mirror: could not mirror");

        assertThat(mirror("ftp://example.com/").status()).isEqualTo(2);
        assertThat(mirror("--concurrency", "0", site.url("/")).status()).isEqualTo(2);
        assertThat(mirror("-depth", "-1", site.url("/")).status()).isEqualTo(2);
        assertThat(mirror("--max-size", "lots", site.url("/")).stderr()).startsWith("mirror: ").hasLineCount(1);
        assertThat(mirror().status()).isEqualTo(2);
    }

    @Test
    void outputThatIsAFileIsARuntimeError() throws IOException {
        var file = Files.writeString(tmp.resolve("file"), "x");
        var run = mirror("-P", file.toString(), site.url("/"));
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.stderr().strip()).isEqualTo("mirror: cannot write to " + file + ": Not a directory");
    }

    // --- Checking a mirror from disk, as a browser would see it ---

    record Walk(Set<String> reached, List<String> dangling, List<String> absolute) {}

    /**
     * Follows every link from the start file over the saved files, resolving relative links as
     * file: URLs the way a browser does, independently of LocalPaths.
     */
    static Walk walk(Path start) throws IOException {
        var root = start.getParent();
        var reached = new TreeSet<String>();
        var dangling = new ArrayList<String>();
        var absolute = new ArrayList<String>();
        var queue = new ArrayDeque<Path>(List.of(start));
        reached.add(root.relativize(start).toString());
        for (Path file; (file = queue.poll()) != null; ) {
            var from = file;
            LinkRewriter.Visitor follow = (link, base, requisite) -> {
                var target = URI.create(from.toUri().toString()).resolve(link);
                if (!"file".equals(target.getScheme())) {
                    absolute.add(link);
                } else {
                    var path = Path.of(URI.create(target.toString().split("#")[0]));
                    if (!Files.isRegularFile(path)) {
                        dangling.add(from + " -> " + link);
                    } else if (path.startsWith(root) && reached.add(root.relativize(path).toString())) {
                        queue.add(path);
                    }
                }
                return null;
            };
            var name = file.getFileName().toString();
            if (name.endsWith(".html")) {
                JsoupLinks.rewrite(Jsoup.parse(file.toFile(), null, from.toUri().toString()), follow);
            } else if (name.endsWith(".css")) {
                LinkRewriter.rewriteCss(Files.readString(file), from.toUri().toString(), follow);
            }
        }
        return new Walk(reached, dangling, absolute);
    }

    static Set<String> filesUnder(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return new TreeSet<>(files.filter(Files::isRegularFile).map(f -> dir.relativize(f).toString()).toList());
        }
    }
}
