package gopl.mirror;

import static gopl.mirror.MirrorTest.mirror;
import static org.assertj.core.api.Assertions.assertThat;

import gopl.common.testing.RealTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Re-runs into the same directory (wget's -N): conditional requests, what is updated, and the report. */
class MirrorRerunTest extends SiteFixture {
    private static final Instant FIRST = Instant.parse("2024-01-01T00:00:00Z");
    private static final Instant LATER = Instant.parse("2024-06-01T12:00:00Z");

    /** Home links a and an old page; a links b, which links nothing yet; a stylesheet with an image. */
    private void serveSite() {
        site.html("/", "<link rel=stylesheet href=\"s.css\"><a href=\"a.html\">a</a> <a href=\"old.html\">old</a>")
                .html("/a.html", "<a href=\"b.html\">b</a>")
                .html("/b.html", "<p>b, first version")
                .html("/old.html", "<p>soon gone")
                .css("/s.css", "body { background: url(bg.png) }")
                .file("/bg.png", "image/png", TestSite.bytes("png"))
                .dated(FIRST);
    }

    private List<String> answersSince(int from) {
        return site.answers().subList(from, site.answers().size()).stream().filter(a -> !a.endsWith("/robots.txt")).sorted().toList();
    }

    @Test
    void aRerunOfAnUnchangedSiteTransfersNoBodyAndLeavesEveryFileAsItWas() throws IOException {
        serveSite();
        assertThat(mirror("-P", out.toString(), site.url("/")).status()).isZero();
        var before = snapshot();
        int from = site.answers().size();

        var run = mirror("-P", out.toString(), site.url("/"));

        assertThat(run.status()).as(run.stderr()).isZero();
        assertThat(answersSince(from)).containsExactly("GET 304 /", "GET 304 /a.html", "GET 304 /b.html", "GET 304 /bg.png",
                "GET 304 /old.html", "GET 304 /s.css");
        assertThat(snapshot()).isEqualTo(before);
        assertThat(run.stderr()).contains("saved 0 files", "6 unchanged, 0 updated, 0 new, 0 gone");
    }

    @Test
    void aRerunFetchesWhatChangedBelowUnchangedPagesAndCountsNewAndGone() throws IOException {
        serveSite();
        assertThat(mirror("-P", out.toString(), site.url("/")).status()).isZero();
        int from = site.answers().size();
        site.html("/b.html", "<p>b, second version <a href=\"new.html\">new</a>").html("/new.html", "<p>new").remove("/old.html");

        var run = mirror("-P", out.toString(), site.url("/"));

        assertThat(run.status()).as(run.stderr()).isZero();
        assertThat(answersSince(from)).containsExactly("GET 200 /b.html", "GET 200 /new.html", "GET 304 /", "GET 304 /a.html",
                "GET 304 /bg.png", "GET 304 /s.css", "GET 404 /old.html");
        assertThat(Files.readString(host().resolve("b.html"))).contains("second version").contains("href=\"new.html\"");
        assertThat(host().resolve("new.html")).exists();
        assertThat(host().resolve("old.html")).as("a file gone from the site is left, as wget leaves it").exists();
        assertThat(Files.readString(host().resolve("index.html"))).contains("href=\"" + site.url("/old.html") + "\"");
        assertThat(run.stderr()).contains("saved 2 files", "4 unchanged, 1 updated, 1 new, 1 gone");
    }

    @Test
    void savedFilesAreDatedAsTheServerDatesThem() throws IOException {
        serveSite();
        assertThat(mirror("-P", out.toString(), site.url("/")).status()).isZero();

        for (var name : List.of("index.html", "a.html", "s.css", "bg.png")) {
            assertThat(Files.getLastModifiedTime(host().resolve(name))).as(name).isEqualTo(FileTime.from(FIRST));
        }
    }

    @Test
    void withNoTimestampingEverythingIsFetchedAgain() {
        serveSite();
        assertThat(mirror("-P", out.toString(), site.url("/")).status()).isZero();
        int from = site.answers().size();

        assertThat(mirror("--no-timestamping", "-P", out.toString(), site.url("/")).status()).isZero();

        assertThat(answersSince(from)).allMatch(answer -> answer.startsWith("GET 200 ")).hasSize(6);
    }

    @Test
    void aFileRemovedFromTheMirrorIsFetchedAgain() throws IOException {
        serveSite();
        assertThat(mirror("-P", out.toString(), site.url("/")).status()).isZero();
        Files.delete(host().resolve("a.html"));
        int from = site.answers().size();

        assertThat(mirror("-P", out.toString(), site.url("/")).status()).isZero();

        assertThat(answersSince(from)).contains("GET 200 /a.html", "GET 304 /b.html");
        assertThat(host().resolve("a.html")).exists();
    }

    @Test
    void aStateFileThatIsNotOursIsIgnored() throws IOException {
        serveSite();
        assertThat(mirror("-P", out.toString(), site.url("/")).status()).isZero();
        try (var states = Files.list(out.resolve(".mirror"))) {
            for (var state : states.toList()) {
                Files.writeString(state, "garbage\n");
            }
        }
        int from = site.answers().size();

        var run = mirror("-P", out.toString(), site.url("/"));

        assertThat(run.status()).isZero();
        assertThat(run.stderr()).contains("not a mirror state file");
        assertThat(answersSince(from)).allMatch(answer -> answer.startsWith("GET 200 "));
    }

    /**
     * The files a re-run fetches again are the ones wget's re-run fetches, after b changed below
     * unchanged pages. wget's default If-Modified-Since re-run stops at the unchanged start page
     * (wget 1.21.3 does not follow the links of a page it did not download), so it is compared
     * with {@code --no-if-modified-since}, which checks each file with HEAD as -N promises.
     */
    @Test
    void aRerunFetchesAgainWhatWgetsRerunFetchesAgain() throws IOException {
        RealTool.assume("wget");
        serveSite();
        var wgetDir = tmp.resolve("wget");
        var wget = RealTool.command("wget", "-q", "--mirror", "--convert-links", "--page-requisites", "--no-parent",
                "--no-if-modified-since", site.url("/"));
        assertThat(RealTool.run(wgetDir, wget).exitCode()).isZero();
        assertThat(mirror("-P", out.toString(), site.url("/")).status()).isZero();
        site.html("/b.html", "<p>b, second version").dated("/b.html", LATER);

        int from = site.answers().size();
        RealTool.run(wgetDir, wget);
        var wgetFetched = fetched(from);
        from = site.answers().size();
        assertThat(mirror("-P", out.toString(), site.url("/")).status()).isZero();

        assertThat(fetched(from)).isEqualTo(wgetFetched).containsExactly("/b.html");
        assertThat(Files.readString(host().resolve("b.html"))).contains("b, second version");
        assertThat(Files.readString(wgetDir.resolve(host().getFileName()).resolve("b.html"))).contains("b, second version");
    }

    /** The paths whose bodies were sent since then (GET answered 200), robots.txt aside. */
    private List<String> fetched(int from) {
        return answersSince(from).stream().filter(a -> a.startsWith("GET 200 ")).map(a -> a.substring(8)).toList();
    }

    private Map<String, String> snapshot() throws IOException {
        var files = new TreeMap<String, String>();
        try (var walk = Files.walk(host())) {
            for (var file : walk.filter(Files::isRegularFile).toList()) {
                files.put(host().relativize(file).toString(), Files.readString(file) + "@" + Files.getLastModifiedTime(file));
            }
        }
        return files;
    }
}
