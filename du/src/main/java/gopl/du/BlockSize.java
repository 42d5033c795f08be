package gopl.du;

import gopl.common.SizeFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;
import java.util.Map;

/**
 * The unit du prints sizes in, as {@code -k}, {@code -m}, {@code -h}, {@code --si}, {@code -b} and
 * {@code -B SIZE} choose it (the options of gnulib's {@code human_readable}), and the printing
 * itself. {@code size} is the block size in bytes, read as unsigned.
 */
record BlockSize(int options, long size) {
    static final int GROUP_DIGITS = 4, AUTOSCALE = 16, BASE_1024 = 32, SI = 128, B = 256;
    static final BlockSize KIB = new BlockSize(0, 1024), MIB = new BlockSize(0, 1 << 20), BYTES = new BlockSize(0, 1),
            HUMAN = new BlockSize(AUTOSCALE | SI | BASE_1024, 1), SI_UNITS = new BlockSize(AUTOSCALE | SI, 1);
    private static final String LETTERS = "KMGTPEZY";

    /** {@code -B SPEC}, read as gnulib's humblock reads it; {@code option} is how it was spelled, for messages. */
    static BlockSize parse(String spec, String option) {
        var block = read(spec);
        if (block.error != null || block.unit.size() == 0) {
            var error = block.error != null ? block.error : GnuSyntax.Error.INVALID;
            throw new IllegalArgumentException(GnuSyntax.badNumber(error, option, spec));
        }
        return block.unit;
    }

    /** du's default unit: {@code DU_BLOCK_SIZE}, {@code BLOCK_SIZE}, {@code BLOCKSIZE}, else 1 KiB (512 bytes under POSIXLY_CORRECT). */
    static BlockSize fromEnvironment(Map<String, String> env) {
        var fallback = new BlockSize(0, env.containsKey("POSIXLY_CORRECT") ? 512 : 1024);
        for (var name : new String[] {"DU_BLOCK_SIZE", "BLOCK_SIZE", "BLOCKSIZE"}) {
            var spec = env.get(name);
            if (spec != null) {
                var block = read(spec); // a bad value is ignored, as GNU du ignores it
                return block.error != null || block.unit.size() == 0 ? fallback : block.unit;
            }
        }
        return fallback;
    }

    private record Read(BlockSize unit, GnuSyntax.Error error) {}

    /** gnulib's humblock. */
    private static Read read(String spec) {
        int options = 0;
        if (spec.startsWith("'")) {
            options |= GROUP_DIGITS;
            spec = spec.substring(1);
        }
        if (!spec.isEmpty() && "human-readable".startsWith(spec)) {
            return new Read(new BlockSize(options | HUMAN.options, 1), null);
        }
        if (!spec.isEmpty() && "si".startsWith(spec)) {
            return new Read(new BlockSize(options | SI_UNITS.options, 1), null);
        }
        var number = GnuSyntax.unsigned(spec, GnuSyntax.BLOCK_SUFFIXES);
        if (!number.ok()) {
            return new Read(null, number.error());
        }
        int firstDigit = 0;
        while (firstDigit < spec.length() && !Character.isDigit(spec.charAt(firstDigit))) {
            firstDigit++;
        }
        if (firstDigit == spec.length()) { // only a unit, as in -BM or -BKiB: print the unit's letter too
            options |= SI;
            if (spec.endsWith("B")) {
                options |= B;
            }
            if (!spec.endsWith("B") || spec.endsWith("iB")) {
                options |= BASE_1024;
            }
        }
        return new Read(new BlockSize(options, number.value()), null);
    }

    /** The same unit for inode counts: --inodes prints counts in units of 1. */
    BlockSize forCounts() {
        return new BlockSize(options, 1);
    }

    /** Whether sizes are bare numbers ({@link #amount}), with no unit letters, grouping or scaling. */
    boolean plain() {
        return options == 0;
    }

    /** A plain size: {@code n} bytes in this unit, rounded up, as an unsigned number. */
    long amount(long n) {
        long amount = Long.divideUnsigned(n, size);
        return Long.remainderUnsigned(n, size) != 0 ? amount + 1 : amount;
    }

    /** gnulib's human_readable(n, opts, 1, size) with its default rounding, up. */
    String format(long n) {
        if ((options & AUTOSCALE) != 0) {
            var text = (options & BASE_1024) != 0 ? SizeFormat.human(n) : SizeFormat.si(n);
            return (options & GROUP_DIGITS) != 0 ? group(text) : text;
        }
        var text = Long.toUnsignedString(amount(n));
        if ((options & GROUP_DIGITS) != 0) {
            text = group(text);
        }
        return (options & SI) != 0 ? text + suffix() : text;
    }

    /** The unit's letters after a number: K, MB, MiB... (none for a block size of 1, unless B). */
    private String suffix() {
        int base = (options & BASE_1024) != 0 ? 1024 : 1000;
        int exponent = 0;
        for (long power = 1; Long.compareUnsigned(power, size) < 0; power *= base) {
            if (++exponent == LETTERS.length() + 1) {
                break;
            }
        }
        var suffix = new StringBuilder();
        if (exponent > 0) {
            suffix.append(base == 1000 && exponent == 1 ? 'k' : LETTERS.charAt(exponent - 1));
        }
        if ((options & B) != 0) {
            suffix.append(base == 1024 && exponent > 0 ? "iB" : "B");
        }
        return suffix.toString();
    }

    /** Thousands grouped as the locale groups them: not at all in the C locale (as GNU du there). */
    private static String group(String text) {
        char separator = GROUPING;
        if (separator == 0) {
            return text;
        }
        int end = 0;
        while (end < text.length() && Character.isDigit(text.charAt(end))) {
            end++;
        }
        var out = new StringBuilder(text.substring(end));
        for (int i = end - 1, n = 0; i >= 0; i--, n++) {
            if (n > 0 && n % 3 == 0) {
                out.insert(0, separator);
            }
            out.insert(0, text.charAt(i));
        }
        return out.toString();
    }

    private static final char GROUPING = groupingSeparator(System.getenv());

    /** The C library's thousands separator for LC_ALL, LC_NUMERIC or LANG; none (0) in C and POSIX. */
    static char groupingSeparator(Map<String, String> env) {
        for (var name : new String[] {"LC_ALL", "LC_NUMERIC", "LANG"}) {
            var value = env.get(name);
            if (value != null && !value.isEmpty()) {
                var language = value.replaceFirst("[.@].*", "");
                if (language.equals("C") || language.equals("POSIX")) {
                    return 0;
                }
                var parts = language.split("_");
                var locale = parts.length > 1 ? Locale.of(parts[0], parts[1]) : Locale.of(parts[0]);
                return DecimalFormatSymbols.getInstance(locale).getGroupingSeparator();
            }
        }
        return 0;
    }
}
