package gopl.common;

import java.nio.charset.Charset;
import java.util.Locale;
import java.util.regex.Pattern;

/** The wording and the courtesies that the HTTP clients (crawler, mirror, fetch) share. */
public final class Http {
    // A scheme as RFC 3986 spells it, then "://": "localhost:8000/x" has none, nor "a.org/?u=http://b".
    private static final Pattern SCHEME = Pattern.compile("(?i)^[a-z][a-z0-9+.-]*://.*");

    private Http() {}

    /**
     * The URL a user meant: {@code http://} is assumed when there is no scheme, as wget and curl
     * assume it ({@code example.org/docs}, {@code localhost:8000}); surrounding blanks are dropped.
     * Whether the scheme is one the tool can fetch is the caller's to check.
     */
    public static String withScheme(String text) {
        var url = text.strip();
        return SCHEME.matcher(url).matches() ? url : "http://" + url;
    }

    /**
     * The charset a Content-Type value names ({@code text/html; charset="ISO-8859-1"}, any case,
     * quoted or not), or null if it names none or one this JDK does not know.
     */
    public static Charset charset(String contentType) {
        var type = contentType.toLowerCase(Locale.ROOT);
        int at = type.indexOf("charset=");
        if (at < 0) {
            return null;
        }
        try {
            return Charset.forName(type.substring(at + 8).split(";", 2)[0].strip().replace("\"", "").replace("'", ""));
        } catch (IllegalArgumentException unknown) {
            return null;
        }
    }

    /** Whether the status is a redirect a client follows to its {@code Location}: 301, 302, 303, 307 or 308. */
    public static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /** {@code 404 Not Found}: the status and its reason phrase (RFC 9110), or {@code HTTP status 599}. */
    public static String statusText(int status) {
        var reason = switch (status) {
            case 100 -> "Continue";
            case 200 -> "OK";
            case 201 -> "Created";
            case 202 -> "Accepted";
            case 203 -> "Non-Authoritative Information";
            case 204 -> "No Content";
            case 205 -> "Reset Content";
            case 206 -> "Partial Content";
            case 300 -> "Multiple Choices";
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 303 -> "See Other";
            case 304 -> "Not Modified";
            case 307 -> "Temporary Redirect";
            case 308 -> "Permanent Redirect";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 402 -> "Payment Required";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 407 -> "Proxy Authentication Required";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 411 -> "Length Required";
            case 412 -> "Precondition Failed";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 416 -> "Range Not Satisfiable";
            case 417 -> "Expectation Failed";
            case 421 -> "Misdirected Request";
            case 422 -> "Unprocessable Content";
            case 426 -> "Upgrade Required";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 451 -> "Unavailable For Legal Reasons";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            case 505 -> "HTTP Version Not Supported";
            default -> "";
        };
        return reason.isEmpty() ? "HTTP status " + status : status + " " + reason;
    }
}
