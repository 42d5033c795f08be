package gopl.crawler;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A user's regular expression matched against URLs a site wrote, within a bounded number of steps:
 * a pattern such as {@code (a|aa)+$} backtracks exponentially on a long enough URL, and a hostile
 * page can link to one. The matcher reads the URL through a sequence that counts every character
 * it is asked for; past {@link #MAX_STEPS} the match is abandoned and counts as no match. So is a
 * match that recursed too deep: java.util.regex recurses once per repetition of a group, and a
 * long URL overflows the stack of a virtual thread (which would end the crawl as an error).
 */
public final class UrlPattern {
    /** Characters a match may read: about a millisecond's work, thousands of times a plain match's. */
    static final int MAX_STEPS = 1_000_000;

    private final Pattern pattern;

    private UrlPattern(Pattern pattern) {
        this.pattern = pattern;
    }

    /** @throws IllegalArgumentException with a message for the user, if it is not a regular expression */
    public static UrlPattern compile(String regex) {
        try {
            return new UrlPattern(Pattern.compile(regex));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("'" + regex + "' is not a regular expression: " + e.getDescription());
        }
    }

    /** Whether the pattern occurs in the URL (as wget's --accept-regex and grep do); false if it takes too long to tell. */
    public boolean find(String url) {
        try {
            return pattern.matcher(new Counted(url)).find();
        } catch (TooLong | StackOverflowError e) {
            return false; // the stack is unwound to here: the matcher's frames only
        }
    }

    @Override
    public String toString() {
        return pattern.pattern();
    }

    private static final class TooLong extends RuntimeException {
        TooLong() {
            super("pattern too slow", null, false, false);
        }
    }

    /** The URL, failing once it has been read more than MAX_STEPS characters' worth. */
    private static final class Counted implements CharSequence {
        private final String text;
        private int steps;

        Counted(String text) {
            this.text = text;
        }

        @Override
        public char charAt(int index) {
            if (++steps > MAX_STEPS) {
                throw new TooLong();
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return text.subSequence(start, end);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
