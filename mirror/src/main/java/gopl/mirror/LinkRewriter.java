package gopl.mirror;

import gopl.common.Http;
import gopl.crawler.Links;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jsoup.internal.StringUtil;

/**
 * Every link in an HTML page or a stylesheet, visited in one place so that the links mirror
 * follows and the links it rewrites are the same ones: {@code a[href]}, {@code img} {@code src}
 * and {@code srcset}, {@code link[href]}, {@code script[src]}, frames, media, {@code background},
 * meta refresh, and {@code url(...)} and {@code @import} in stylesheets, style elements and
 * style attributes. A visitor sees each link and may return a replacement. An HTML page is
 * read by {@link HtmlLinks}, no tree built, and written back byte for byte but for the links
 * replaced, as wget converts links in place. Also here: how a link resolves to the URL the crawl
 * keys, and the charset a stylesheet is read in.
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

    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:");
    private static final Pattern REFRESH =
            Pattern.compile("(?i)^(\\s*[\\d.]+\\s*[;,]\\s*(?:url\\s*=\\s*)?['\"]?)([^'\"]*)(.*)$");

    private LinkRewriter() {}

    /** An HTML page read for its links: its text, where the links are, and the charset it is read in. */
    record Html(PageText text, HtmlLinks links, boolean charsetFromHeader) {
        /** @param contentType the Content-Type header ("" if none), whose charset comes first */
        static Html of(byte[] page, String contentType) {
            var charset = Http.charset(contentType);
            var text = PageText.of(page, charset);
            var links = HtmlLinks.scan(text.text());
            if (charset == null && links.declared != null) {
                text.declared(links.declared);
            }
            return new Html(text, links, charset != null && !text.wide());
        }

        /** A {@code <meta charset>} to add to the saved page, or null: when the header named a charset the page does not. */
        String charsetDeclaration() {
            return charsetFromHeader && !links.declares && !startsWithBom() ? "<meta charset=\"" + text.charset().name() + "\">" : null;
        }

        private boolean startsWithBom() {
            return text.text().startsWith("\u00ef\u00bb\u00bf");
        }
    }

    /** Visits every link of the page, in the order they are written. */
    static void visit(Html page, String pageUri, Visitor visitor) {
        try {
            rewrite(page, pageUri, visitor, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // there is no output
        }
    }

    /**
     * Writes the page with each link the visitor returns a replacement for replaced, the
     * {@code <base href>} dropped (links are relative to the file now), every other byte as it
     * came; a {@code <meta charset>} added if the charset was only in the header.
     */
    static void rewrite(Html page, String pageUri, Visitor visitor, OutputStream out) throws IOException {
        var text = page.text();
        var links = page.links();
        var base = base(page, pageUri);
        var output = out == null ? null : text.output(out);
        var declaration = out == null ? null : page.charsetDeclaration();
        int copied = 0;
        for (var span : links.spans) {
            if (declaration != null && span.start() >= links.charsetAt) {
                output.copy(copied, links.charsetAt);
                output.write(declaration);
                copied = links.charsetAt;
                declaration = null;
            }
            var replacement = replacement(text, span, base, visitor);
            if (output != null && replacement != null) {
                output.copy(copied, span.start());
                output.write(replacement);
                copied = span.end();
            }
        }
        if (output != null) {
            if (declaration != null) {
                output.copy(copied, links.charsetAt);
                output.write(declaration);
                copied = links.charsetAt;
            }
            output.copy(copied, text.text().length());
            output.flush();
        }
    }

    /** The page as {@link #rewrite} writes it, in memory (the saved file is written whole, atomically). */
    static byte[] rewritten(Html page, String pageUri, Visitor visitor) {
        var out = new ByteArrayOutputStream(page.text().text().length() + 256);
        try {
            rewrite(page, pageUri, visitor, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return out.toByteArray();
    }

    /** What relative links of the page are relative to: its URL, or its first {@code <base href>}. */
    private static String base(Html page, String pageUri) {
        var span = page.links().base;
        if (span == null) {
            return pageUri;
        }
        var resolved = StringUtil.resolve(pageUri, Entities.decode(page.text().slice(span.start(), span.end())));
        return resolved.isEmpty() ? pageUri : resolved;
    }

    /** What to write instead of the span, as the page's text holds it, or null to keep it. */
    private static String replacement(PageText text, HtmlLinks.Span span, String base, Visitor visitor) {
        return switch (span.role()) {
            case BASE -> "";
            case CSS -> {
                var css = text.text().substring(span.start(), span.end());
                var rewritten = rewriteCss(css, base, (link, b, requisite) -> {
                    var replacement = visitor.visit(text.toReal(link), b, requisite);
                    return replacement == null ? null : text.toView(replacement, false);
                });
                yield rewritten.equals(css) ? null : rewritten;
            }
            default -> attribute(text, span, base, visitor);
        };
    }

    private static String attribute(PageText text, HtmlLinks.Span span, String base, Visitor visitor) {
        var value = Entities.decode(text.slice(span.start(), span.end()));
        var rewritten = switch (span.role()) {
            case SRCSET -> srcset(value, base, visitor);
            case STYLE -> rewriteCss(value, base, visitor);
            case REFRESH -> refresh(value, base, visitor);
            default -> {
                var link = value.strip();
                yield link.isEmpty() ? null : visitor.visit(link, base, span.requisite());
            }
        };
        if (rewritten == null || rewritten.equals(value)) {
            return null;
        }
        char quote = span.quote() != 0 ? span.quote() : needsAttributeQuotes(rewritten) ? '"' : '\0';
        var escaped = text.toView(Entities.escape(rewritten, quote), true);
        return quote == span.quote() ? escaped : quote + escaped + quote;
    }

    private static boolean needsAttributeQuotes(String value) {
        return value.isEmpty() || value.chars().anyMatch(c -> c <= ' ' || "\"'=<>`".indexOf(c) >= 0);
    }

    /** {@code srcset="a.png 1x, b.png 2x"}: URLs separated by commas, each with optional descriptors. */
    static String srcset(String value, String base, Visitor visitor) {
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
                out.append(replace(value.substring(start, end), base, visitor));
            }
            out.append(value, end, i);
            if (end == i) {
                start = i;
                i = endOfDescriptors(value, i);
                out.append(value, start, i);
            }
        }
        return out.toString();
    }

    /** Where the descriptors after a srcset URL ({@code 2x}, {@code 400w}) end: at a comma outside parentheses. */
    private static int endOfDescriptors(String value, int i) {
        for (int parens = 0; i < value.length() && (value.charAt(i) != ',' || parens > 0); i++) {
            parens += value.charAt(i) == '(' ? 1 : value.charAt(i) == ')' ? -1 : 0;
        }
        return i;
    }

    /** {@code <meta http-equiv="refresh" content="0; url=next.html">}: a page to go on to. */
    static String refresh(String content, String base, Visitor visitor) {
        var matcher = REFRESH.matcher(content);
        if (matcher.matches() && !matcher.group(2).isBlank()) {
            var replacement = visitor.visit(matcher.group(2).strip(), base, false);
            if (replacement != null) {
                return matcher.group(1) + replacement + matcher.group(3);
            }
        }
        return null;
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
}
