package gopl.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;

class LinkRewriterTest {
    private static final String PAGE = """
            <!doctype html><html><head>
            <base href="http://h/base/">
            <link rel="stylesheet" href="site.css"><link rel="shortcut icon" href="/favicon.ico">
            <link rel="canonical" href="http://h/canonical">
            <meta http-equiv="refresh" content="5; url=next.html">
            <script src="app.js"></script>
            <style>body { background: url("bg.png") } @import 'more.css';</style>
            </head><body background="tile.gif">
            <a href="page.html#part">a</a> <a href=" spaced.html ">b</a> <a href="">empty</a> <a name="x">no href</a>
            <area href="map.html">
            <img src="i.png" srcset="i-1x.png 1x, i,2x.png 2x,i-3x.png 3x" style="border-image: url(border.png)">
            <picture><source srcset="wide.webp 800w,narrow.webp 400w"></picture>
            <iframe src="frame.html"></iframe><video src="v.mp4" poster="poster.jpg"><track src="subs.vtt"></video>
            <audio src="a.ogg"></audio><embed src="e.swf"><object data="o.svg"></object><input type="image" src="button.png">
            </body></html>
            """;

    private record Seen(String link, String base, boolean requisite) {}

    private static List<Seen> visit(org.jsoup.nodes.Document page) {
        var seen = new ArrayList<Seen>();
        LinkRewriter.rewrite(page, (link, base, requisite) -> {
            seen.add(new Seen(link, base, requisite));
            return null;
        });
        return seen;
    }

    @Test
    void findsEveryKindOfLinkWithWhetherThePageNeedsIt() {
        var page = Jsoup.parse(PAGE, "http://h/dir/index.html");
        var seen = visit(page);

        assertThat(seen).extracting(Seen::base).containsOnly("http://h/base/");
        assertThat(seen).filteredOn(Seen::requisite).extracting(Seen::link).containsExactlyInAnyOrder(
                "site.css", "/favicon.ico", "app.js", "bg.png", "more.css", "tile.gif", "i.png", "i-1x.png",
                "i,2x.png", "i-3x.png", "border.png", "wide.webp", "narrow.webp", "frame.html", "v.mp4", "poster.jpg",
                "subs.vtt", "a.ogg", "e.swf", "o.svg", "button.png");
        assertThat(seen).filteredOn(s -> !s.requisite()).extracting(Seen::link).containsExactlyInAnyOrder(
                "http://h/canonical", "next.html", "page.html#part", "spaced.html", "map.html");
        assertThat(page.outerHtml()).isEqualTo(Jsoup.parse(PAGE, "http://h/dir/index.html").outerHtml());
    }

    @Test
    void replacesEachLinkInPlaceKeepingWhatSurroundsIt() {
        var page = Jsoup.parse(PAGE, "http://h/dir/index.html");
        LinkRewriter.rewrite(page, (link, base, requisite) -> link.startsWith("http:") ? null : "L/" + link);

        assertThat(page.select("a").first().attr("href")).isEqualTo("L/page.html#part");
        assertThat(page.select("link[rel=canonical]").attr("href")).isEqualTo("http://h/canonical");
        assertThat(page.select("img").attr("srcset")).isEqualTo("L/i-1x.png 1x, L/i,2x.png 2x,L/i-3x.png 3x");
        assertThat(page.select("img").attr("style")).isEqualTo("border-image: url(L/border.png)");
        assertThat(page.select("source").attr("srcset")).isEqualTo("L/wide.webp 800w,L/narrow.webp 400w");
        assertThat(page.select("meta").attr("content")).isEqualTo("5; url=L/next.html");
        assertThat(page.select("style").first().data()).isEqualTo("body { background: url(\"L/bg.png\") } @import 'L/more.css';");
        assertThat(page.select("body").attr("background")).isEqualTo("L/tile.gif");
        assertThat(page.select("video").attr("poster")).isEqualTo("L/poster.jpg");
        assertThat(page.select("object").attr("data")).isEqualTo("L/o.svg");
        assertThat(page.select("a[name]").hasAttr("href")).isFalse();
        assertThat(visit(page)).filteredOn(s -> !s.link().startsWith("http:")).extracting(Seen::link).allMatch(l -> l.startsWith("L/"));
    }

    @Test
    void rewritesStylesheetsKeepingQuotesAndQuotingWhereNeeded() {
        var css = """
                @import "a.css"; @import url(b.css);
                .x { background: url( 'c.png' ) no-repeat; }
                @font-face { src: url(d.woff2) format("woff2"), URL(e.woff); }
                .y { --my-url(z): 1; background: url(data:image/png;base64,AAAA) }
                """;
        var seen = new ArrayList<String>();
        var out = LinkRewriter.rewriteCss(css, "http://h/css/site.css", (link, base, requisite) -> {
            seen.add(link);
            assertThat(base).isEqualTo("http://h/css/site.css");
            assertThat(requisite).isTrue();
            return link.startsWith("data:") ? null : link.equals("e.woff") ? "http://h/e (1).woff" : "../" + link;
        });

        assertThat(seen).containsExactly("a.css", "b.css", "c.png", "d.woff2", "e.woff", "data:image/png;base64,AAAA");
        assertThat(out).isEqualTo("""
                @import "../a.css"; @import url(../b.css);
                .x { background: url( '../c.png' ) no-repeat; }
                @font-face { src: url(../d.woff2) format("woff2"), URL("http://h/e (1).woff"); }
                .y { --my-url(z): 1; background: url(data:image/png;base64,AAAA) }
                """);
    }

    /** A regular expression took quadratic time on these: it retried the rest of the sheet from each {@code url(}. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"url(", "url(\"", "url('", "url( ", "@import '", "@import \"", "url(a "})
    void theCssScannerIsLinearOnUnclosedLinks(String unit) {
        var css = unit.repeat(1_000_000 / unit.length()) + "\n}\na { background: url(ok.png) }";
        var seen = new java.util.ArrayList<String>();
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(3),
                () -> LinkRewriter.rewriteCss(css, "http://h/", (link, base, requisite) -> {
                    seen.add(link);
                    return null;
                }));
        assertThat(seen).endsWith("ok.png");
    }

    /** A small page written from one string and a large one streamed: the same bytes, UTF-8 declared once, counted. */
    @Test
    void pagesAreWrittenTheSameFromOneStringOrStreamed() throws IOException {
        var html = """
                <html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"><title>t</title>
                <META CHARSET="latin1"></head><body><p>caf\u00e9 &amp; \u2603 <a href="x.html">x</a></body></html>""";
        var small = write(html, 1_000);
        var large = write(html, LinkRewriter.IN_ONE_STRING + 1L);
        assertThat(small).isEqualTo(large);
        var text = new String(small, StandardCharsets.UTF_8);
        assertThat(text).startsWith("<html><head><meta charset=\"utf-8\"><title>t</title>").contains("caf\u00e9 &amp; \u2603")
                .doesNotContainIgnoringCase("iso-8859-1").doesNotContain("latin1");
    }

    private static byte[] write(String html, long sourceSize) throws IOException {
        var out = new ByteArrayOutputStream();
        long count = LinkRewriter.writeUtf8(Jsoup.parse(html, "http://h/"), sourceSize, Channels.newChannel(out));
        assertThat(count).isEqualTo(out.size());
        return out.toByteArray();
    }
}
