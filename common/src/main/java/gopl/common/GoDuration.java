package gopl.common;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Durations written as Go writes them ({@code 500ms}, {@code 10s}, {@code 1m30s}, {@code 1.5h}),
 * the spelling the book's flags use. Use as {@code @Option(converter = GoDuration.class)}.
 */
public final class GoDuration extends ParsingConverter<Duration> {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");

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
        var matcher = PART.matcher(trimmed);
        var total = BigDecimal.ZERO;
        int end = 0;
        while (matcher.find() && matcher.start() == end) {
            total = total.add(new BigDecimal(matcher.group(1)).multiply(nanosPer(matcher.group(2))));
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

    private static BigDecimal nanosPer(String unit) {
        return BigDecimal.valueOf(switch (unit) {
            case "ns" -> 1L;
            case "us", "µs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            default -> 3_600_000_000_000L;
        });
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
