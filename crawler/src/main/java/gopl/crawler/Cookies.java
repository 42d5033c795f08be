package gopl.crawler;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A cookie jar as RFC 6265 keeps one, for a crawl: cookies loaded from a Netscape
 * {@code cookies.txt} (what wget's {@code --load-cookies} and curl's {@code -b} read, and
 * browsers' extensions write), and those the sites set as the crawl goes, as wget keeps them.
 * Bounded, since a site controls what it sets: at most {@link #MAX_COOKIES} cookies, 50 a domain,
 * 4 KiB each; past those, new cookies are ignored (the loaded ones stay).
 */
public final class Cookies {
    static final int MAX_COOKIES = 3000;
    static final int MAX_PER_DOMAIN = 50;
    static final int MAX_COOKIE_BYTES = 4096;
    /** Most bytes of a cookies.txt read: a browser's whole jar is far smaller. */
    static final long MAX_FILE = 16L << 20;

    private record Cookie(String name, String value, String domain, boolean hostOnly, String path, boolean secure, long expires) {
        String key() {
            return domain + ";" + path + ";" + name;
        }

        boolean matches(URI uri, String host, String path, long now) {
            return expires > now && (secure ? uri.getScheme().equals("https") : true)
                    && (hostOnly ? host.equals(domain) : host.equals(domain) || host.endsWith("." + domain) && !isIp(host))
                    && (path.equals(this.path) || path.startsWith(this.path)
                            && (this.path.endsWith("/") || path.charAt(this.path.length()) == '/'));
        }
    }

    private final Map<String, Cookie> jar = new LinkedHashMap<>();
    private final Map<String, Integer> perDomain = new java.util.HashMap<>();

    /** An empty jar. */
    public Cookies() {}

    /**
     * Reads a Netscape cookies.txt: {@code domain, subdomains TRUE/FALSE, path, secure TRUE/FALSE,
     * expiry (epoch seconds, 0 for a session cookie), name, value}, tab-separated, {@code #} comments
     * except the {@code #HttpOnly_} prefix.
     *
     * @throws IOException if it cannot be read, or is larger than 16 MiB
     */
    public static Cookies load(Path file) throws IOException {
        if (Files.size(file) > MAX_FILE) {
            throw new IOException("larger than " + (MAX_FILE >> 20) + " MiB: not a cookies.txt");
        }
        var cookies = new Cookies();
        for (var line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.startsWith("#HttpOnly_")) {
                line = line.substring("#HttpOnly_".length());
            } else if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            var fields = line.split("\t", -1);
            if (fields.length < 7) {
                continue;
            }
            var domain = fields[0].toLowerCase(Locale.ROOT);
            boolean subdomains = fields[1].equalsIgnoreCase("TRUE") || domain.startsWith(".");
            long expiry = parseLong(fields[4]);
            cookies.add(new Cookie(fields[5], fields[6], domain.startsWith(".") ? domain.substring(1) : domain, !subdomains,
                    fields[2].isEmpty() ? "/" : fields[2], fields[3].equalsIgnoreCase("TRUE"),
                    expiry <= 0 ? Long.MAX_VALUE : expiry * 1000));
        }
        return cookies;
    }

    /** The {@code Cookie} header for a request to this URL, or null if no cookie goes with it. */
    public synchronized String header(URI uri) {
        if (jar.isEmpty()) {
            return null;
        }
        var host = uri.getHost().toLowerCase(Locale.ROOT);
        var path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        long now = System.currentTimeMillis();
        var matching = new ArrayList<Cookie>();
        for (var cookie : jar.values()) {
            if (cookie.matches(uri, host, path, now)) {
                matching.add(cookie);
            }
        }
        matching.sort(Comparator.comparingInt((Cookie c) -> c.path().length()).reversed()); // RFC 6265: longer paths first
        var header = new StringBuilder();
        for (var cookie : matching) {
            header.append(header.isEmpty() ? "" : "; ").append(cookie.name()).append('=').append(cookie.value());
        }
        return header.isEmpty() ? null : header.toString();
    }

    /** Keeps the cookies of a response's {@code Set-Cookie} fields, as RFC 6265 says, within the bounds. */
    public synchronized void store(URI uri, java.util.List<String> setCookies) {
        for (var field : setCookies) {
            var cookie = parse(uri, field);
            if (cookie != null) {
                add(cookie);
            }
        }
    }

    private void add(Cookie cookie) {
        if (cookie.expires() <= System.currentTimeMillis()) {
            if (jar.remove(cookie.key()) != null) { // Max-Age=0 or a past date: delete it
                perDomain.merge(cookie.domain(), -1, Integer::sum);
            }
            return;
        }
        if (!jar.containsKey(cookie.key())) {
            if (jar.size() >= MAX_COOKIES || perDomain.getOrDefault(cookie.domain(), 0) >= MAX_PER_DOMAIN) {
                return;
            }
            perDomain.merge(cookie.domain(), 1, Integer::sum);
        }
        jar.put(cookie.key(), cookie);
    }

    private static Cookie parse(URI uri, String field) {
        if (field.length() > MAX_COOKIE_BYTES) {
            return null;
        }
        var parts = field.split(";");
        int equals = parts[0].indexOf('=');
        if (equals <= 0) {
            return null;
        }
        var host = uri.getHost().toLowerCase(Locale.ROOT);
        String domain = null;
        String path = null;
        boolean secure = false;
        long expires = Long.MAX_VALUE;
        Long maxAge = null;
        for (int i = 1; i < parts.length; i++) {
            var attribute = parts[i].strip();
            int eq = attribute.indexOf('=');
            var name = (eq < 0 ? attribute : attribute.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
            var value = eq < 0 ? "" : attribute.substring(eq + 1).strip();
            switch (name) {
                case "domain" -> domain = value.startsWith(".") ? value.substring(1).toLowerCase(Locale.ROOT) : value.toLowerCase(Locale.ROOT);
                case "path" -> path = value.startsWith("/") ? value : null;
                case "secure" -> secure = true;
                case "max-age" -> maxAge = parseLong(value);
                case "expires" -> expires = parseDate(value, expires);
                default -> {}
            }
        }
        if (maxAge != null) {
            expires = maxAge <= 0 ? 0 : System.currentTimeMillis() + Math.min(maxAge, Long.MAX_VALUE / 2000) * 1000;
        }
        boolean hostOnly = domain == null || domain.isEmpty();
        if (!hostOnly && !(host.equals(domain) || host.endsWith("." + domain) && !isIp(host))) {
            return null; // a cookie for another site
        }
        if (path == null) {
            var requestPath = uri.getRawPath() == null ? "" : uri.getRawPath();
            int slash = requestPath.lastIndexOf('/');
            path = slash <= 0 ? "/" : requestPath.substring(0, slash);
        }
        return new Cookie(parts[0].substring(0, equals).strip(), parts[0].substring(equals + 1).strip(), hostOnly ? host : domain,
                hostOnly, path, secure, expires);
    }

    private static boolean isIp(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || c >= '0' && c <= '9');
    }

    private static long parseLong(String text) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static long parseDate(String text, long otherwise) {
        try {
            return ZonedDateTime.parse(text.replace('-', ' '), DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss zzz", Locale.ROOT))
                    .toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            return otherwise;
        }
    }
}
