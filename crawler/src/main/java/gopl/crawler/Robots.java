package gopl.crawler;

import gopl.common.Http;
import gopl.common.http.Connections;
import gopl.crawler.Fetcher.FetchException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A site's {@code /robots.txt} as RFC 9309 says to honour it: the group for our product token if
 * there is one, else the one for {@code *}; the longest matching rule decides, {@code Allow}
 * winning a tie; {@code *} matches any run of characters and {@code $} anchors the end. Matching
 * takes time linear in the path and the rule (no regular expression that could backtrack).
 *
 * <p>Fetching follows RFC 9309 too: up to 5 redirects, anywhere; a 4xx means there are no rules
 * (allow all); a 5xx, a failure to connect or a response not complete within the timeout means
 * the file is unreachable, and then everything is disallowed. The first 512 KiB are read.
 */
public final class Robots {
    /** RFC 9309 asks crawlers to parse at least 500 KiB; what follows is ignored. */
    static final int MAX_SIZE = 512 * 1024;
    /** Redirects RFC 9309 asks crawlers to follow at least; past them, no rules. */
    static final int MAX_REDIRECTS = 5;

    /** No rules: everything allowed. */
    public static final Robots ALLOW_ALL = new Robots(List.of(), null, null, Duration.ZERO);

    private final List<Rule> rules;
    private final byte[] text;
    private final String unreachable;
    private final Duration crawlDelay;

    private Robots(List<Rule> rules, byte[] text, String unreachable, Duration crawlDelay) {
        this.text = text;
        this.unreachable = unreachable;
        this.crawlDelay = crawlDelay;
        this.rules = rules.stream().sorted(Comparator.comparingInt(Rule::length).reversed()
                .thenComparing(Rule::allow, Comparator.reverseOrder())).toList();
    }

    /**
     * Reads the site's robots.txt, within {@code timeout} for the whole of it, redirects and body
     * included. If interrupted, disallows all and leaves the interrupt flag set for the caller.
     */
    public static Robots fetch(URI site, String userAgent, Duration timeout) {
        try (var connections = new Connections(gopl.common.Proxies.NONE)) {
            var options = new Fetcher.Options(timeout, MAX_SIZE, true, MAX_SIZE, userAgent, uri -> true, true, null,
                    uri -> java.util.Map.of(), null);
            return fetch(site, new Fetcher(connections, options));
        }
    }

