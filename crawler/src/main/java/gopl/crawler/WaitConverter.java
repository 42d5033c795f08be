package gopl.crawler;

import gopl.common.GoDuration;
import gopl.common.ParsingConverter;
import java.math.BigDecimal;
import java.time.Duration;

/**
 * A wait as wget's {@code --wait} takes it, seconds by default ({@code 2}, {@code 0.5}) or with
 * wget's suffixes {@code m}, {@code h}, {@code d}, and as Go writes it too ({@code 500ms}, {@code 1m30s}).
 */
public final class WaitConverter extends ParsingConverter<Duration> {
    @Override
    protected Duration read(String text) {
        var trimmed = text.strip();
        try {
            if (trimmed.matches("\\d+(\\.\\d*)?|\\.\\d+")) {
                return Duration.ofNanos(new BigDecimal(trimmed).movePointRight(9).longValueExact());
            }
            if (trimmed.matches("(\\d+(\\.\\d*)?|\\.\\d+)d")) {
                return Duration.ofNanos(new BigDecimal(trimmed.substring(0, trimmed.length() - 1)).multiply(BigDecimal.valueOf(86_400))
                        .movePointRight(9).longValueExact());
            }
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is too long a wait");
        }
        try {
            return GoDuration.parse(trimmed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not a wait (seconds, or 500ms, 2s, 1m, 1h, 1d)");
        }
    }
}
