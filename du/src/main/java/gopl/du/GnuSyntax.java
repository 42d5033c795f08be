package gopl.du;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How GNU du reads the values of its options, and how it words what is wrong with them: gnulib's
 * {@code xstrtoumax}/{@code xstrtoimax} (base 0, so {@code 010} is octal and {@code 0x10} hex;
 * suffixes {@code K M G T P E Z Y}, powers of 1024, or of 1000 when followed by {@code B}),
 * {@code argmatch} (unambiguous abbreviations), and {@code quote} (‘x’ in a UTF-8 locale, 'x'
 * otherwise).
 */
final class GnuSyntax {
    /** What {@code xstrtol} reports, as gnulib's {@code strtol_error}. */
    enum Error { INVALID, INVALID_SUFFIX, OVERFLOW }

    /** A number read, or why it could not be; {@code value} is unsigned when read by {@link #unsigned}. */
    record Number(long value, Error error) {
        boolean ok() {
            return error == null;
        }
    }

    /** The suffixes du allows for -B (gnulib's humblock) and for -t. */
    static final String BLOCK_SUFFIXES = "eEgGkKmMpPtTyYzZ0", THRESHOLD_SUFFIXES = "kKmMGTPEZY0";

    private GnuSyntax() {}

    /** {@code xstrtoumax(text, NULL, 0, &value, suffixes)}: a non-negative number, as unsigned 64 bits. */
    static Number unsigned(String text, String suffixes) {
        int i = 0;
        while (i < text.length() && isSpace(text.charAt(i))) {
            i++;
        }
        if (i < text.length() && text.charAt(i) == '-') {
            return new Number(0, Error.INVALID);
        }
        return read(text, suffixes, false);
    }

    /** {@code xstrtoimax(text, NULL, 0, &value, suffixes)}: a signed number. */
    static Number signed(String text, String suffixes) {
        return read(text, suffixes, true);
    }

    private static Number read(String text, String suffixes, boolean signed) {
        var digits = new Strtol(text, signed);
        long value = digits.value;
        Error error = digits.overflow ? Error.OVERFLOW : null;
        int at = digits.end;
        if (!digits.any) {
            if (at < text.length() && suffixes.indexOf(text.charAt(at)) >= 0) {
                value = 1; // a suffix alone, as in -BM, means one of that unit
            } else {
                return new Number(0, Error.INVALID);
            }
        }
        if (at == text.length()) {
            return new Number(value, error);
        }
        char suffix = text.charAt(at);
        if (suffixes.indexOf(suffix) < 0) {
            return new Number(value, Error.INVALID_SUFFIX);
        }
        int base = 1024, length = 1;
        if ("EGgkKMmPTtYZ".indexOf(suffix) >= 0 && suffixes.indexOf('0') >= 0 && at + 1 < text.length()) {
            char second = text.charAt(at + 1);
            if (second == 'i' && at + 2 < text.length() && text.charAt(at + 2) == 'B') {
                length = 3;
            } else if (second == 'B' || second == 'D') {
                base = 1000;
                length = 2;
            }
        }
        int power = switch (suffix) {
            case 'k', 'K' -> 1;
            case 'M', 'm' -> 2;
            case 'G', 'g' -> 3;
            case 'T', 't' -> 4;
            case 'P' -> 5;
            case 'E' -> 6;
            case 'Z' -> 7;
            case 'Y' -> 8;
            default -> -1; // allowed by the list but not a unit (lowercase e, y, z; '0'), as in gnulib
        };
        if (power < 0) {
            return new Number(value, Error.INVALID_SUFFIX);
        }
        var scaled = scale(value, base, power, signed);
        if (at + length != text.length()) {
            return new Number(scaled.value(), Error.INVALID_SUFFIX);
        }
        return new Number(scaled.value(), scaled.error() != null ? scaled.error() : error);
    }

    /** value × base^power, saturating with OVERFLOW as gnulib's bkm_scale does. */
    private static Number scale(long value, int base, int power, boolean signed) {
        for (int i = 0; i < power; i++) {
            if (signed) {
                long product = value * base;
                if (value != 0 && product / base != value) {
                    return new Number(value < 0 ? Long.MIN_VALUE : Long.MAX_VALUE, Error.OVERFLOW);
                }
                value = product;
            } else {
                if (Long.compareUnsigned(value, Long.divideUnsigned(-1L, base)) > 0) {
                    return new Number(-1L, Error.OVERFLOW);
                }
                value *= base;
            }
        }
        return new Number(value, null);
    }

    /** C's strtoimax/strtoumax with base 0: leading blanks, a sign, 0x for hex, 0 for octal. */
    private static final class Strtol {
        long value;
        boolean any, overflow;
        int end;

