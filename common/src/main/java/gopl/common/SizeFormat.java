package gopl.common;

import java.util.Locale;

/**
 * Sizes in bytes for people, in the two styles the tools use; each tool's README says which.
 *
 * <ul>
 *   <li>{@link #human(long)} and {@link #si(long)}: GNU's {@code du -h} and {@code du --si}, to the
 *       letter ({@code 1023}, {@code 1.0K}, {@code 9.8K}, {@code 10K}, {@code 1.0M}; {@code 1.1k}).
 *       For output that GNU tools also print (du's sizes).
 *   <li>{@link #iec(long)}: {@code 512 B}, {@code 4.1 MiB}: for progress lines and summaries,
 *       where the unit must not be mistaken for a block count (mirror, crawler).
 * </ul>
 */
public final class SizeFormat {
    private static final String LETTERS = "KMGTPE"; // a long holds at most 8 EiB

    private SizeFormat() {}

    /**
     * GNU {@code du -h}: powers of 1024, rounded up, one decimal below 10 ({@code 4.0K},
     * {@code 9.9M}, {@code 10M}, {@code 1.0G}), and plain bytes below 1024.
     */
    public static String human(long bytes) {
        return gnu(bytes, 1024, LETTERS);
    }

    /** GNU {@code du --si}: as {@link #human} in powers of 1000, kilo written {@code k} ({@code 1.1k}, {@code 10M}). */
    public static String si(long bytes) {
        return gnu(bytes, 1000, "kMGTPE");
    }

    /**
     * {@code 512 B}, {@code 1.0 KiB}, {@code 4.1 MiB}: powers of 1024 with IEC unit names, rounded
     * to the nearest tenth.
     */
    public static String iec(long bytes) {
        requireNonNegative(bytes);
        if (bytes < 1024) {
            return bytes + " B";
        }
        int exponent = 0;
        double value = bytes;
        // Move up while the value would print as 1024.0 or more in this unit.
        while (value >= 1023.95 && exponent < LETTERS.length()) {
            value /= 1024;
            exponent++;
        }
        return String.format(Locale.ROOT, "%.1f %ciB", value, LETTERS.charAt(exponent - 1));
    }

    /**
     * The algorithm of gnulib's {@code human_readable} with {@code human_ceiling | human_autoscale}:
     * divide by the base keeping the first decimal and whether anything was left over, then round
     * up, moving to the next unit when rounding reaches the base.
     */
    private static String gnu(long bytes, int base, String letters) {
        requireNonNegative(bytes);
        if (bytes < base) {
            return Long.toString(bytes);
        }
        long amount = bytes;
        int tenths = 0;
        boolean rest = false; // anything below the tenths digit
        int exponent = 0;
        do {
            long r10 = (amount % base) * 10 + tenths;
            rest |= r10 % base != 0;
            amount /= base;
            tenths = (int) (r10 / base);
            exponent++;
        } while (amount >= base && exponent < letters.length());
        if (amount < 10) {
            if (rest) {
                tenths++;
                if (tenths == 10) {
                    amount++;
                    tenths = 0;
                }
            }
            if (amount < 10) {
                return amount + "." + tenths + letters.charAt(exponent - 1);
            }
            tenths = 0;
            rest = false;
        }
        if (tenths > 0 || rest) {
            amount++;
            if (amount == base && exponent < letters.length()) {
                return "1.0" + letters.charAt(exponent);
            }
        }
        return amount + "" + letters.charAt(exponent - 1);
    }

    private static void requireNonNegative(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative size: " + bytes);
        }
    }
}
