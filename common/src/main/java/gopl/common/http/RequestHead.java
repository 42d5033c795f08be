package gopl.common.http;

import gopl.common.Proxies;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The bytes of a request head without a body (GET, HEAD), for the route it travels. */
public final class RequestHead {
    private RequestHead() {}

    /**
     * {@code METHOD target HTTP/1.1}, then {@code Host} (unless {@code fields} has one), the fields
     * in their order, and the proxy's {@code Proxy-Authorization} when the request goes to it in
     * absolute form. A field whose name is not a token, or whose value holds CR, LF or NUL, is left out.
     */
    public static byte[] of(String method, URI uri, Connections.Route route, Map<String, String> fields) {
        var path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        var target = (route.absoluteForm() ? uri.getScheme() + "://" + authority(uri) : "") + path
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        var head = new StringBuilder(256).append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        if (fields.keySet().stream().noneMatch("Host"::equalsIgnoreCase)) {
            head.append("Host: ").append(authority(uri)).append("\r\n");
        }
        fields.forEach((name, value) -> {
            if (valid(name, value)) {
                head.append(name).append(": ").append(value).append("\r\n");
            }
        });
        if (route.absoluteForm()) {
            var credentials = Proxies.authorization(route.proxy());
            if (credentials != null) {
                head.append("Proxy-Authorization: ").append(credentials).append("\r\n");
            }
        }
        return head.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static boolean valid(String name, String value) {
        return !name.isEmpty() && name.chars().allMatch(c -> c > 32 && c < 127 && c != ':')
                && value.chars().noneMatch(c -> c == '\r' || c == '\n' || c == 0);
    }

    /** The URL's host, and its port unless it is the scheme's own. */
    private static String authority(URI uri) {
        int port = uri.getPort();
        boolean standard = port < 0 || port == (uri.getScheme().equals("https") ? 443 : 80);
        return uri.getHost() + (standard ? "" : ":" + port);
    }
}
