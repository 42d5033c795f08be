package gopl.mirror;

import gopl.crawler.Links;
import java.io.BufferedWriter;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jsoup.internal.StringUtil;
import org.jsoup.nodes.DataNode;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Every link in an HTML page or a stylesheet, visited in one place so that the links mirror
 * follows and the links it rewrites are the same ones: {@code a[href]}, {@code img} {@code src}
 * and {@code srcset}, {@code link[href]}, {@code script[src]}, frames, media, {@code background},
 * meta refresh, and {@code url(...)} and {@code @import} in stylesheets, style elements and
 * style attributes. A visitor sees each link and may return a replacement. Also here: how a link
 * resolves to the URL the crawl keys, and the encodings saved pages are read and written in.
 */
final class LinkRewriter {
    /** Sees one link; returns what to write instead, or null to leave it as it is. */
    @FunctionalInterface
    interface Visitor {
        /**
         * @param link the link as written, trimmed
         * @param baseUri what a relative link is relative to (the page's, or its {@code <base href>})
         * @param requisite whether the page needs it to display (an image, a stylesheet) rather than links to it
         */
        String visit(String link, String baseUri, boolean requisite);
    }

    // link[rel] values that name something the page needs to display, as wget -p fetches them.
    private static final Set<String> REQUISITE_RELS =
            Set.of("stylesheet", "icon", "apple-touch-icon", "mask-icon", "preload", "modulepreload", "manifest");
    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:");
    private static final Pattern REFRESH =
            Pattern.compile("(?i)^(\\s*[\\d.]+\\s*[;,]\\s*(?:url\\s*=\\s*)?['\"]?)([^'\"]*)(.*)$");

    private LinkRewriter() {}

    /** Visits every link of the page, replacing those the visitor returns a replacement for. */
    static void rewrite(Document page, Visitor visitor) {
        for (var element : page.getAllElements()) {
            switch (element.normalName()) {
                case "a", "area" -> attribute(element, "href", false, visitor);
                case "link" -> attribute(element, "href", isRequisite(element), visitor);
                case "img", "source" -> {
                    attribute(element, "src", true, visitor);
                    srcset(element, visitor);
                }
                case "script", "iframe", "frame", "embed", "audio", "track", "input" ->
                    attribute(element, "src", true, visitor);
                case "video" -> {
                    attribute(element, "src", true, visitor);
                    attribute(element, "poster", true, visitor);
                }
                case "object" -> attribute(element, "data", true, visitor);
                case "meta" -> refresh(element, visitor);
                case "style" -> {
                    for (DataNode css : element.dataNodes()) {
                        css.setWholeData(rewriteCss(css.getWholeData(), element.baseUri(), visitor));
                    }
                }
                default -> {}
            }
            attribute(element, "background", true, visitor);
            if (element.hasAttr("style")) {
                element.attr("style", rewriteCss(element.attr("style"), element.baseUri(), visitor));
            }
        }
    }

    private static boolean isRequisite(Element link) {
        for (var rel : link.attr("rel").toLowerCase(Locale.ROOT).split("\\s+")) {
            if (REQUISITE_RELS.contains(rel)) {
                return true;
            }
        }
        return false;
    }

    private static void attribute(Element element, String name, boolean requisite, Visitor visitor) {
        if (!element.hasAttr(name)) {
            return;
        }
        var link = element.attr(name).strip();
        if (link.isEmpty()) {
            return;
        }
        var replacement = visitor.visit(link, element.baseUri(), requisite);
        if (replacement != null) {
            element.attr(name, replacement);
        }
    }

