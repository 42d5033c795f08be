package gopl.crawler;

import gopl.crawler.Crawler.Link;
import gopl.crawler.Crawler.Page;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The book's {@code links.Extract}, on jsoup: the {@code <a href>} links of an HTML page, resolved
 * against its base URL, and the URL normalisation the crawl uses to tell pages apart.
 */
public final class Links {
    /**
     * Links the crawl follows from one page at most: a hostile page cannot make it hold millions.
     * Extractors stop at one more, so that the crawl can tell the user a page had more.
     */
    public static final int MAX_LINKS_PER_PAGE = 10_000;

    private Links() {}

    /**
     * The default {@link Crawler.LinkExtractor}: every {@code a[href]} of an HTML page as a
     * {@link Crawler.Kind#PAGE} link, resolved against the page's base URL ({@code <base href>}
     * or the final URL after redirects), fragment dropped, http(s) only, each URL once, the
     * first {@link #MAX_LINKS_PER_PAGE} and one only. Non-HTML pages have no links.
     */
    public static List<Link> pageLinks(Page page) {
        if (page.document() == null) {
            return List.of();
        }
        var links = new ArrayList<Link>();
        var seen = new java.util.HashSet<URI>();
        for (var anchor : page.document().select("a[href]")) {
            if (links.size() > MAX_LINKS_PER_PAGE) {
                break;
            }
            normalize(anchor.attr("abs:href"))
                    .filter(seen::add)
                    .ifPresent(uri -> links.add(new Link(uri, Crawler.Kind.PAGE)));
        }
        return links;
    }

    /**
     * An absolute http(s) URL as the crawl keys it, or empty if the text is not one
     * ({@code mailto:}, {@code javascript:}, garbage). Lower-cases scheme and host, drops the
     * default port, the fragment and an empty path's difference from {@code /}, and
     * percent-encodes characters browsers tolerate but {@link URI} does not (spaces).
     */
    public static Optional<URI> normalize(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            return normalize(new URI(tolerant(text.strip())));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    /** {@link #normalize(String)} for a parsed URI. */
    public static Optional<URI> normalize(URI uri) {
        var scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getRawAuthority() == null || uri.getHost() == null) {
            return Optional.empty();
        }
        int port = uri.getPort();
        if (port == 80 && scheme.equals("http") || port == 443 && scheme.equals("https")) {
            port = -1;
        }
        var path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        var query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        var userInfo = uri.getRawUserInfo() == null ? "" : uri.getRawUserInfo() + "@";
        var host = uri.getHost().toLowerCase(Locale.ROOT);
        try {
            return Optional.of(new URI(scheme + "://" + userInfo + host + (port < 0 ? "" : ":" + port) + path + query));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    /** Percent-encodes what real pages put in hrefs and java.net.URI rejects. */
    private static String tolerant(String text) {
        var out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case ' ' -> out.append("%20");
                case '"' -> out.append("%22");
                case '<' -> out.append("%3C");
                case '>' -> out.append("%3E");
                case '\\' -> out.append("%5C");
                case '^' -> out.append("%5E");
                case '`' -> out.append("%60");
                case '{' -> out.append("%7B");
                case '|' -> out.append("%7C");
                case '}' -> out.append("%7D");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
