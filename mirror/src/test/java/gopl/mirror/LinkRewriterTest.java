package gopl.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
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

    private static List<Seen> visit(String page) {
        var seen = new ArrayList<Seen>();
        LinkRewriter.visit(LinkRewriter.Html.of(bytes(page), ""), "http://h/dir/index.html", (link, base, requisite) -> {
            seen.add(new Seen(link, base, requisite));
            return null;
        });
        return seen;
    }

    private static String rewrite(String page, String contentType, LinkRewriter.Visitor visitor) throws IOException {
        var out = new ByteArrayOutputStream();
        LinkRewriter.rewrite(LinkRewriter.Html.of(bytes(page), contentType), "http://h/dir/index.html", visitor, out);
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private static byte[] bytes(String page) {
        return page.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void findsEveryKindOfLinkWithWhetherThePageNeedsIt() throws IOException {
        var seen = visit(PAGE);

        assertThat(seen).extracting(Seen::base).containsOnly("http://h/base/");
        assertThat(seen).filteredOn(Seen::requisite).extracting(Seen::link).containsExactlyInAnyOrder(
                "site.css", "/favicon.ico", "app.js", "bg.png", "more.css", "tile.gif", "i.png", "i-1x.png",
                "i,2x.png", "i-3x.png", "border.png", "wide.webp", "narrow.webp", "frame.html", "v.mp4", "poster.jpg",
                "subs.vtt", "a.ogg", "e.swf", "o.svg", "button.png");
        assertThat(seen).filteredOn(s -> !s.requisite()).extracting(Seen::link).containsExactlyInAnyOrder(
                "http://h/canonical", "next.html", "page.html#part", "spaced.html", "map.html");
        assertThat(rewrite(PAGE, "", (link, base, requisite) -> null)).isEqualTo(PAGE.replace(" href=\"http://h/base/\"", ""));
    }

    @Test
    void replacesEachLinkInPlaceKeepingWhatSurroundsIt() throws IOException {
        var rewritten = rewrite(PAGE, "", (link, base, requisite) -> link.startsWith("http:") ? null : "L/" + link);
        var page = Jsoup.parse(rewritten, "http://h/dir/index.html");

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
        assertThat(visit(rewritten)).filteredOn(s -> !s.link().startsWith("http:")).extracting(Seen::link).allMatch(l -> l.startsWith("L/"));
        assertThat(rewritten).contains("<a href=\"\">empty</a> <a name=\"x\">no href</a>").contains("<base>");
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

    /** Bytes outside the links replaced are copied as they came, in any charset, whatever they are. */
    @Test
    void keepsEveryOtherByteAsItCame() throws IOException {
        var page = "<!DOCTYPE html><HTML><Head><meta http-equiv=Content-Type content='text/html; charset=iso-8859-1'>"
                + "<TITLE>caf\u00e9 <a href=no.html></TITLE><!-- <a href=no.html> --></Head><BODY>\0 caf\u00e9 &eacute;"
                + "<A HREF=a.html?x=1&amp;y=2 TITLE=\"\u00e9t\u00e9\">\u00e0</A><a href='\u00e9t\u00e9.html'>x</a></BODY></HTML>";
        var latin1 = page.getBytes(StandardCharsets.ISO_8859_1);
        var seen = new ArrayList<String>();
        var out = new ByteArrayOutputStream();
        LinkRewriter.rewrite(LinkRewriter.Html.of(latin1, "text/html"), "http://h/", (link, base, requisite) -> {
            seen.add(link);
            return link.startsWith("a") ? "b.html?x=1&y=\u00e9" : null;
        }, out);

        assertThat(seen).containsExactly("a.html?x=1&y=2", "\u00e9t\u00e9.html");
        assertThat(out.toByteArray()).isEqualTo(page.replace("a.html?x=1&amp;y=2", "\"b.html?x=1&amp;y=\u00e9\"")
                .getBytes(StandardCharsets.ISO_8859_1));
    }

    /** From disk there is no header to say the charset: one the page does not declare is declared in its head. */
    @Test
    void declaresTheHeadersCharsetWhereThePageDoesNot() throws IOException {
        var page = "<!doctype html><html lang=fr><head><title>t</title></head><body><a href=a.html>e</a></body></html>";
        assertThat(rewrite(page, "text/html; charset=ISO-8859-1", (link, base, requisite) -> null))
                .isEqualTo(page.replace("<head>", "<head><meta charset=\"ISO-8859-1\">"));
        assertThat(rewrite("<p>x", "text/html; charset=utf-8", (link, base, requisite) -> "b")).isEqualTo("<meta charset=\"UTF-8\"><p>x");
        var declared = "<html><head><meta charset=utf-8></head></html>";
        assertThat(rewrite(declared, "text/html; charset=utf-8", (link, base, requisite) -> null)).isEqualTo(declared);
        assertThat(rewrite(page, "text/html", (link, base, requisite) -> null)).isEqualTo(page);
    }

    /** A UTF-16 page is read as UTF-16, and written back in it. */
    @Test
    void readsAndWritesWideCharsets() throws IOException {
        var page = "<html><body><a href=\"\u00e9.html\">x</a></body></html>";
        var seen = new ArrayList<String>();
        var out = new ByteArrayOutputStream();
        LinkRewriter.rewrite(LinkRewriter.Html.of(page.getBytes(StandardCharsets.UTF_16), ""), "http://h/", (link, base, requisite) -> {
            seen.add(link);
            return "b.html";
        }, out);
        assertThat(seen).containsExactly("\u00e9.html");
        assertThat(out.toString(StandardCharsets.UTF_16)).isEqualTo(page.replace("\u00e9.html", "b.html"));
    }
}
