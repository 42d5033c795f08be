package gopl.common;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Durations written as Go writes them ({@code 500ms}, {@code 10s}, {@code 1m30s}, {@code 1.5h}),
 * the spelling the book's flags use. Use as {@code @Option(converter = GoDuration.class)}.
 */
public final class GoDuration extends ParsingConverter<Duration> {
    @Override
    protected Duration read(String text) {
        return parse(text);
    }

    /** Parses a non-negative Go duration; a bare {@code 0} is allowed, other numbers need a unit. */
    public static Duration parse(String text) {
        var trimmed = text.strip();
        if (trimmed.equals("0")) {
            return Duration.ZERO;
        }
        long nanos = wholeNumbers(trimmed);
        return nanos >= 0 ? Duration.ofNanos(nanos) : Exact.parse(text, trimmed);
    }

    /**
     * The common spellings ({@code 500ms}, {@code 1m30s}: whole numbers, no overflow) in long
     * arithmetic, or -1 for {@link Exact} to read. Every tool converts its duration defaults on
     * every run, and BigDecimal's and the regex's first use cost a few ms of a start-up (issue 14).
     */
    private static long wholeNumbers(String text) {
        long total = 0;
        int i = 0;
        while (i < text.length()) {
            int digits = i;
            while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                i++;
            }
            int unit = i;
            while (i < text.length() && "nuµmsh".indexOf(text.charAt(i)) >= 0) {
                i++;
            }
            long per = i - unit > 2 ? 0 : nanosPer(text.substring(unit, i));
            if (unit == digits || unit - digits > 18 || per == 0) {
                return -1; // a fraction, a unit Go does not have, too many digits...: Exact says which
            }
            try {
                total = Math.addExact(total, Math.multiplyExact(Long.parseLong(text, digits, unit, 10), per));
            } catch (ArithmeticException e) {
                return -1;
            }
        }
        return text.isEmpty() ? -1 : total;
    }

    private static long nanosPer(String unit) {
        return switch (unit) {
            case "ns" -> 1L;
            case "us", "µs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> 0;
        };
    }

    /** Any duration Go reads, fractions included, in exact decimal arithmetic; and the errors. */
    private static final class Exact {
        private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");

        static Duration parse(String text, String trimmed) {
            var matcher = PART.matcher(trimmed);
            var total = BigDecimal.ZERO;
            int end = 0;
            while (matcher.find() && matcher.start() == end) {
                total = total.add(new BigDecimal(matcher.group(1)).multiply(BigDecimal.valueOf(nanosPer(matcher.group(2)))));
                end = matcher.end();
            }
            if (end == 0 || end != trimmed.length()) {
                throw new IllegalArgumentException("'" + text + "' is not a duration (examples: 500ms, 10s, 1m30s, 2h)");
            }
            try {
                return Duration.ofNanos(total.longValueExact());
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("'" + text + "' is too long a duration");
            }
        }
    }

    /** Formats as Go's {@code Duration.String} does for common values: {@code 1.5s}, {@code 250ms}, {@code 1m30s}. */
    public static String format(Duration d) {
        long nanos = d.toNanos();
        if (nanos == 0) {
            return "0s";
        }
        if (nanos < 1_000_000_000L) {
            var ms = BigDecimal.valueOf(nanos, 6).stripTrailingZeros();
            return ms.toPlainString() + "ms";
        }
        var out = new StringBuilder();
        if (d.toHours() > 0) {
            out.append(d.toHours()).append('h');
        }
        if (d.toHours() > 0 || d.toMinutesPart() > 0) {
            out.append(d.toMinutesPart()).append('m');
        }
        var seconds = BigDecimal.valueOf(d.toSecondsPart() * 1_000_000_000L + d.toNanosPart(), 9).stripTrailingZeros();
        return out.append(seconds.toPlainString()).append('s').toString();
    }
}
