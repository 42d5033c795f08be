package gopl.mirror;

/**
 * Character references in attribute values, as HTML reads them ({@code &amp;} in a URL is a
 * {@code &}; the names are jsoup's table of HTML's), and as we write them back.
 */
final class Entities {
    private static final int LONGEST_NAME = 32; // &CounterClockwiseContourIntegral; is 31
    private static final int LONGEST_NUMBER = 10; // digits of a reference read at most: no overflow

    private Entities() {}

    /** The value an attribute's text means: references decoded, NUL as U+FFFD. */
    static String decode(String text) {
        if (text.indexOf('&') < 0 && text.indexOf('\0') < 0) {
            return text;
        }
        var out = new StringBuilder(text.length());
        for (int i = 0, n = text.length(); i < n; ) {
            char c = text.charAt(i);
            if (c == '&') {
                i = reference(text, i, out);
            } else {
                out.append(c == '\0' ? '\ufffd' : c);
                i++;
            }
        }
        return out.toString();
    }

    /** Decodes the reference at {@code text[amp]} into out, or copies the {@code &}; returns where to go on. */
    private static int reference(String text, int amp, StringBuilder out) {
        int i = amp + 1;
        int n = text.length();
        if (i < n && text.charAt(i) == '#') {
            boolean hex = i + 1 < n && (text.charAt(i + 1) == 'x' || text.charAt(i + 1) == 'X');
            int start = hex ? i + 2 : i + 1;
            int end = start;
            while (end < n && end - start < LONGEST_NUMBER && Character.digit(text.charAt(end), hex ? 16 : 10) >= 0) {
                end++;
            }
            if (end == start) {
                out.append('&');
                return amp + 1;
            }
            long code = Long.parseLong(text, start, end, hex ? 16 : 10);
            boolean valid = code > 0 && code <= Character.MAX_CODE_POINT && (code < 0xD800 || code > 0xDFFF);
            out.appendCodePoint(valid ? (int) code : 0xFFFD);
            return end < n && text.charAt(end) == ';' ? end + 1 : end;
        }
        int end = i;
        while (end < n && end - i < LONGEST_NAME && Character.isLetterOrDigit(text.charAt(end)) && text.charAt(end) < 128) {
            end++;
        }
        var name = text.substring(i, end);
        boolean semicolon = end < n && text.charAt(end) == ';';
        // Without its ';', only the old names count, and not before '=': a URL's query (&copy=1).
        if (end == i || !(semicolon ? org.jsoup.nodes.Entities.isNamedEntity(name)
                : org.jsoup.nodes.Entities.isBaseNamedEntity(name) && (end >= n || text.charAt(end) != '='))) {
            out.append('&');
            return amp + 1;
        }
        out.append(org.jsoup.nodes.Entities.getByName(name));
        return semicolon ? end + 1 : end;
    }

    /** An attribute's value written back inside {@code quote} ('"' or '\''). */
    static String escape(String value, char quote) {
        var out = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '&') {
                out.append("&amp;");
            } else if (c == quote) {
                out.append(quote == '"' ? "&quot;" : "&#39;");
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
