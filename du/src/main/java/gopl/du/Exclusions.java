package gopl.du;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code --exclude=PATTERN} and {@code -X FILE}, as gnulib's exclude module matches them for GNU
 * du: a pattern is tried on the whole path as du prints it and on every part of it after a slash,
 * so {@code node_modules} excludes {@code src/node_modules}; wildcards follow fnmatch with no
 * flags ({@code *} also matches {@code /} and leading dots; {@code [a-z]}, {@code [!x]},
 * {@code [[:digit:]]}, backslash escapes). Matching is by characters where the locale is UTF-8
 * and both sides are valid UTF-8, else by bytes, as glibc's fnmatch does. It costs time linear in
 * the path times the pattern, whatever the pattern.
 */
final class Exclusions {
    /** How much of an exclude file is read (GNU reads any size): a file of patterns, not a disk. */
    static final int MAX_FILE = 16 << 20;

    private final Set<String> literals = new HashSet<>(); // as Latin-1 strings: one char per byte
    private final List<byte[]> patterns = new ArrayList<>();
    private final boolean utf8Locale;

    Exclusions(boolean utf8Locale) {
        this.utf8Locale = utf8Locale;
    }

    boolean isEmpty() {
        return literals.isEmpty() && patterns.isEmpty();
    }

    /** Adds a pattern: one with wildcards is matched as such, one without is compared (backslashes removed). */
    void add(byte[] pattern) {
        if (hasWildcards(pattern)) {
            patterns.add(pattern);
        } else {
            var unescaped = new StringBuilder();
            for (int i = 0; i < pattern.length; i++) {
                if (pattern[i] == '\\' && i + 1 < pattern.length) {
                    i++;
                }
                unescaped.append((char) (pattern[i] & 0xff));
            }
            literals.add(unescaped.toString());
        }
    }

    /** Adds each line of an exclude file, without trailing blanks; blank lines are skipped. */
    void addLines(InputStream in) throws IOException {
        var bytes = in.readNBytes(MAX_FILE + 1);
        if (bytes.length > MAX_FILE) {
            throw new IOException("File too large");
        }
        int start = 0;
        for (int i = 0; i <= bytes.length; i++) {
            if (i == bytes.length || bytes[i] == '\n') {
                int end = i;
                while (end > start && isSpace(bytes[end - 1])) {
                    end--;
                }
                int nul = start;
                while (nul < end && bytes[nul] != 0) {
                    nul++; // the C code sees a pattern up to its first NUL
                }
                if (end > start) {
                    add(java.util.Arrays.copyOfRange(bytes, start, nul));
                }
                start = i + 1;
            }
        }
    }

    /** Whether a path, as du prints it, is excluded. */
    boolean excludes(byte[] path, int length) {
        if (!literals.isEmpty()) {
            var text = new String(path, 0, length, StandardCharsets.ISO_8859_1);
            for (int from = 0; from >= 0; ) {
                if (literals.contains(text.substring(from))) {
                    return true;
                }
                int slash = text.indexOf('/', from);
                from = slash < 0 ? -1 : slash + 1;
            }
        }
        for (var pattern : patterns) {
            if (matchesAnySuffix(pattern, path, length)) {
                return true;
            }
        }
        return false;
    }

    private boolean matchesAnySuffix(byte[] pattern, byte[] path, int length) {
        int[] p = utf8Locale ? utf8(pattern, pattern.length) : null;
        int[] f = utf8Locale ? utf8(path, length) : null;
        if (p == null || f == null) { // not UTF-8 (or not a UTF-8 locale): glibc matches bytes
            p = bytes(pattern, pattern.length);
            f = bytes(path, length);
        }
        if (Fnmatch.matches(p, f, 0)) {
            return true;
        }
        for (int i = 0; i < f.length; i++) {
            if (f[i] == '/' && (i + 1 == f.length || f[i + 1] != '/') && Fnmatch.matches(p, f, i + 1)) {
                return true;
            }
        }
        return false;
    }

    /** The code points of UTF-8 bytes, or null if they are not UTF-8. */
    private static int[] utf8(byte[] bytes, int length) {
        if (isAscii(bytes, length)) {
            return bytes(bytes, length);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes, 0, length)).codePoints().toArray();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static int[] bytes(byte[] bytes, int length) {
        var units = new int[length];
        for (int i = 0; i < length; i++) {
            units[i] = bytes[i] & 0xff;
        }
        return units;
    }

    private static boolean isAscii(byte[] bytes, int length) {
        for (int i = 0; i < length; i++) {
            if (bytes[i] < 0) {
                return false;
            }
        }
        return true;
    }

    /** gnulib's fnmatch_pattern_has_wildcards, for fnmatch without flags. */
    private static boolean hasWildcards(byte[] pattern) {
        for (int i = 0; i < pattern.length; i++) {
            switch (pattern[i]) {
                case '\\' -> i++;
                case '?', '*', '[' -> {
                    return true;
                }
                default -> { }
            }
        }
        return false;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b >= '\t' && b <= '\r';
    }
}
