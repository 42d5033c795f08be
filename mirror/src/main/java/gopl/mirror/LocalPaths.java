package gopl.mirror;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where each URL is saved, in {@code wget --mirror}'s layout {@code DIR/HOST[:PORT]/PATH}, and the
 * relative links between saved files. Whatever the URL, the file lies inside DIR: names are
 * percent-decoded and then re-escaped, so {@code %2e%2e}, {@code %2f}, backslashes and control
 * characters become plain characters of a single file name, never a step up or a separator.
 */
final class LocalPaths {
    /** Longest file name we write, in UTF-8 bytes: most file systems allow 255, and -E may add ".html". */
    static final int MAX_NAME_BYTES = 200;
    private static final Pattern HTML_NAME = Pattern.compile("(?i).*\\.html?");
    private static final Pattern EXTENSION = Pattern.compile("\\.[A-Za-z0-9]{1,10}$");
    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:");
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._~!$&'()*+,;=:@-]+");
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private final Path root;
    private final boolean adjustExtension;

    /**
     * @param adjustExtension wget's {@code -E}: an HTML page or a stylesheet whose name does not
     *     say so gets {@code .html} or {@code .css} appended, so that it opens from disk
     */
    LocalPaths(Path root, boolean adjustExtension) {
        this.root = root.toAbsolutePath().normalize();
        this.adjustExtension = adjustExtension;
    }

    Path root() {
        return root;
    }

    /**
     * The file for an http(s) URL served with the given content type (null when unknown):
     * a path ending in {@code /} is {@code index.html}, a query is appended after {@code @} as
     * wget's {@code --restrict-file-names=windows} does, so that the name needs no quoting.
     */
    Path of(URI url, String contentType) {
        var path = root.resolve(safeName(hostDir(url)));
        var rawPath = url.normalize().getRawPath();
        var segments = (rawPath == null || rawPath.isEmpty() ? "/" : rawPath).split("/", -1);
        for (int i = 0; i < segments.length - 1; i++) {
            if (!segments[i].isEmpty()) {
                path = path.resolve(shorten(name(segments[i]), ""));
            }
        }
        var last = segments[segments.length - 1];
        var file = last.isEmpty() ? "index.html" : name(last);
        if (url.getRawQuery() != null) {
            file += "@" + escapeRaw(url.getRawQuery());
        }
        path = path.resolve(shorten(file, adjustExtension ? extensionFor(file, contentType) : ""));
        if (!path.normalize().startsWith(root) || path.getNameCount() <= root.getNameCount() + 1) {
            throw new IllegalArgumentException("no safe local name for " + url); // unreachable by design
        }
        return path;
    }

    /** {@code host} or {@code host:port} when the port is not the scheme's default, as wget names it. */
    static String hostDir(URI url) {
        var host = url.getHost() != null ? url.getHost() : String.valueOf(url.getRawAuthority());
        host = host.toLowerCase(Locale.ROOT);
        int port = url.getPort();
        boolean defaultPort = port == -1 || port == ("https".equalsIgnoreCase(url.getScheme()) ? 443 : 80);
        return defaultPort ? host : host + ":" + port;
    }

    private static String extensionFor(String file, String contentType) {
        var type = contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if ((type.equals("text/html") || type.equals("application/xhtml+xml")) && !HTML_NAME.matcher(file).matches()) {
            return ".html";
        }
        if (type.equals("text/css") && !file.toLowerCase(Locale.ROOT).endsWith(".css")) {
            return ".css";
        }
        return "";
    }

