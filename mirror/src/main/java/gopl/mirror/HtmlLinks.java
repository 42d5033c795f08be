package gopl.mirror;

import gopl.common.Http;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Where the links of an HTML page are, found in one pass over its text the way a browser's
 * tokenizer reads it (comments, CDATA, the raw text of {@code <script>}, {@code <style>},
 * {@code <textarea>}, {@code <title>}; quoted, unquoted and repeated attributes; a tag cut off by
 * the end of the page is no tag), without building a tree: time linear in the page, memory in
 * the links found, whatever the page holds. The links are those {@link LinkRewriter} visits:
 * {@code a}/{@code area href}, {@code link href}, {@code src} and {@code srcset}, {@code poster},
 * {@code object data}, {@code background}, meta refresh, {@code style} attributes and elements,
 * and {@code <base href>}.
 */
final class HtmlLinks {
    /** What a span of the text holds. */
    enum Role {
        /** An attribute value that is one URL. */
        LINK,
        /** A {@code srcset} value: URLs with descriptors. */
        SRCSET,
        /** A {@code style} attribute's CSS. */
        STYLE,
        /** A {@code <style>} element's CSS, raw text. */
        CSS,
        /** A meta refresh's {@code content}. */
        REFRESH,
        /** A {@code <base href>} attribute, the space before it included: dropped from saved pages. */
        BASE
    }

    /** For attribute roles, {@code text[start, end)} is the value inside its quote ('"', '\'', or 0 for none). */
    record Span(int start, int end, Role role, boolean requisite, char quote) {}

    // link[rel] values that name something the page needs to display, as wget -p fetches them.
    private static final Set<String> REQUISITE_RELS =
            Set.of("stylesheet", "icon", "apple-touch-icon", "mask-icon", "preload", "modulepreload", "manifest");
    private static final String[] NAMES =
            {"href", "src", "srcset", "poster", "data", "background", "style", "rel", "http-equiv", "content", "charset"};
    private static final int HREF = 0, SRC = 1, SRCSET = 2, POSTER = 3, DATA = 4, BACKGROUND = 5, STYLE = 6, REL = 7,
            HTTP_EQUIV = 8, CONTENT = 9, CHARSET = 10;
    private static final int LONGEST_TAG = 10; // longer names are none of ours
    /** A charset declared in a {@code <meta>} counts only in the first bytes, as browsers look for it. */
    private static final int CHARSET_WITHIN = 5120;
    private static final Comparator<Span> BY_START = Comparator.comparingInt(Span::start);

    final List<Span> spans = new ArrayList<>();
    /** The first {@code <base href>}'s value, or null. */
    Span base;
    /** The charset a {@code <meta>} declares, or null. */
    Charset declared;
    boolean declares;
    /** Where a {@code <meta charset>} of ours would go: after {@code <head>}, else {@code <html>}, else the doctype, else 0. */
    int charsetAt = -1;

    private final String text;
    private final int n;
    // The attributes of the tag being read that we want: the first of each name, as HTML keeps it.
    private int present;
    private final int[] valueStart = new int[NAMES.length];
    private final int[] valueEnd = new int[NAMES.length];
    private final int[] attributeStart = new int[NAMES.length];
    private final int[] attributeEnd = new int[NAMES.length];
    private final char[] quote = new char[NAMES.length];
    private final List<Span> tagSpans = new ArrayList<>();
    private String tagName = ""; // the last start tag's, lower case; "" if none of ours
    private int htmlEnd = -1;
    private int doctypeEnd = -1;

    private HtmlLinks(String text) {
        this.text = text;
        this.n = text.length();
    }

    static HtmlLinks scan(String text) {
        var links = new HtmlLinks(text);
        links.scan();
        if (links.charsetAt < 0) {
            links.charsetAt = Math.max(0, Math.max(links.htmlEnd, links.doctypeEnd));
        }
        return links;
    }

    private void scan() {
        for (int i = text.indexOf('<'); i >= 0 && i < n; i = text.indexOf('<', i)) {
            i = markup(i + 1);
        }
    }

