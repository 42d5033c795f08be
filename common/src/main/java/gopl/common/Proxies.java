package gopl.common;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The proxies the environment names, as curl reads them: {@code http_proxy} for http URLs (only
 * in lower case, as curl: {@code HTTP_PROXY} may be set by a CGI request), {@code https_proxy}
 * or {@code HTTPS_PROXY} for https, else {@code all_proxy} or {@code ALL_PROXY}; none for a host
 * that {@code no_proxy} or {@code NO_PROXY} lists: {@code *} for all, a name for itself and its
 * subdomains (with or without a leading dot), an IP address, or a CIDR block ({@code 10.0.0.0/8}).
 * A proxy is an {@code http://[user:password@]host[:port]} URL (the scheme may be left out; the
 * port is 1080 when left out, as in curl); user and password go in {@code Proxy-Authorization}.
 */
public final class Proxies {
    /** Every URL direct. */
    public static final Proxies NONE = new Proxies(null, null, null, List.of());

    private final URI http;
    private final URI https;
    private final URI all;
    private final List<String> noProxy;

    private Proxies(URI http, URI https, URI all, List<String> noProxy) {
        this.http = http;
        this.https = https;
        this.all = all;
        this.noProxy = noProxy;
    }

    /** From this process's environment. */
    public static Proxies fromEnvironment() {
        return of(System.getenv());
    }

    /**
     * From these variables.
     *
     * @throws IllegalArgumentException naming the variable, if a proxy is not an http URL
     */
    public static Proxies of(Map<String, String> env) {
        var http = proxy(env, "http_proxy");
        var https = proxy(env, "https_proxy", "HTTPS_PROXY");
        var all = proxy(env, "all_proxy", "ALL_PROXY");
        var noProxy = first(env, "no_proxy", "NO_PROXY");
        var entries = new ArrayList<String>();
        if (noProxy != null) {
            for (var entry : noProxy.split("[,\\s]+")) {
                var name = entry.strip().toLowerCase(Locale.ROOT);
                name = name.startsWith(".") ? name.substring(1) : name;
                if (!name.isEmpty()) {
                    entries.add(name.startsWith("[") && name.endsWith("]") ? name.substring(1, name.length() - 1) : name);
                }
            }
        }
        return new Proxies(http, https, all, List.copyOf(entries));
    }

    /** The proxy to reach this http(s) URL through, or null to connect directly. */
    public URI proxyFor(URI target) {
        var scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
        var proxy = scheme.equals("https") ? https : scheme.equals("http") ? http : null;
        proxy = proxy != null ? proxy : all;
        return proxy == null || bypassed(target.getHost()) ? null : proxy;
    }

    /** {@code Basic ...} for a proxy URL with a user, or null. */
    public static String authorization(URI proxy) {
        var userInfo = proxy.getRawUserInfo();
        if (userInfo == null) {
            return null;
        }
        int colon = userInfo.indexOf(':');
        var user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
        var password = colon < 0 ? "" : decode(userInfo.substring(colon + 1));
        return basic(user, password);
    }

    /** {@code Basic base64(user:password)}, as RFC 7617 says (UTF-8). */
    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private boolean bypassed(String host) {
        if (host == null) {
            return true;
        }
        var name = host.toLowerCase(Locale.ROOT);
        name = name.startsWith("[") ? name.substring(1, name.length() - 1) : name;
        for (var entry : noProxy) {
            if (entry.equals("*") || name.equals(entry) || name.endsWith("." + entry) || inBlock(entry, name)) {
                return true;
            }
        }
        return false;
    }

    /** Whether an IP address lies in a CIDR block ({@code 10.0.0.0/8}, {@code fd00::/8}); never a DNS lookup. */
    private static boolean inBlock(String block, String host) {
        int slash = block.indexOf('/');
        if (slash < 0 || !isIpLiteral(host) || !isIpLiteral(block.substring(0, slash))) {
            return false;
        }
        try {
            var network = InetAddress.getByName(block.substring(0, slash)).getAddress();
            var address = InetAddress.getByName(host).getAddress();
            int bits = Integer.parseInt(block.substring(slash + 1));
            if (network.length != address.length || bits < 0 || bits > 8 * address.length) {
                return false;
            }
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >> (i % 8);
                if ((network[i / 8] & mask) != (address[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    private static boolean isIpLiteral(String text) {
        return !text.isEmpty() && (text.indexOf(':') >= 0 || text.chars().allMatch(c -> c == '.' || c >= '0' && c <= '9'));
    }

    private static URI proxy(Map<String, String> env, String... names) {
        var value = first(env, names);
        if (value == null || value.isBlank()) {
            return null;
        }
        var text = value.strip();
        var name = names[0];
        try {
            var uri = new URI(text.contains("://") ? text : "http://" + text);
            if (!"http".equalsIgnoreCase(uri.getScheme())) {
                throw new IllegalArgumentException(name + "=" + text + ": only http:// proxies are supported");
            }
            if (uri.getHost() == null) {
                throw new IllegalArgumentException(name + "=" + text + ": not a proxy URL");
            }
            var userInfo = uri.getRawUserInfo() == null ? "" : uri.getRawUserInfo() + "@";
            return new URI("http://" + userInfo + uri.getHost() + ":" + (uri.getPort() < 0 ? 1080 : uri.getPort()));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(name + "=" + text + ": not a proxy URL");
        }
    }

    private static String first(Map<String, String> env, String... names) {
        for (var name : names) {
            var value = env.get(name);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