    /** {@code srcset="a.png 1x, b.png 2x"}: URLs separated by commas, each with optional descriptors. */
    private static void srcset(Element element, Visitor visitor) {
        if (!element.hasAttr("srcset")) {
            return;
        }
        var value = element.attr("srcset");
        var out = new StringBuilder();
        for (int i = 0, n = value.length(); i < n; ) {
            int start = i;
            while (i < n && (Character.isWhitespace(value.charAt(i)) || value.charAt(i) == ',')) {
                i++;
            }
            out.append(value, start, i);
            start = i;
            while (i < n && !Character.isWhitespace(value.charAt(i))) {
                i++;
            }
            int end = i;
            while (end > start && value.charAt(end - 1) == ',') {
                end--; // "a.png," ends a candidate without descriptors
            }
            if (end > start) {
                out.append(replace(value.substring(start, end), element.baseUri(), visitor));
            }
            out.append(value, end, i);
            if (end == i) {
                start = i;
                i = endOfDescriptors(value, i);
                out.append(value, start, i);
            }
        }
        element.attr("srcset", out.toString());
    }

    /** Where the descriptors after a srcset URL ({@code 2x}, {@code 400w}) end: at a comma outside parentheses. */
    private static int endOfDescriptors(String value, int i) {
        for (int parens = 0; i < value.length() && (value.charAt(i) != ',' || parens > 0); i++) {
            parens += value.charAt(i) == '(' ? 1 : value.charAt(i) == ')' ? -1 : 0;
        }
        return i;
    }

    /** {@code <meta http-equiv="refresh" content="0; url=next.html">}: a page to go on to. */
    private static void refresh(Element meta, Visitor visitor) {
        if (!meta.attr("http-equiv").equalsIgnoreCase("refresh")) {
            return;
        }
        var matcher = REFRESH.matcher(meta.attr("content"));
        if (matcher.matches() && !matcher.group(2).isBlank()) {
            var link = matcher.group(2).strip();
            var replacement = visitor.visit(link, meta.baseUri(), false);
            if (replacement != null) {
                meta.attr("content", matcher.group(1) + replacement + matcher.group(3));
            }
        }
    }

    /** Visits the {@code url(...)} and {@code @import} links of a stylesheet; returns it rewritten. */
    static String rewriteCss(String css, String baseUri, Visitor visitor) {
        var links = new CssLinks(css);
        var out = new StringBuilder(css.length());
        int copied = 0;
        for (CssLinks.Found found; (found = links.next()) != null; ) {
            var quote = found.quote();
            var rewritten = replace(found.link(), baseUri, visitor);
            if (quote.isEmpty() && needsQuotes(rewritten)) {
                quote = "\""; // an absolute URL put back may need quoting where the link did not
            }
            out.append(css, copied, found.start()).append(found.prefix()).append(quote).append(rewritten).append(quote)
                    .append(found.suffix());
            copied = found.end();
        }
        return out.append(css, copied, css.length()).toString();
    }

    private static boolean needsQuotes(String link) {
        return link.chars().anyMatch(c -> Character.isWhitespace(c) || c == '(' || c == ')' || c == '\'' || c == '"');
    }

    /**
     * A link as the crawl keys URLs: resolved against its base, normalised, fragment dropped;
     * empty if it is not http(s). {@link URI#resolve} first, as jsoup's resolution through
     * java.net.URL costs ten times more and this runs for every link twice; jsoup's for what
     * URI rejects (spaces...) or resolves the RFC 2396 way ({@code ?query}, an empty base path,
     * {@code ..} above the root, which RFC 3986 drops).
     */
    static Optional<URI> resolve(String base, String link) {
        return new Resolver().resolve(base, link);
    }

    /** {@link LinkRewriter#resolve} for the links of one page: their base, nearly always the same, parsed once. */
    static final class Resolver {
        private String base;
        private URI baseUri; // null if base is not a strict URI

        Optional<URI> resolve(String base, String link) {
            if (link.startsWith("#")) {
                return Optional.empty();
            }
            try {
                var parsed = parse(base);
                if (parsed != null && !link.startsWith("?") && parsed.getRawPath() != null && !parsed.getRawPath().isEmpty()) {
                    var uri = parsed.resolve(new URI(link));
                    if (uri.getRawUserInfo() == null && !String.valueOf(uri.getRawPath()).startsWith("/..")) {
                        return isNormal(uri) ? Optional.of(uri) : Links.normalize(uri);
                    }
                }
            } catch (URISyntaxException e) {
                // Not a strict URI: jsoup's lenient resolution below.
            }
            return Links.normalize(StringUtil.resolve(base, link));
        }

