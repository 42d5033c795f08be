package gopl.netcat;

import gopl.common.GoDuration;
import java.math.BigDecimal;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** nc's plain seconds ({@code 5}, {@code 0.5}, {@code -1}) or a Go duration ({@code 500ms}). */
final class Seconds implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String text) {
        if (text.strip().matches("-?(\\d+(\\.\\d*)?|\\.\\d+)")) {
            var nanos = new BigDecimal(text.strip()).movePointRight(9);
            return Duration.ofNanos(nanos.longValue());
        }
        try {
            return GoDuration.parse(text);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("'" + text + "' is not a duration (seconds such as 5 or 0.5,"
                    + " or 500ms, 1m30s)");
        }
    }
}