    /** Reads what follows a {@code <} at {@code i - 1}; returns where to look on. */
    private int markup(int i) {
        if (i >= n) {
            return n;
        }
        char c = text.charAt(i);
        if (isLetter(c)) {
            return startTag(i);
        }
        if (c == '/') {
            if (i + 1 < n && isLetter(text.charAt(i + 1))) {
                return tag(i + 1, false);
            }
            return until(">", i + 1);
        }
        if (c == '!') {
            if (text.startsWith("--", i + 1)) {
                return until("-->", i + 1); // <!--> and <!---> are whole comments
            }
            if (text.startsWith("[CDATA[", i + 1)) {
                return until("]]>", i + 8);
            }
            int end = until(">", i);
            if (doctypeEnd < 0 && text.regionMatches(true, i + 1, "doctype", 0, 7)) {
                doctypeEnd = end;
            }
            return end;
        }
        return c == '?' ? until(">", i) : i;
    }

    /** Just past the next {@code end} from {@code from}, or the end of the text. */
    private int until(String end, int from) {
        int at = text.indexOf(end, from);
        return at < 0 ? n : at + end.length();
    }

    private int startTag(int i) {
        int after = tag(i, true);
        if (after >= n) {
            return n;
        }
        return switch (tagName) {
            case "style" -> {
                int end = endOfRawText("style", after);
                spans.add(new Span(after, end, Role.CSS, true, '\0'));
                yield end;
            }
            case "script", "textarea", "title", "xmp", "iframe", "noembed", "noframes" -> endOfRawText(tagName, after);
            case "plaintext" -> n;
            default -> after;
        };
    }

    /** Where the raw text of an element ends: at its end tag ({@code </name} and a space, '/' or '>'), else the end. */
    private int endOfRawText(String name, int from) {
        for (int at = text.indexOf("</", from); at >= 0; at = text.indexOf("</", at + 2)) {
            int end = at + 2 + name.length();
            if (end < n && text.regionMatches(true, at + 2, name, 0, name.length())
                    && (isSpace(text.charAt(end)) || text.charAt(end) == '/' || text.charAt(end) == '>')) {
                return at;
            }
        }
        return n;
    }

    /**
     * Reads a tag from its name at {@code i} to its {@code >}; returns the index after it, or the
     * end of the text if it has none (then it is no tag). A start tag's links go in the spans.
     */
    private int tag(int i, boolean start) {
        int nameStart = i;
        while (i < n && !isSpace(text.charAt(i)) && text.charAt(i) != '/' && text.charAt(i) != '>') {
            i++;
        }
        int nameEnd = i;
        present = 0;
        while (true) {
            int before = i;
            while (i < n && (isSpace(text.charAt(i)) || text.charAt(i) == '/')) {
                i++;
            }
            if (i >= n) {
                return n;
            }
            if (text.charAt(i) == '>') {
                if (start) {
                    tagName = nameEnd - nameStart > LONGEST_TAG ? "" : text.substring(nameStart, nameEnd).toLowerCase(Locale.ROOT);
                    found(tagName, i + 1);
                }
                return i + 1;
            }
            i = attribute(before, i);
        }
    }

    /** Reads one attribute from its name at {@code i}; returns the index after it, or the end if it is cut off. */
    private int attribute(int before, int i) {
        int nameStart = i++; // a first '=' is part of the name
        while (i < n && !isSpace(text.charAt(i)) && "/>=".indexOf(text.charAt(i)) < 0) {
            i++;
        }
        int nameEnd = i;
        int start = nameEnd;
        int end = nameEnd;
        char quoted = '\0';
        int j = skipSpaces(i);
        if (j < n && text.charAt(j) == '=') {
            j = skipSpaces(j + 1);
            if (j >= n) {
                return n;
            }
            char c = text.charAt(j);
            if (c == '"' || c == '\'') {
                int close = text.indexOf(c, j + 1);
                if (close < 0) {
                    return n;
                }
                start = j + 1;
                end = close;
                quoted = c;
                i = close + 1;
            } else {
                start = j;
                while (j < n && !isSpace(text.charAt(j)) && text.charAt(j) != '>') {
                    j++;
                }
                end = j;
                i = j;
            }
        }
        int k = wanted(nameStart, nameEnd);
        if (k >= 0 && (present & 1 << k) == 0) {
            present |= 1 << k;
            valueStart[k] = start;
            valueEnd[k] = end;
            quote[k] = quoted;
            attributeStart[k] = before;
            attributeEnd[k] = i;
        }
        return i;
    }

