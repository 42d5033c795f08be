package gopl.ftp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * A shell wildcard ({@code *}, {@code ?}, {@code [a-z]}, {@code [!a]}, {@code \*}) matched against
 * names in time linear in the name, whatever the pattern: a client's glob must never be able to
 * keep a core busy. The pattern is compiled into a set of states, one per character position,
 * and a name is read once, left to right, carrying the set of positions reached so far as a
 * bitset (the NFA simulation of Thompson's construction, never backtracking). For each character,
 * the positions it can advance are looked up in a table built once per pattern, so a step costs
 * one binary search and a few word operations however many classes the pattern has.
 */
final class Glob {
    /** Longest pattern accepted: the longest file name Linux allows. */
    static final int MAX_LENGTH = 255;

    /** A pattern longer than {@link #MAX_LENGTH}. */
    static final class TooLong extends IllegalArgumentException {
        TooLong() {
            super("pattern longer than " + MAX_LENGTH + " characters");
        }
    }

    /** One position of the pattern: a star, or a set of code points given as [from, to] ranges. */
    private record Token(boolean star, boolean negated, List<int[]> ranges) {
        boolean accepts(int c) {
            boolean in = false;
            for (var r : ranges) {
                in |= r[0] <= c && c <= r[1];
            }
            return in != negated;
        }
    }

    private final int accept; // the state after the last token
    private final int words;
    private final long[] stars; // states whose token is a star
    private final int[] bounds; // sorted code points where the set of advancing states changes
    private final long[][] advance; // advance[i]: states a code point in [bounds[i], bounds[i+1]) moves on from

    private Glob(List<Token> tokens) {
        accept = tokens.size();
        words = accept / 64 + 1;
        stars = new long[words];
        var cuts = new TreeSet<Integer>(List.of(0));
        for (int i = 0; i < tokens.size(); i++) {
            var t = tokens.get(i);
            if (t.star()) {
                set(stars, i);
            }
            for (var r : t.ranges()) {
                cuts.add(r[0]);
                cuts.add(r[1] + 1);
            }
        }
        bounds = cuts.stream().mapToInt(Integer::intValue).toArray();
        advance = new long[bounds.length][words];
        for (int b = 0; b < bounds.length; b++) {
            for (int i = 0; i < tokens.size(); i++) {
                var t = tokens.get(i);
                if (!t.star() && t.accepts(bounds[b])) { // a token accepts all of [bounds[b], bounds[b+1]) or none of it
                    set(advance[b], i);
                }
            }
        }
    }

    /** Whether {@code text} has a wildcard, so that a name that does not exist may be a pattern. */
    static boolean isPattern(String text) {
        return text.indexOf('*') >= 0 || text.indexOf('?') >= 0 || text.indexOf('[') >= 0;
    }

    /**
     * Compiles a pattern. {@code [} without its {@code ]} is a plain character, as in the shells.
     *
     * @throws TooLong if it is longer than {@link #MAX_LENGTH}
     */
    static Glob compile(String pattern) {
        if (pattern.length() > MAX_LENGTH) {
            throw new TooLong();
        }
        var tokens = new ArrayList<Token>();
        var p = pattern.codePoints().toArray();
        for (int i = 0; i < p.length; i++) {
            int c = p[i];
            if (c == '*') {
                if (tokens.isEmpty() || !tokens.getLast().star()) { // ** is *
                    tokens.add(new Token(true, false, List.of()));
                }
            } else if (c == '?') {
                tokens.add(new Token(false, true, List.of())); // "none of nothing": any character
            } else if (c == '[' && classEnd(p, i) > 0) {
                int end = classEnd(p, i);
                tokens.add(charClass(p, i + 1, end));
                i = end;
            } else {
                if (c == '\\' && i + 1 < p.length) {
                    c = p[++i];
                }
                tokens.add(new Token(false, false, List.<int[]>of(new int[] {c, c})));
            }
        }
        return new Glob(tokens);
    }

    /** The index of the {@code ]} that closes the class opened at {@code open}, or -1. */
    private static int classEnd(int[] p, int open) {
        int i = open + 1;
        if (i < p.length && (p[i] == '!' || p[i] == '^')) {
            i++;
        }
        if (i < p.length && p[i] == ']') {
            i++; // a ] right after [ or [! is a member
        }
        for (; i < p.length; i++) {
            if (p[i] == ']') {
                return i;
            }
        }
        return -1;
    }

    private static Token charClass(int[] p, int from, int end) {
        boolean negated = p[from] == '!' || p[from] == '^';
        var ranges = new ArrayList<int[]>();
        for (int i = negated ? from + 1 : from; i < end; i++) {
            if (i + 2 < end && p[i + 1] == '-') {
                if (p[i] <= p[i + 2]) { // a reversed range, [z-a], holds nothing (as in fnmatch)
                    ranges.add(new int[] {p[i], p[i + 2]});
                }
                i += 2;
            } else {
                ranges.add(new int[] {p[i], p[i]});
            }
        }
        return new Token(false, negated, ranges);
    }

    /** Whether the whole of {@code name} matches. */
    boolean matches(String name) {
        var states = new long[words];
        set(states, 0);
        closeOverStars(states);
        var next = new long[words];
        for (int i = 0; i < name.length(); ) {
            int c = name.codePointAt(i);
            i += Character.charCount(c);
            var moves = advance[interval(c)];
            boolean alive = false;
            long carry = 0;
            for (int w = 0; w < words; w++) {
                long moved = states[w] & moves[w];
                next[w] = moved << 1 | carry | states[w] & stars[w]; // a token passed, or a star staying put
                carry = moved >>> 63;
                alive |= next[w] != 0;
            }
            if (!alive) {
                return false;
            }
            var swap = states;
            states = next;
            next = swap;
            closeOverStars(states);
        }
        return (states[accept / 64] & 1L << (accept % 64)) != 0;
    }

    /** The index of the interval of {@link #bounds} that holds {@code c}. */
    private int interval(int c) {
        int i = Arrays.binarySearch(bounds, c);
        return i >= 0 ? i : -i - 2; // bounds[0] is 0, so an insertion point is never 0
    }

    /** A star may match nothing: a state at a star also stands at the token after it (stars never follow stars). */
    private void closeOverStars(long[] states) {
        long carry = 0;
        for (int w = 0; w < words; w++) {
            long skipped = states[w] & stars[w];
            states[w] |= skipped << 1 | carry;
            carry = skipped >>> 63;
        }
    }

    private static void set(long[] bits, int i) {
        bits[i / 64] |= 1L << (i % 64);
    }
}
