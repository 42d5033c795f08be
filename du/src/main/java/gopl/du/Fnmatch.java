package gopl.du;

/**
 * POSIX fnmatch with no flags, over characters given as ints (bytes or code points): {@code *},
 * {@code ?}, bracket expressions ({@code [a-z]}, {@code [!x]} or {@code [^x]}, {@code [[:alpha:]]},
 * {@code []x]}), and backslash escapes. An unterminated {@code [} matches itself. The star is
 * matched greedily with one backtracking point, so a match costs at most pattern × text steps.
 */
final class Fnmatch {
    private Fnmatch() {}

    /** Whether {@code pattern} matches {@code text} from {@code start} to its end. */
    static boolean matches(int[] pattern, int[] text, int start) {
        int p = 0, t = start, starP = -1, starT = -1;
        while (t < text.length || p < pattern.length) {
            if (p < pattern.length) {
                int c = pattern[p];
                if (c == '*') {
                    while (p < pattern.length && pattern[p] == '*') {
                        p++;
                    }
                    starP = p;
                    starT = t;
                    continue;
                }
                if (t < text.length) {
                    int next = step(pattern, p, text[t]);
                    if (next == TRAILING_BACKSLASH) {
                        return false;
                    }
                    if (next > 0) {
                        p = next;
                        t++;
                        continue;
                    }
                } else if (c == '\\' && p + 1 == pattern.length) {
                    return false;
                }
            }
            if (starP >= 0 && starT < text.length) { // let the last star take one more character
                p = starP;
                t = ++starT;
                continue;
            }
            return false;
        }
        return true;
    }

    private static final int TRAILING_BACKSLASH = -2;

    /** Where the pattern goes on if its element at p matches c; 0 if it does not match. */
    private static int step(int[] pattern, int p, int c) {
        return switch (pattern[p]) {
            case '?' -> p + 1;
            case '\\' -> p + 1 == pattern.length ? TRAILING_BACKSLASH : pattern[p + 1] == c ? p + 2 : 0;
            case '[' -> {
                int end = bracketEnd(pattern, p);
                if (end < 0) { // not a bracket expression: a literal [
                    yield c == '[' ? p + 1 : 0;
                }
                yield inBracket(pattern, p + 1, end, c) ? end + 1 : 0;
            }
            default -> pattern[p] == c ? p + 1 : 0;
        };
    }

    /** The index of the ] closing the bracket expression at p, or -1 if it is not closed. */
    private static int bracketEnd(int[] pattern, int p) {
        int i = p + 1;
        if (i < pattern.length && (pattern[i] == '!' || pattern[i] == '^')) {
            i++;
        }
        if (i < pattern.length && pattern[i] == ']') {
            i++; // a ] first is an ordinary character
        }
        while (i < pattern.length && pattern[i] != ']') {
            if (pattern[i] == '\\' && i + 1 < pattern.length) {
                i++;
            } else if (pattern[i] == '[' && i + 1 < pattern.length && pattern[i + 1] == ':') {
                int close = classEnd(pattern, i + 2);
                if (close > 0) {
                    i = close + 1; // past ":]"
                }
            }
            i++;
        }
        return i < pattern.length ? i : -1;
    }

    /** The index of the ':' of the ":]" ending a class name that starts at i, or -1. */
    private static int classEnd(int[] pattern, int i) {
        for (int j = i; j + 1 < pattern.length; j++) {
            if (pattern[j] == ':' && pattern[j + 1] == ']') {
                return j;
            }
            if (!Character.isLetter(pattern[j])) {
                return -1;
            }
        }
        return -1;
    }

    private static boolean inBracket(int[] pattern, int from, int end, int c) {
        boolean negated = pattern[from] == '!' || pattern[from] == '^';
        int i = negated ? from + 1 : from;
        boolean found = false;
        while (i < end) {
            int low = pattern[i];
            if (low == '[' && i + 1 < end && pattern[i + 1] == ':') {
                int close = classEnd(pattern, i + 2);
                if (close > 0) {
                    found |= inClass(new String(pattern, i + 2, close - i - 2), c);
                    i = close + 2;
                    continue;
                }
            }
            if (low == '\\' && i + 1 < end) {
                low = pattern[++i];
            }
            i++;
            int high = low;
            if (i + 1 < end && pattern[i] == '-') { // a range; a - last is an ordinary character
                high = pattern[i + 1];
                if (high == '\\' && i + 2 < end) {
                    high = pattern[i + 2];
                    i++;
                }
                i += 2;
            }
            found |= low <= c && c <= high;
        }
        return found != negated;
    }

    private static boolean inClass(String name, int c) {
        return switch (name) {
            case "alnum" -> Character.isLetterOrDigit(c);
            case "alpha" -> Character.isLetter(c);
            case "blank" -> c == ' ' || c == '\t';
            case "cntrl" -> Character.isISOControl(c);
            case "digit" -> c >= '0' && c <= '9';
            case "graph" -> c > ' ' && c != 0x7f && !Character.isISOControl(c) && !Character.isWhitespace(c);
            case "lower" -> Character.isLowerCase(c);
            case "print" -> c >= ' ' && c != 0x7f && !Character.isISOControl(c);
            case "punct" -> c < 0x80 ? c > ' ' && c < 0x7f && !Character.isLetterOrDigit(c)
                    : !Character.isLetterOrDigit(c) && !Character.isWhitespace(c) && !Character.isISOControl(c);
            case "space" -> c == ' ' || c >= '\t' && c <= '\r';
            case "upper" -> Character.isUpperCase(c);
            case "xdigit" -> Character.digit(c, 16) >= 0 && c < 0x80;
            default -> false;
        };
    }
}