    /** {@link #fetch(URI, String, Duration)} with the crawl's own client: its proxies, headers and cookies. */
    static Robots fetch(URI site, Fetcher fetcher) {
        try {
            long deadline = fetcher.deadline();
            var uri = site.resolve("/robots.txt");
            for (int hops = 0; ; hops++) {
                var response = fetcher.get(uri, deadline);
                try {
                    if (response.isSuccess()) {
                        var bytes = response.body().bytes();
                        var parsed = parse(new String(bytes, StandardCharsets.UTF_8), fetcher.userAgent());
                        return new Robots(parsed.rules, bytes, null, parsed.crawlDelay);
                    } else if (response.isRedirect() && hops < MAX_REDIRECTS) {
                        uri = fetcher.redirectTarget(uri, response.location(), response.status());
                    } else if (response.isRedirect() || response.status() / 100 == 4) {
                        return ALLOW_ALL;
                    } else {
                        return unreachable(Http.statusText(response.status()));
                    }
                } finally {
                    response.body().discard();
                }
            }
        } catch (FetchException e) {
            return unreachable(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unreachable("interrupted");
        }
    }

    private static Robots unreachable(String why) {
        return new Robots(List.of(new Rule(new Part[] {new Part("/")}, false, 1, false)), null, why, Duration.ZERO);
    }

    /** The rules of robots.txt that apply to this User-Agent (its product token, before any '/'). */
    public static Robots parse(String text, String userAgent) {
        var groups = new Groups(userAgent.split("[/\\s]", 2)[0].toLowerCase(Locale.ROOT));
        text.lines().forEach(groups::read);
        return new Robots(groups.rules(), null, null, groups.crawlDelay());
    }

    /**
     * The {@code Crawl-delay} of our group (or the {@code *} group): how long the site asks
     * crawlers to wait between requests (not in RFC 9309, but widely written); zero if none.
     */
    public Duration crawlDelay() {
        return crawlDelay;
    }

    /** The robots.txt as fetched, to save with a mirror as wget does; null if there was none. */
    public byte[] text() {
        return text;
    }

    /** Why robots.txt could not be read, in which case everything is disallowed; null if it could. */
    public String unreachable() {
        return unreachable;
    }

    /** Whether the rules let us fetch this URL (its path and query). */
    public boolean allows(URI uri) {
        var path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        if (path.equals("/robots.txt")) {
            return true; // RFC 9309: implicitly allowed
        }
        for (var rule : rules) {
            if (rule.matches(path)) {
                return rule.allow();
            }
        }
        return true;
    }

    /** Reads robots.txt a line at a time, keeping the rules of the groups for us and for {@code *}. */
    private static final class Groups {
        private final String token;
        private final List<Rule> ours = new ArrayList<>();
        private final List<Rule> anyone = new ArrayList<>();
        private boolean forUs;
        private boolean forAnyone;
        private boolean oursFound; // a group for us, even an empty one, overrides the one for *
        private boolean inRules = true; // a user-agent line after rules starts a new group
        private Duration oursDelay;
        private Duration anyoneDelay;

        Groups(String token) {
            this.token = token;
        }

        void read(String line) {
            int hash = line.indexOf('#');
            var content = (hash < 0 ? line : line.substring(0, hash)).strip();
            int colon = content.indexOf(':');
            var key = colon < 0 ? "" : content.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            var value = colon < 0 ? "" : content.substring(colon + 1).strip();
            if (key.equals("user-agent")) {
                if (inRules) {
                    forUs = forAnyone = inRules = false;
                }
                forUs |= value.equalsIgnoreCase(token);
                forAnyone |= value.equals("*");
                oursFound |= forUs;
            } else if (key.equals("crawl-delay")) {
                inRules = true;
                var delay = seconds(value);
                if (delay != null && forUs) {
                    oursDelay = delay;
                } else if (delay != null && forAnyone) {
                    anyoneDelay = delay;
                }
            } else if (key.equals("allow") || key.equals("disallow")) {
                inRules = true;
                if (!value.isEmpty() && (forUs || forAnyone)) { // "Disallow:" alone allows everything
                    (forUs ? ours : anyone).add(Rule.of(value, key.equals("allow")));
                }
            }
        }

        List<Rule> rules() {
            return oursFound ? ours : anyone;
        }

        Duration crawlDelay() {
            var delay = oursFound ? oursDelay : anyoneDelay;
            return delay == null ? Duration.ZERO : delay;
        }

        /** A number of seconds ({@code 10}, {@code 0.5}) as a duration, at most a year; null if it is not one. */
        private static Duration seconds(String value) {
            try {
                double seconds = Double.parseDouble(value);
                if (!(seconds >= 0) || seconds > 365 * 86_400.0 || value.length() > 32) {
                    return null;
                }
                return Duration.ofNanos((long) (seconds * 1e9));
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    /**
     * A path pattern: the literal parts between its {@code *}s, each with its KMP failure table.
     * The first part must start the path; each next one is found leftmost after the previous
     * (leftmost is always right for {@code *}); with {@code $} the last part must end the path.
     * Every part scans forward from where the previous ended, so a match is linear.
     */
    private record Rule(Part[] parts, boolean anchored, int length, boolean allow) {
        static Rule of(String pattern, boolean allow) {
            boolean anchored = pattern.endsWith("$");
            var body = anchored ? pattern.substring(0, pattern.length() - 1) : pattern;
            var parts = body.split("\\*", -1);
            var compiled = new Part[parts.length];
            for (int i = 0; i < parts.length; i++) {
                compiled[i] = new Part(parts[i]);
            }
            return new Rule(compiled, anchored, pattern.length(), allow);
        }

        boolean matches(String path) {
            if (!path.startsWith(parts[0].text())) {
                return false;
            }
            int at = parts[0].text().length();
            for (int i = 1; i < parts.length; i++) {
                if (anchored && i == parts.length - 1) {
                    return path.length() - parts[i].text().length() >= at && path.endsWith(parts[i].text());
                }
                int found = parts[i].find(path, at);
                if (found < 0) {
                    return false;
                }
                at = found + parts[i].text().length();
            }
            return !anchored || at == path.length();
        }
    }

    /** A literal part of a pattern and its Knuth-Morris-Pratt failure table. */
    private record Part(String text, int[] fail) {
        Part(String text) {
            this(text, failureTable(text));
        }

        private static int[] failureTable(String word) {
            var fail = new int[word.length() + 1];
            fail[0] = -1;
            for (int i = 1, k = -1; i <= word.length(); i++) {
                while (k >= 0 && word.charAt(k) != word.charAt(i - 1)) {
                    k = fail[k];
                }
                fail[i] = ++k;
            }
            return fail;
        }

        /** Where the part first occurs in the text at or after {@code from}, or -1; O(text length). */
        int find(String haystack, int from) {
            if (text.isEmpty()) {
                return from;
            }
            for (int i = from, k = 0; i < haystack.length(); i++) {
                while (k >= 0 && text.charAt(k) != haystack.charAt(i)) {
                    k = fail[k];
                }
                if (++k == text.length()) {
                    return i - k + 1;
                }
            }
            return -1;
        }
    }
}