        private URI parse(String base) {
            if (!base.equals(this.base)) {
                this.base = base;
                try {
                    baseUri = new URI(base);
                } catch (URISyntaxException e) {
                    baseUri = null;
                }
            }
            return baseUri;
        }
    }

    /** Whether Links.normalize would give this resolved URI back as it is. */
    private static boolean isNormal(URI uri) {
        var scheme = uri.getScheme();
        var host = uri.getHost();
        int port = uri.getPort();
        return ("http".equals(scheme) && port != 80 || "https".equals(scheme) && port != 443)
                && host != null && host.equals(host.toLowerCase(Locale.ROOT))
                && uri.getRawPath() != null && !uri.getRawPath().isEmpty() && uri.getRawFragment() == null;
    }

    static String fragment(String link) {
        int hash = link.indexOf('#');
        return hash < 0 ? "" : link.substring(hash);
    }

    static boolean isAbsolute(String link) {
        return SCHEME.matcher(link).lookingAt();
    }

    /**
     * Writes the page in UTF-8, declared first thing in its head (from disk there is no
     * Content-Type header to tell a browser, or our own relinking, the charset the server sent
     * it in). A page parsed from {@code sourceSize} bytes up to {@link #IN_ONE_STRING} is written
     * from one string: jsoup appends to a StringBuilder without the writer's lock and checks on
     * every call, which took a third of the time writing pages (JFR, a zero-latency mirror). A
     * larger one is streamed, never held as one string. Returns the bytes written.
     */
    static long writeUtf8(Document document, long sourceSize, WritableByteChannel channel) throws IOException {
        for (var meta : document.getElementsByTag("meta")) { // a tag search: a third of select's time here (JFR)
            if (meta.hasAttr("charset") || meta.attr("http-equiv").equalsIgnoreCase("content-type")) {
                meta.remove();
            }
        }
        document.head().prependElement("meta").attr("charset", "utf-8");
        document.outputSettings().prettyPrint(false).charset(StandardCharsets.UTF_8);
        if (sourceSize <= IN_ONE_STRING) {
            var bytes = ByteBuffer.wrap(document.html(new StringBuilder((int) sourceSize + 256)).toString()
                    .getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            return bytes.limit();
        }
        var counted = new CountingStream(Channels.newOutputStream(channel));
        // A size given: JDK 25's default BufferedWriter over an OutputStreamWriter starts small and,
        // as jsoup appends a char at a time, copied its buffer on nearly every one (JFR: 80% of CPU).
        try (var writer = new BufferedWriter(new OutputStreamWriter(counted, StandardCharsets.UTF_8), 16 * 1024)) {
            document.html(writer);
        }
        return counted.count;
    }

    /** The largest page, in bytes as it came, that {@link #writeUtf8} renders into one string. */
    static final int IN_ONE_STRING = 256 * 1024;

    private static final class CountingStream extends FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
            count += length;
        }
    }

    /**
     * The charset to read a stylesheet in: the header's, else UTF-8 if the bytes are UTF-8, else
     * Latin-1, which maps any byte to a character and back, so the rewritten sheet keeps its bytes.
     */
    static Charset cssCharset(byte[] css, String contentType) {
        var type = contentType.toLowerCase(Locale.ROOT);
        int at = type.indexOf("charset=");
        if (at >= 0) {
            try {
                return Charset.forName(type.substring(at + 8).split(";", 2)[0].strip().replace("\"", ""));
            } catch (IllegalArgumentException unknown) {
                // Sniff instead.
            }
        }
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(css));
            return StandardCharsets.UTF_8;
        } catch (CharacterCodingException e) {
            return StandardCharsets.ISO_8859_1;
        }
    }

    private static String replace(String link, String baseUri, Visitor visitor) {
        var trimmed = link.strip();
        if (trimmed.isEmpty()) {
            return link;
        }
        var replacement = visitor.visit(trimmed, baseUri, true);
        return replacement != null ? replacement : link;
    }

    private static String firstNonNull(String... values) {
        for (var value : values) {
            if (value != null) {
                return value;
            }
        }
        return "";
    }
}
