package gopl.mirror;

import java.util.function.IntPredicate;

/**
 * Finds the links of a stylesheet, {@code url(...)} (quoted or not) and {@code @import "..."},
 * in time linear in its length, whatever it holds: a regular expression took quadratic time on
 * {@code url(url(url(...} without a {@code )}, retrying the rest of the sheet from every
 * {@code url(}. Here every "where is the next X" is answered by a {@link Next}, a pointer that
 * only moves forward, so each character is looked at a bounded number of times.
 */
final class CssLinks {
    /**
     * One link: {@code text[start, end)} is the whole match, {@code prefix} what precedes the link
     * in it ({@code url(} and spaces, or {@code @import }), {@code quote} the quote used ("" for none),
     * {@code suffix} what follows the closing quote ({@code )} and spaces before it).
     */
    record Found(int start, int end, String prefix, String quote, String link, String suffix) {}

    private final String css;
    private int from;
    private final Next paren;
    private final Next at;
    private final Next doubleQuote;
    private final Next singleQuote;
    private final Next unquotedEnd;
    private final Next afterUrl;
    private final Next afterUnquoted;
    private final Next afterDoubleQuoted;
    private final Next afterSingleQuoted;
    private final Next afterImport;

    CssLinks(String css) {
        this.css = css;
        paren = new Next(css, c -> c == '(');
        at = new Next(css, c -> c == '@');
        doubleQuote = new Next(css, c -> c == '"');
        singleQuote = new Next(css, c -> c == '\'');
        unquotedEnd = new Next(css, c -> c == ')' || c == '"' || c == '\'' || isSpace(c));
        IntPredicate notSpace = c -> !isSpace(c);
        afterUrl = new Next(css, notSpace);
        afterUnquoted = new Next(css, notSpace);
        afterDoubleQuoted = new Next(css, notSpace);
        afterSingleQuoted = new Next(css, notSpace);
        afterImport = new Next(css, notSpace);
    }

    /** The next link after the previous one, or null. */
    Found next() {
        while (true) {
            int p = paren.at(from);
            int a = at.at(from);
            if (p < 0 && a < 0) {
                return null;
            }
            var found = p >= 0 && (a < 0 || p < a) ? url(p) : atImport(a);
            if (found != null) {
                from = found.end();
                return found;
            }
            from = (p >= 0 && (a < 0 || p < a) ? p : a) + 1;
        }
    }

    /** {@code url(} ending at the parenthesis {@code p}, not part of a longer name. */
    private Found url(int p) {
        int start = p - 3;
        if (start < 0 || !css.regionMatches(true, start, "url", 0, 3)
                || start > 0 && isNameChar(css.charAt(start - 1))) {
            return null;
        }
        int open = afterUrl.at(p + 1);
        if (open < 0) {
            return null;
        }
        char c = css.charAt(open);
        int linkEnd;
        int close;
        String quote;
        if (c == '"' || c == '\'') {
            linkEnd = (c == '"' ? doubleQuote : singleQuote).at(open + 1);
            close = linkEnd < 0 ? -1 : (c == '"' ? afterDoubleQuoted : afterSingleQuoted).at(linkEnd + 1);
            quote = String.valueOf(c);
        } else {
            linkEnd = unquotedEnd.at(open);
            close = linkEnd < 0 ? -1 : afterUnquoted.at(linkEnd);
            quote = "";
        }
        if (close < 0 || css.charAt(close) != ')') {
            return null;
        }
        int linkStart = quote.isEmpty() ? open : open + 1;
        return new Found(start, close + 1, css.substring(start, open), quote, css.substring(linkStart, linkEnd),
                css.substring(quote.isEmpty() ? linkEnd : linkEnd + 1, close + 1));
    }

    /** {@code @import} at {@code a}, spaces, then a quoted URL. */
    private Found atImport(int a) {
        int spaces = a + 7;
        if (!css.regionMatches(true, a + 1, "import", 0, 6) || spaces >= css.length()
                || !isSpace(css.charAt(spaces))) {
            return null;
        }
        int open = afterImport.at(spaces);
        if (open < 0 || css.charAt(open) != '"' && css.charAt(open) != '\'') {
            return null;
        }
        int close = (css.charAt(open) == '"' ? doubleQuote : singleQuote).at(open + 1);
        if (close < 0) {
            return null;
        }
        return new Found(a, close + 1, css.substring(a, open), String.valueOf(css.charAt(open)),
                css.substring(open + 1, close), "");
    }

    /** Regular expressions' {@code \s}. */
    private static boolean isSpace(int c) {
        return c == ' ' || c >= '\t' && c <= '\r';
    }

    /** Regular expressions' {@code [\w-]}. */
    private static boolean isNameChar(char c) {
        return c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '-');
    }

    /**
     * The first index at or after a position where a predicate holds, for positions asked in
     * non-decreasing order: the answer to the last question stays right until it is passed.
     */
    private static final class Next {
        private final String text;
        private final IntPredicate predicate;
        private int found = -2; // -2: not asked yet; -1: none from the last position on

        Next(String text, IntPredicate predicate) {
            this.text = text;
            this.predicate = predicate;
        }

        int at(int position) {
            if (found == -1 || found >= position) {
                return found;
            }
            int i = Math.max(position, found + 1);
            while (i < text.length() && !predicate.test(text.charAt(i))) {
                i++;
            }
            found = i < text.length() ? i : -1;
            return found;
        }
    }
}
