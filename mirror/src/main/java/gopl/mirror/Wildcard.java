package gopl.mirror;

/**
 * Shell wildcards as wget matches -A, -R, -I and -X patterns (fnmatch): {@code *}, {@code ?},
 * {@code [a-z]}, {@code [!x]}, {@code \} escaping. Linear in the name for each star (no regular
 * expression to backtrack): the classic match that retries only from the last star.
 */
final class Wildcard {
    private Wildcard() {}

    static boolean hasWildcards(String pattern) {
        return pattern.indexOf('*') >= 0 || pattern.indexOf('?') >= 0 || pattern.indexOf('[') >= 0;
    }

    /** fnmatch without FNM_PATHNAME: {@code *} matches anything. */
    static boolean matches(String pattern, String name) {
        int p = 0;
        int n = 0;
        int starP = -1;
        int starN = -1;
        while (n < name.length()) {
            if (p < pattern.length() && pattern.charAt(p) == '*') {
                starP = ++p;
                starN = n;
            } else if (p < pattern.length() && single(pattern, p, name.charAt(n))) {
                p = next(pattern, p);
                n++;
            } else if (starP >= 0) {
                p = starP;
                n = ++starN;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    /** fnmatch with FNM_PATHNAME: a {@code /} only matches a {@code /}, so each segment is matched on its own. */
    static boolean matchesPath(String pattern, String path) {
        var patterns = pattern.split("/", -1);
        var names = path.split("/", -1);
        if (patterns.length != names.length) {
            return false;
        }
        for (int i = 0; i < names.length; i++) {
            if (!matches(patterns[i], names[i])) {
                return false;
            }
        }
        return true;
    }

    /** Whether the pattern element at {@code p} ({@code ?}, a class, an escaped or plain character) matches {@code c}. */
    private static boolean single(String pattern, int p, char c) {
        char first = pattern.charAt(p);
        if (first == '?') {
            return true;
        }
        if (first == '\\' && p + 1 < pattern.length()) {
            return pattern.charAt(p + 1) == c;
        }
        if (first == '[') {
            int end = classEnd(pattern, p);
            if (end > 0) {
                return inClass(pattern, p + 1, end, c);
            }
        }
        return first == c;
    }

    /** Where the element at {@code p} ends. */
    private static int next(String pattern, int p) {
        char first = pattern.charAt(p);
        if (first == '\\' && p + 1 < pattern.length()) {
            return p + 2;
        }
        if (first == '[') {
            int end = classEnd(pattern, p);
            if (end > 0) {
                return end + 1;
            }
        }
        return p + 1;
    }

    /** The index of the ']' closing the class opened at {@code p}, or -1 if it is not closed (then '[' is literal). */
    private static int classEnd(String pattern, int p) {
        int i = p + 1;
        if (i < pattern.length() && (pattern.charAt(i) == '!' || pattern.charAt(i) == '^')) {
            i++;
        }
        if (i < pattern.length() && pattern.charAt(i) == ']') {
            i++; // a ']' first is a member
        }
        for (; i < pattern.length(); i++) {
            if (pattern.charAt(i) == ']') {
                return i;
            }
        }
        return -1;
    }

    private static boolean inClass(String pattern, int from, int end, char c) {
        boolean negated = pattern.charAt(from) == '!' || pattern.charAt(from) == '^';
        int i = negated ? from + 1 : from;
        boolean found = false;
        for (boolean first = true; i < end; first = false) {
            char low = pattern.charAt(i);
            if (!first && low == ']') {
                break;
            }
            if (i + 2 < end && pattern.charAt(i + 1) == '-') {
                found |= c >= low && c <= pattern.charAt(i + 2);
                i += 3;
            } else {
                found |= c == low;
                i++;
            }
        }
        return found != negated;
    }
}
