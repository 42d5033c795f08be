package gopl.mirror;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A site's {@code /robots.txt}, honoured as {@code wget --mirror} honours it (RFC 9309): the
 * group for our product token if there is one, else the one for {@code *}; the longest matching
 * rule decides, {@code Allow} winning a tie; {@code *} matches anything and {@code $} anchors the
 * end. A site without a robots.txt, or whose robots.txt cannot be read, allows everything.
 */
final class Robots {
    private record Rule(Pattern pattern, int length, boolean allow) {}

    static final Robots ALLOW_ALL = new Robots(List.of(), null);
    private static final int MAX_SIZE = 512 * 1024; // RFC 9309 asks crawlers to read at least 500 KiB

    private final List<Rule> rules;
    private final byte[] text;

    private Robots(List<Rule> rules, byte[] text) {
        this.text = text;
        this.rules = rules.stream().sorted(Comparator.comparingInt(Rule::length).reversed()
                .thenComparing(Rule::allow, Comparator.reverseOrder())).toList();
    }

    /**
     * Reads the site's robots.txt; only a 200 answer restricts anything. Redirects are not
     * followed. If interrupted, allows all and leaves the interrupt flag set for the caller.
     */
    static Robots fetch(URI site, String userAgent, Duration timeout) {
        var request = HttpRequest.newBuilder(site.resolve("/robots.txt")).timeout(timeout)
                .header("User-Agent", userAgent).GET().build();
        try (var client = HttpClient.newBuilder().connectTimeout(timeout).build()) {
            var response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (var body = response.body()) {
                if (response.statusCode() != 200) {
                    return ALLOW_ALL;
                }
                var text = body.readNBytes(MAX_SIZE);
                return new Robots(parse(new String(text, StandardCharsets.UTF_8), userAgent).rules, text);
            }
        } catch (IOException | IllegalArgumentException e) {
            return ALLOW_ALL;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ALLOW_ALL;
        }
    }

    /** The rules of robots.txt that apply to this User-Agent (its product token, before any '/'). */
    static Robots parse(String text, String userAgent) {
        var groups = new Groups(userAgent.split("[/\\s]", 2)[0].toLowerCase(Locale.ROOT));
        text.lines().forEach(groups::read);
        return new Robots(groups.rules(), null);
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

        Groups(String token) {
            this.token = token;
        }

        void read(String line) {
            var content = line.replaceFirst("#.*", "").strip();
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
            } else if (key.equals("allow") || key.equals("disallow")) {
                inRules = true;
                if (!value.isEmpty() && (forUs || forAnyone)) { // "Disallow:" alone allows everything
                    (forUs ? ours : anyone).add(rule(value, key.equals("allow")));
                }
            }
        }

        List<Rule> rules() {
            return oursFound ? ours : anyone;
        }
    }

    private static Rule rule(String path, boolean allow) {
        boolean anchored = path.endsWith("$");
        var body = anchored ? path.substring(0, path.length() - 1) : path;
        var regex = new StringBuilder();
        for (var part : body.split("\\*", -1)) {
            if (!regex.isEmpty()) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(part));
        }
        return new Rule(Pattern.compile(regex + (anchored ? "$" : "")), path.length(), allow);
    }

    /** The robots.txt as fetched, to save with the mirror as wget does; null if there was none. */
    byte[] text() {
        return text;
    }

    /** Whether the rules let us fetch this URL (its path and query). */
    boolean allows(URI uri) {
        var path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        for (var rule : rules) {
            if (rule.pattern().matcher(path).lookingAt()) {
                return rule.allow();
            }
        }
        return true;
    }
}