    /**
     * One path segment as a file name: percent-decoded (so {@code caf%C3%A9} is {@code café}), then
     * {@code %}, {@code /}, {@code \} and control characters escaped as {@code %XX}, which keeps
     * distinct paths on distinct names. ({@code @} stays, for {@code logo@2x.png}: a name
     * {@code x@y} is shared by the URLs {@code x@y} and {@code x?y}, as in wget's windows mode.)
     */
    static String name(String rawSegment) {
        if (PLAIN.matcher(rawSegment).matches()) {
            return safeName(rawSegment); // nearly every name: nothing to decode or escape
        }
        var bytes = percentDecode(rawSegment);
        var out = new StringBuilder();
        try {
            var text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
            text.codePoints().forEach(c -> {
                if (c < 0x80 && unsafe((char) c) || Character.isISOControl(c)) {
                    escape(out, new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8));
                } else {
                    out.appendCodePoint(c);
                }
            });
        } catch (CharacterCodingException notUtf8) {
            for (byte b : bytes) {
                if (b < 0 || unsafe((char) b)) {
                    escape(out, new byte[] {b});
                } else {
                    out.append((char) b);
                }
            }
        }
        return safeName(out.toString());
    }

    private static boolean unsafe(char c) {
        return c < 0x20 || c == 0x7f || c == '/' || c == '\\' || c == '%';
    }

    /** The query as the server received it, with only what no file name may hold escaped. */
    private static String escapeRaw(String rawQuery) {
        var out = new StringBuilder();
        rawQuery.codePoints().forEach(c -> {
            if (c == '/' || c == '\\' || Character.isISOControl(c)) {
                escape(out, new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    /** "." and ".." are the only names left that could climb; spell their dots out. */
    private static String safeName(String name) {
        return name.equals(".") || name.equals("..") ? name.replace(".", "%2E") : name;
    }

    private static void escape(StringBuilder out, byte[] bytes) {
        for (byte b : bytes) {
            out.append('%').append(HEX.toHexDigits(b));
        }
    }

    private static byte[] percentDecode(String raw) {
        var out = new ByteArrayOutputStream();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length() && isHex(raw.charAt(i + 1)) && isHex(raw.charAt(i + 2))) {
                out.write(HexFormat.fromHexDigits(raw, i + 1, i + 3));
                i += 2;
            } else if (c < 0x80) {
                out.write(c);
            } else {
                int end = Character.isHighSurrogate(c) && i + 1 < raw.length() ? i + 2 : i + 1;
                out.writeBytes(raw.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end - 1;
            }
        }
        return out.toByteArray();
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0 && c < 0x80;
    }

    /**
     * Appends the extension, and if the name is too long for a file system, cuts it and adds a
     * hash of the whole name, so that long names stay distinct; a short extension is kept.
     */
    static String shorten(String name, String addedExtension) {
        if (utf8Length(name) + addedExtension.length() <= MAX_NAME_BYTES) {
            return name + addedExtension;
        }
        var matcher = EXTENSION.matcher(name);
        var extension = (matcher.find() ? name.substring(matcher.start()) : "") + addedExtension;
        var hash = "-" + sha256(name).substring(0, 16);
        int budget = MAX_NAME_BYTES - hash.length() - extension.length();
        var prefix = new StringBuilder();
        for (int i = 0, used = 0; i < name.length(); ) {
            int c = name.codePointAt(i);
            int size = utf8Length(new String(Character.toChars(c)));
            if (used + size > budget) {
                break;
            }
            prefix.appendCodePoint(c);
            used += size;
            i += Character.charCount(c);
        }
        return prefix + hash + extension;
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static String sha256(String s) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }

    /**
     * The link from the file {@code from} to the file {@code to}, as an href: a relative path
     * with each name percent-encoded, since a browser decodes it back to the file name.
     */
    static String href(Path from, Path to) {
        // On the paths' text, not with Path.relativize, whose Path per name was a tenth of what a
        // mirror allocated: both paths are normalised and under DIR, and no name holds a '/'.
        var parent = from.getParent().toString();
        var dir = parent.endsWith("/") ? parent : parent + "/";
        var file = to.toString();
        int shared = 0; // just after the last '/' the two have in common
        for (int i = 0, n = Math.min(dir.length(), file.length()); i < n && dir.charAt(i) == file.charAt(i); i++) {
            if (dir.charAt(i) == '/') {
                shared = i + 1;
            }
        }
        var out = new StringBuilder();
        for (int i = shared; i < dir.length(); i++) {
            if (dir.charAt(i) == '/') {
                out.append("../");
            }
        }
        for (byte b : file.substring(shared).getBytes(StandardCharsets.UTF_8)) {
            if (b > 0 && (Character.isLetterOrDigit(b) || "-._~!$&+,;=@/".indexOf(b) >= 0)) {
                out.append((char) b);
            } else {
                out.append('%').append(HEX.toHexDigits(b));
            }
        }
        return out.toString();
    }

    /**
     * The inverse of {@link #href}: the file a relative link in the saved file {@code from}
     * points to, or null if the link is absolute or leaves DIR. The fragment is ignored.
     */
    Path target(Path from, String href) {
        var path = href.split("[#?]", 2)[0];
        if (path.isEmpty() || path.startsWith("/") || SCHEME.matcher(path).lookingAt()) {
            return null;
        }
        var target = from.getParent();
        for (var segment : path.split("/")) {
            target = target.resolve(new String(percentDecode(segment), StandardCharsets.UTF_8));
        }
        target = target.normalize();
        return target.startsWith(root) ? target : null;
    }

    /** What went wrong with a file, in words: NIO's messages are often just the path. */
    static String describe(Exception e, Path file) {
        return switch (e) {
            case FileAlreadyExistsException x -> x.getFile() + " is a file, where a directory must go";
            case DirectoryNotEmptyException x -> "a directory is in the way";
            case AccessDeniedException x -> x.getFile() + ": permission denied";
            case FileSystemException x when x.getReason() != null ->
                    (String.valueOf(file).equals(x.getFile()) ? "" : x.getFile() + ": ") + x.getReason();
            default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        };
    }
}
