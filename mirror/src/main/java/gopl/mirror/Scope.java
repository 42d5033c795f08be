package gopl.mirror;

import gopl.crawler.UrlPattern;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Which URLs a mirror fetches and which files it keeps, by wget's rules for the same options:
 * the start host (and with {@code -H} the hosts {@code -D} lists, minus {@code --exclude-domains}),
 * {@code -np} (page links only, as with {@code -p}), {@code -I}/{@code -X} directories,
 * {@code --accept-regex}/{@code --reject-regex} on the whole URL, and {@code -A}/{@code -R} on the
 * file name: checked on the URL's name before the fetch (names ending in .html or .htm and
 * directories are fetched anyway, for their links) and on the saved file's name after, where a
 * file they reject is not kept, as wget deletes it.
 */
final class Scope {
    /** The options, as the user gave them; empty lists for none. */
    record Rules(boolean spanHosts, List<String> domains, List<String> excludeDomains, boolean noParent,
            List<String> accept, List<String> reject, List<String> includeDirectories, List<String> excludeDirectories,
            UrlPattern acceptRegex, UrlPattern rejectRegex) {
        static final Rules DEFAULT = new Rules(false, List.of(), List.of(), false, List.of(), List.of(), List.of(), List.of(), null,
                null);
    }

    private final URI start;
    private final Rules rules;
    private final String startDirectory;

    Scope(URI start, Rules rules) {
        this.start = start;
        this.rules = rules;
        this.startDirectory = directory(start.getRawPath());
    }

    /**
     * Whether a URL may be requested at all, whatever links to it (redirects are checked by this):
     * on the start URL's host and port (either default port: a site redirecting from http to
     * https is one site), or with -H on another; and as with wget, every host, the start URL's
     * too, must be in -D's domains if it is given, and not in --exclude-domains.
     */
    boolean host(URI uri) {
        if (uri.getHost() == null) {
            return false;
        }
        var host = uri.getHost().toLowerCase(Locale.ROOT);
        return (rules.spanHosts() || LocalPaths.hostDir(uri).equals(LocalPaths.hostDir(start)))
                && (rules.domains().isEmpty() || inDomains(host, rules.domains())) && !inDomains(host, rules.excludeDomains());
    }

    /** Whether a link found on a page is followed: {@link #host}, then wget's -np, -I, -X, regular expressions and -A/-R. */
    boolean follows(URI uri, boolean requisite) {
        if (!host(uri)) {
            return false;
        }
        var directory = directory(uri.getRawPath());
        boolean startSite = LocalPaths.hostDir(uri).equals(LocalPaths.hostDir(start));
        if (rules.noParent() && !requisite && startSite && !under(startDirectory, directory)) {
            return false;
        }
        if (!rules.includeDirectories().isEmpty() && !matchesDirectory(rules.includeDirectories(), directory)
                || matchesDirectory(rules.excludeDirectories(), directory)) {
            return false;
        }
        if (rules.acceptRegex() != null && !rules.acceptRegex().find(uri.toString())
                || rules.rejectRegex() != null && rules.rejectRegex().find(uri.toString())) {
            return false;
        }
        var name = fileName(uri.getRawPath());
        return name.isEmpty() || hasHtmlSuffix(name) || acceptable(name);
    }

    /** Whether a saved file's name passes -A and -R (wget deletes the file after taking its links if not). */
    boolean keeps(Path file) {
        return acceptable(file.getFileName().toString());
    }

    /** wget's acceptable(): in -A (if any) and not in -R; an entry is a suffix, or a pattern if it has * ? or [. */
    private boolean acceptable(String name) {
        return (rules.accept().isEmpty() || inList(rules.accept(), name)) && !inList(rules.reject(), name);
    }

    private static boolean inList(List<String> list, String name) {
        for (var entry : list) {
            if (Wildcard.hasWildcards(entry) ? Wildcard.matches(entry, name) : name.endsWith(entry)) {
                return true;
            }
        }
        return false;
    }

    /** -I and -X: a directory and everything below it, or a pattern matched a path segment at a time. */
    private static boolean matchesDirectory(List<String> list, String directory) {
        for (var entry : list) {
            var dir = entry.startsWith("/") ? entry.substring(1) : entry;
            if (Wildcard.hasWildcards(dir) ? Wildcard.matchesPath(dir, directory) : under(dir, directory)) {
                return true;
            }
        }
        return false;
    }

    /** Whether directory {@code sub} is {@code dir} or below it: {@code a/b} is under {@code a}, {@code ab} is not. */
    private static boolean under(String dir, String sub) {
        return dir.isEmpty() || sub.equals(dir) || sub.startsWith(dir) && sub.charAt(dir.length()) == '/';
    }

    private static boolean inDomains(String host, List<String> domains) {
        for (var domain : domains) {
            var d = domain.toLowerCase(Locale.ROOT);
            d = d.startsWith(".") ? d.substring(1) : d;
            if (host.equals(d) || host.endsWith("." + d)) {
                return true;
            }
        }
        return false;
    }

    /** A URL path's directory as wget keeps it: no leading or trailing slash ({@code docs/sub}, or "" at the root). */
    private static String directory(String rawPath) {
        var path = rawPath == null ? "" : rawPath;
        int slash = path.lastIndexOf('/');
        var directory = slash <= 0 ? "" : path.substring(1, slash);
        return java.net.URLDecoder.decode(directory.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String fileName(String rawPath) {
        var path = rawPath == null ? "" : rawPath;
        return java.net.URLDecoder.decode(path.substring(path.lastIndexOf('/') + 1).replace("+", "%2B"),
                java.nio.charset.StandardCharsets.UTF_8);
    }

    private static boolean hasHtmlSuffix(String name) {
        var lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".html") || lower.endsWith(".htm");
    }
}
