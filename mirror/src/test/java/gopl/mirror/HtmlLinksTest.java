package gopl.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The scanner against hostile pages (time and memory bounded: linear, no tree, spans only for
 * links), and against jsoup, the tree mirror built before: on tricky pages both find the same
 * links, and a page the scanner rewrote, parsed by jsoup, has the links jsoup's rewriting gave.
 */
class HtmlLinksTest {
    private static final String PAGE_URI = "http://h/dir/index.html";
    private static final int MB = 1 << 20;

    record Seen(String link, String base, boolean requisite) {}

    private static List<Seen> scanned(String page) {
        var seen = new ArrayList<Seen>();
        LinkRewriter.visit(LinkRewriter.Html.of(page.getBytes(StandardCharsets.UTF_8), "text/html; charset=utf-8"), PAGE_URI,
                (link, base, requisite) -> {
                    seen.add(new Seen(link, base, requisite));
                    return null;
                });
        return seen;
    }

    // --- Hostile pages: each read in bounded time, holding spans only for what is a link ---

    /** A page of about 10 MB that ends in the middle of something. */
    private static String hostile(String kind) {
        return switch (kind) {
            case "tag never ends" -> "<a href=".repeat(10 * MB / 8);
            case "quote never closes" -> "<a href=\"" + "x".repeat(10 * MB);
            case "comment never closes" -> "<!--" + "<a href=x>".repeat(MB);
            case "CDATA never closes" -> "<![CDATA[" + "<a href=x>".repeat(MB);
            case "script never ends" -> "<script>" + "<a href=x></scrip>".repeat(MB / 2);
            case "style of url(" -> "<style>" + "url(".repeat(2 * MB);
            case "angle brackets" -> "<".repeat(10 * MB);
            case "NUL bytes" -> "\0".repeat(10 * MB);
            case "end tags" -> "</".repeat(5 * MB);
            case "attributes never end" -> "<a " + "x=1 ".repeat(10 * MB / 4);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"tag never ends", "quote never closes", "comment never closes", "CDATA never closes",
        "script never ends", "style of url(", "angle brackets", "NUL bytes", "end tags", "attributes never end"})
    void hostilePagesAreReadInLinearTimeAndGiveNoLinks(String kind) {
        var page = hostile(kind);
        var links = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> scanned(page));
        assertThat(links).isEmpty();
        assertThat(HtmlLinks.scan(page).spans).hasSizeLessThanOrEqualTo(1); // a style element's text
    }

    @Test
    void deeplyNestedTagsNeedNoStack() {
        var page = "<div><span>".repeat(MB / 2) + "<a href=deep.html>x</a>" + "</span></div>".repeat(MB / 2);
        var links = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> scanned(page));
        assertThat(links).extracting(Seen::link).containsExactly("deep.html");
    }

    @Test
    void aMillionAttributesAreReadOnceEachAndTheFirstHrefWins() {
        var attributes = new StringBuilder("<a ");
        for (int i = 0; i < MB; i++) {
            attributes.append("x").append(i).append("=1 href=h").append(i).append(' ');
        }
        var page = attributes + ">";
        var links = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> scanned(page));
        assertThat(links).extracting(Seen::link).containsExactly("h0");
        var scan = HtmlLinks.scan(page);
        assertThat(scan.spans).hasSize(1);
    }

    @Test
    void aHugeAttributeValueIsOneLink() {
        var page = "<img src=\"" + "a".repeat(10 * MB) + "\">";
        var links = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> scanned(page));
        assertThat(links).hasSize(1).allMatch(seen -> seen.link().length() == 10 * MB && seen.requisite());
    }

    @Test
    void referencesAreDecodedInLinearTime() {
        var page = "<a href=\"" + "&#99999999999999999999&#x;&amp&copy=&".repeat(MB / 4) + "\">";
        var links = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> scanned(page));
        assertThat(links).hasSize(1).allMatch(seen -> seen.link().startsWith("\ufffd9999999999&#x;&&copy=&"));
    }

    // --- The same links as jsoup's tree ---

    static Stream<String> tricky() {
        return Stream.of(
                "<a href=a.html>x</a><A HREF=\"B.html\">y</A><a href='c.html?x=1&amp;y=2&copy=3'>z</a>",
                "<a href=\"d&#46;html&#x2F;e\">d</a><a href=\"&lt;x&gt;&eacute;.html\">e</a><a href=\"x&notit;&nbsp\">n</a>",
                "<!-- <a href=no1.html> --><a href=yes1.html><!--><a href=yes2.html><!---><a href=yes3.html>",
                "<script>var s = \"<a href='no2.html'>\";</script ><a href=after-script.html>",
                "<textarea><a href=no3.html></textarea><title><img src=no4.png></title><a href=after.html>",
                "<xmp><a href=no5.html></xmp><noembed><a href=no6.html></noembed><a href=after-xmp.html>",
                "<p>text <a href=\"unclosed.html>more text <a href=x.html>",
                "<a href=x.html",
                "<img src=a.png src=b.png><img src = \"spaced.png\" ><a/href=slash.html><a href=\"q.html\"title=t>",
                "<?xml version=\"1.0\"?><a href=pi.html></a href=no7.html></ a href=no8.html><a href=ok.html>",
                "<style>/* </style> */ a { background: url(s.png) }</style><STYLE>@import \"i.css\"; p{background:url('p.png')}</STYLE>",
                "<link rel=\"Stylesheet Preload\" href=x.css><link rel=canonical href=c><link rel=icon href=/f.ico><link href=norel>",
                "<meta http-equiv=\"REFRESH\" content=\"0;URL='r.html'\"><meta http-equiv=refresh content=\"5\">",
                "<base href=\"/sub/\"><a href=rel.html><img src=../up.png>",
                "<div style=\"background:url('st.png')\"><table background=bg.gif><td background=\"  \">",
                "<img srcset=\"a.png 1x, b,c.png 2x,d.png\"><picture><source srcset='w.webp 800w, n.webp 400w'></picture>",
                "<object data=o.swf></object><video poster=p.jpg src=v.mp4><track src=t.vtt></video><audio src=a.ogg>",
                "<a href=\"n\0.html\">nul</a>\0<a href=after-nul.html>",
                "<a href=\"  spaced.html  \"><a href=\"\"><a href><a href=javascript:alert(1)><a href=mailto:a@b>",
                "<IMG SRC=UP.PNG><Iframe SRC=F.HTML></Iframe><embed src=e.swf><input type=image src=i.png>",
                "<html><frameset><frame src=fr.html><frame src=\"fr2.html\"></frameset></html>",
                "<p <a href=weird.html>x</p>< a href=text.html><a\nhref\n=\n\"nl.html\"\n>",
                "<a href=one.html href=two.html><table><a href=fostered.html><tr><td><a href=cell.html></table>",
                "<!DOCTYPE html><html><head><title>t</title></head><body><a href=\"#top\">top</a><a href=?q=1>q</a></body></html>",
                "<a href=\"//other.example/x\">o</a><a href=\"http://h/abs.html\">abs</a><a href=\"HTTP://H:80/Up\">up</a>",
                "<a href=\"caf\u00e9 \u2603.html\">u</a><img src=\"/\u00fcber.png\">",
                "<![CDATA[<a href=no9.html>]]><a href=after-cdata.html>",
                "<iframe src=f.html><a href=no10.html></iframe><plaintext><a href=no11.html>");
    }

    /** The site MirrorTest mirrors, and a page of the benchmark's. */
    static Stream<String> sitePages() {
        return Stream.of(MirrorTest.FULL_SITE_HOME.formatted("127.0.0.1:9"),
                "<p>about <a href=\"/\">home</a> <link rel=stylesheet href=\"/style\">",
                "<a href=\"../\">up</a> <a href=\"b.html\">b</a> <a href=\"c%20d.html\">c d</a>",
                "<h1 id=sec>b</h1><a href=\"../about\">about</a><img src=\"/img/a.png\">",
                """
                <!DOCTYPE html>
                <html><head><meta charset="utf-8"><title>Page 7</title>
                <link rel="stylesheet" href="../css/site.css"><link rel="icon" href="/favicon.ico"></head>
                <body><h1>Page 7</h1><p>Text of page 7.</p>
                <a href="/">home</a> <a href="/p/6.html">prev</a> <a href="/p/8.html#top">next</a>
                <a href="http://127.0.0.1:8000/p/14.html">left</a> <a href="15.html">right</a></body></html>""");
    }

    static Stream<String> corpus() {
        return Stream.concat(tricky(), sitePages());
    }

    private static List<Seen> jsoup(String page) {
        var seen = new ArrayList<Seen>();
        JsoupLinks.rewrite(Jsoup.parse(page, PAGE_URI), (link, base, requisite) -> {
            seen.add(new Seen(link, base, requisite));
            return null;
        });
        return seen;
    }

    private static List<Seen> sorted(List<Seen> seen) {
        return seen.stream().sorted(Comparator.comparing(Seen::toString)).toList();
    }

    @ParameterizedTest
    @MethodSource("corpus")
    void findsTheLinksJsoupFinds(String page) {
        assertThat(sorted(scanned(page))).isEqualTo(sorted(jsoup(page)));
    }

    @ParameterizedTest
    @MethodSource("corpus")
    void rewritesTheLinksJsoupRewrites(String page) throws IOException {
        LinkRewriter.Visitor visitor = (link, base, requisite) -> link.startsWith("#") ? null : "L/" + link.replace('.', '_') + " &'\"";
        var out = new ByteArrayOutputStream();
        LinkRewriter.rewrite(LinkRewriter.Html.of(page.getBytes(StandardCharsets.UTF_8), "text/html; charset=utf-8"), PAGE_URI,
                visitor, out);
        var document = Jsoup.parse(page, PAGE_URI);
        JsoupLinks.rewrite(document, visitor);
        document.getElementsByTag("base").removeAttr("href");

        assertThat(sorted(jsoup(out.toString(StandardCharsets.UTF_8)))).isEqualTo(sorted(jsoup(document.outerHtml())));
    }
}