    private int skipSpaces(int i) {
        while (i < n && isSpace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    /** Which of {@link #NAMES} {@code text[start, end)} is, ignoring case, or -1. */
    private int wanted(int start, int end) {
        for (int k = 0; k < NAMES.length; k++) {
            if (NAMES[k].length() == end - start && text.regionMatches(true, start, NAMES[k], 0, end - start)) {
                return k;
            }
        }
        return -1;
    }

    /** A start tag read whole, ending before {@code after}: its links, in the order they are written. */
    private void found(String name, int after) {
        switch (name) {
            case "a", "area" -> link(HREF, Role.LINK, false);
            case "link" -> link(HREF, Role.LINK, has(REL) && isRequisite(value(REL)));
            case "img", "source" -> {
                link(SRC, Role.LINK, true);
                link(SRCSET, Role.SRCSET, true);
            }
            case "script", "iframe", "frame", "embed", "audio", "track", "input" -> link(SRC, Role.LINK, true);
            case "video" -> {
                link(SRC, Role.LINK, true);
                link(POSTER, Role.LINK, true);
            }
            case "object" -> link(DATA, Role.LINK, true);
            case "meta" -> meta(after);
            case "base" -> base();
            case "head" -> charsetAt = charsetAt < 0 ? after : charsetAt;
            case "html" -> htmlEnd = htmlEnd < 0 ? after : htmlEnd;
            default -> {}
        }
        link(BACKGROUND, Role.LINK, true);
        link(STYLE, Role.STYLE, true);
        if (tagSpans.size() > 1) {
            tagSpans.sort(BY_START);
        }
        spans.addAll(tagSpans);
        tagSpans.clear();
    }

    private boolean has(int k) {
        return (present & 1 << k) != 0;
    }

    /** An attribute's value as the page means it, for the ASCII words we compare (rel, http-equiv, charset). */
    private String value(int k) {
        return Entities.decode(text.substring(valueStart[k], valueEnd[k]));
    }

    private void link(int k, Role role, boolean requisite) {
        if (has(k)) {
            tagSpans.add(new Span(valueStart[k], valueEnd[k], role, requisite, quote[k]));
        }
    }

    private static boolean isRequisite(String rel) {
        for (var word : rel.toLowerCase(Locale.ROOT).split("[\\t\\n\\f\\r ]+")) {
            if (REQUISITE_RELS.contains(word)) {
                return true;
            }
        }
        return false;
    }

    private void meta(int after) {
        var equiv = has(HTTP_EQUIV) ? value(HTTP_EQUIV).strip() : "";
        if (equiv.equalsIgnoreCase("refresh")) {
            link(CONTENT, Role.REFRESH, false);
        }
        if (!declares && after <= CHARSET_WITHIN) {
            if (has(CHARSET)) {
                declares = true;
                declared = charset(value(CHARSET).strip());
            } else if (equiv.equalsIgnoreCase("content-type") && has(CONTENT)) {
                declares = true;
                declared = Http.charset(value(CONTENT));
            }
        }
    }

    private static Charset charset(String name) {
        try {
            return Charset.forName(name);
        } catch (IllegalArgumentException unknown) {
            return null;
        }
    }

    /** Every {@code <base href>} is dropped (links are relative to the saved file); the first one's value is the base. */
    private void base() {
        if (has(HREF)) {
            var span = new Span(valueStart[HREF], valueEnd[HREF], Role.BASE, false, quote[HREF]);
            base = base == null ? span : base;
            tagSpans.add(new Span(attributeStart[HREF], attributeEnd[HREF], Role.BASE, false, quote[HREF]));
        }
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
    }

    private static boolean isLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }
}