        Strtol(String s, boolean signed) {
            int i = 0;
            while (i < s.length() && isSpace(s.charAt(i))) {
                i++;
            }
            boolean negative = false;
            if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                negative = s.charAt(i++) == '-';
            }
            int radix = 10;
            if (i + 1 < s.length() && s.charAt(i) == '0' && (s.charAt(i + 1) | 0x20) == 'x'
                    && i + 2 < s.length() && Character.digit(s.charAt(i + 2), 16) >= 0) {
                radix = 16;
                i += 2;
            } else if (i < s.length() && s.charAt(i) == '0') {
                radix = 8;
            }
            var magnitude = BigInteger.ZERO;
            int start = i;
            while (i < s.length() && Character.digit(s.charAt(i), radix) >= 0 && s.charAt(i) < 0x80) {
                magnitude = magnitude.multiply(BigInteger.valueOf(radix))
                        .add(BigInteger.valueOf(Character.digit(s.charAt(i), radix)));
                i++;
            }
            any = i > start;
            end = any ? i : 0;
            var v = negative ? magnitude.negate() : magnitude;
            var max = signed ? BigInteger.valueOf(Long.MAX_VALUE) : BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
            var min = signed ? BigInteger.valueOf(Long.MIN_VALUE) : max.negate();
            if (v.compareTo(max) > 0 || v.compareTo(min) < 0) {
                overflow = true;
                value = signed ? (negative ? Long.MIN_VALUE : Long.MAX_VALUE) : -1L;
            } else {
                value = v.longValue(); // strtoumax negates in unsigned arithmetic
            }
        }
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c >= '\t' && c <= '\r';
    }

    /**
     * gnulib's argmatch: the value of {@code text}, an argument or an unambiguous abbreviation of
     * one (abbreviations of several arguments with the same value are fine), or null.
     */
    static <T> T argmatch(String text, Map<String, T> arguments) {
        if (arguments.containsKey(text)) {
            return arguments.get(text);
        }
        T found = null;
        boolean ambiguous = false;
        for (var argument : arguments.entrySet()) {
            if (argument.getKey().startsWith(text)) {
                ambiguous |= found != null && !found.equals(argument.getValue());
                found = argument.getValue();
            }
        }
        return ambiguous ? null : found;
    }

    /**
     * GNU's message for a bad argument of an argmatch option, on one line:
     * {@code invalid argument ‘mtime’ for ‘--time’; valid arguments are ‘atime’, ‘access’, ...}.
     */
    static <T> String badArgument(String text, String option, Map<String, T> arguments) {
        boolean ambiguous = !text.isEmpty() && arguments.keySet().stream().filter(a -> a.startsWith(text)).count() > 1
                || text.isEmpty() && arguments.size() > 1;
        var valid = new ArrayList<String>();
        arguments.keySet().forEach(a -> valid.add(quote(a)));
        return (ambiguous ? "ambiguous" : "invalid") + " argument " + quote(text) + " for " + quote(option)
                + "; valid arguments are " + String.join(", ", valid);
    }

    /** An ordered map from argmatch arguments to values, read from pairs. */
    @SafeVarargs
    static <T> Map<String, T> arguments(Map.Entry<String, T>... pairs) {
        var map = new LinkedHashMap<String, T>();
        for (var pair : pairs) {
            map.put(pair.getKey(), pair.getValue());
        }
        return map;
    }

    /** gnulib's quote(): ‘text’ where the locale is UTF-8 (as GNU du prints there), else 'text'. */
    static String quote(String text) {
        return UTF8_LOCALE ? "\u2018" + text + "\u2019" : "'" + text + "'";
    }

    /** The messages of gnulib's xstrtol_fatal: {@code invalid -t argument 'x'}, {@code -B argument '9...' too large}. */
    static String badNumber(Error error, String option, String text) {
        return switch (error) {
            case INVALID -> "invalid " + option + " argument '" + text + "'";
            case INVALID_SUFFIX -> "invalid suffix in " + option + " argument '" + text + "'";
            case OVERFLOW -> option + " argument '" + text + "' too large";
        };
    }

    private static final boolean UTF8_LOCALE = isUtf8(System.getenv());

    /** Whether the C library would run in a UTF-8 locale: LC_ALL, else LC_CTYPE, else LANG. */
    static boolean isUtf8(Map<String, String> env) {
        for (var name : List.of("LC_ALL", "LC_CTYPE", "LANG")) {
            var value = env.get(name);
            if (value != null && !value.isEmpty()) {
                var lower = value.toLowerCase(java.util.Locale.ROOT);
                return lower.contains("utf-8") || lower.contains("utf8");
            }
        }
        return false;
    }
}
