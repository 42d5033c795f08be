package gopl.common;

import java.util.regex.Pattern;

/**
 * A size in bytes as wget and curl take it: {@code 1234}, {@code 500k}, {@code 64M}, {@code 1G},
 * {@code 2TiB} (powers of 1024). Use as {@code @Option(converter = ByteSize.class)}.
 */
public final class ByteSize extends ParsingConverter<Long> {
    private static final Pattern SIZE = Pattern.compile("(?i)(\\d+)\\s*([kmgt]?)i?b?");

    @Override
    protected Long read(String text) {
        return parse(text);
    }

    /** Parses a size greater than 0; throws IllegalArgumentException with a message for the user. */
    public static long parse(String text) {
        var matcher = SIZE.matcher(text.strip());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size (examples: 500k, 64M, 1G)");
        }
        var unit = matcher.group(2).isEmpty() ? ' ' : Character.toLowerCase(matcher.group(2).charAt(0));
        int shift = 10 * " kmgt".indexOf(unit);
        try {
            long size = Math.multiplyExact(Long.parseLong(matcher.group(1)), 1L << shift);
            if (size > 0) {
                return size;
            }
        } catch (ArithmeticException | NumberFormatException e) {
            // Too large: reported below.
        }
        throw new IllegalArgumentException("'" + text + "' is not a size greater than 0");
    }
}
