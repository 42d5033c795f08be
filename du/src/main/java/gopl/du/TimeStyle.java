package gopl.du;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/**
 * {@code --time-style}: the format GNU du prints times in, and gnulib's nstrftime in the C locale
 * to print them (flags {@code _ - 0 + ^ #}, widths, {@code %N}, {@code %:z}, {@code %s}, {@code %q}),
 * so that {@code --time-style=+FORMAT} prints what {@code date +FORMAT} would.
 */
final class TimeStyle {
    private static final Map<String, String> STYLES = GnuSyntax.arguments(Map.entry("full-iso",
            "%Y-%m-%d %H:%M:%S.%N %z"), Map.entry("long-iso", "%Y-%m-%d %H:%M"), Map.entry("iso", "%Y-%m-%d"));
    private static final String[] DAYS = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
        "Saturday"};
    private static final String[] MONTHS = {"January", "February", "March", "April", "May", "June", "July",
        "August", "September", "October", "November", "December"};
    private static final DateTimeFormatter ZONE_NAME = DateTimeFormatter.ofPattern("zzz", Locale.US);

    private TimeStyle() {}

    /**
     * The strftime format for {@code --time-style=STYLE}, or for $TIME_STYLE when the option is not
     * given (where {@code locale} means the default, and {@code posix-} prefixes are ignored, as in ls).
     */
    static String format(String option, Map<String, String> env) {
        var style = option;
        if (style == null) {
            style = env.get("TIME_STYLE");
            if (style == null || style.equals("locale")) {
                style = "long-iso";
            } else if (style.startsWith("+")) {
                style = style.lines().findFirst().orElse("+");
            } else {
                while (style.startsWith("posix-")) {
                    style = style.substring("posix-".length());
                }
            }
        }
        if (style.startsWith("+")) {
            return style.substring(1);
        }
        var format = GnuSyntax.argmatch(style, STYLES);
        if (format == null) {
            throw new IllegalArgumentException(GnuSyntax.badArgument(style, "time style", STYLES));
        }
        return format;
    }

    /** The time {@code seconds.nanos} in {@code zone}, as nstrftime prints it with this format. */
    static String format(String format, long seconds, int nanos, ZoneId zone) {
        var time = Instant.ofEpochSecond(seconds, nanos).atZone(zone);
        var out = new StringBuilder();
        new Formatter(time, out).run(format, false, (char) 0, -1);
        return out.toString();
    }

    /** One pass over a format; subformats (%D, %T, %c...) recurse. */
    private record Formatter(ZonedDateTime t, StringBuilder out) {
        void run(String f, boolean upcase, char yearPad, int firstWidth) {
            int width = firstWidth;
            for (int i = 0; i < f.length(); i++, width = -1) {
                if (f.charAt(i) != '%') {
                    out.append(f.charAt(i));
                    continue;
                }
                int percent = i;
                char pad = 0;
                boolean up = upcase, swap = false;
                while (++i < f.length() && "_-+0^#".indexOf(f.charAt(i)) >= 0) {
                    switch (f.charAt(i)) {
                        case '^' -> up = true;
                        case '#' -> swap = true;
                        default -> pad = f.charAt(i);
                    }
                }
                if (i < f.length() && Character.isDigit(f.charAt(i))) {
                    width = 0;
                    while (i < f.length() && Character.isDigit(f.charAt(i))) {
                        width = (int) Math.min(Integer.MAX_VALUE, width * 10L + f.charAt(i++) - '0');
                    }
                }
                if (i < f.length() && (f.charAt(i) == 'E' || f.charAt(i) == 'O')) {
                    i++; // alternative representations: the C locale has none
                }
                int colons = 0;
                while (i + colons < f.length() && f.charAt(i + colons) == ':') {
                    colons++;
                }
                if (colons > 0 && colons <= 3 && i + colons < f.length() && f.charAt(i + colons) == 'z') {
                    i += colons;
                } else {
                    colons = 0;
                }
                if (i >= f.length() || !conversion(f.charAt(i), new Spec(pad, width, up, swap, yearPad, colons))) {
                    i = Math.min(i, f.length() - 1);
                    out.append(f, percent, i + 1); // unknown: copied as it is, as GNU does
                }
            }
        }

        private record Spec(char pad, int width, boolean up, boolean swap, char yearPad, int colons) {}

        /** Prints one conversion; false if there is no such conversion. */
        private boolean conversion(char c, Spec s) {
            int hour12 = t.getHour() % 12 == 0 ? 12 : t.getHour() % 12;
            int wday = t.getDayOfWeek().getValue() % 7, yday = t.getDayOfYear() - 1;
            switch (c) {
                case '%' -> text("%", s, false);
                case 'a' -> text(DAYS[wday].substring(0, 3), s, s.swap);
                case 'A' -> text(DAYS[wday], s, s.swap);
                case 'b', 'h' -> text(MONTHS[t.getMonthValue() - 1].substring(0, 3), s, s.swap);
                case 'B' -> text(MONTHS[t.getMonthValue() - 1], s, s.swap);
                case 'c' -> sub("%a %b %e %H:%M:%S %Y", s, -1);
                case 'C' -> year(2, Math.floorDiv(t.getYear(), 100), s);
                case 'd' -> number(2, t.getDayOfMonth(), s, '0');
                case 'D', 'x' -> sub("%m/%d/%y", s, -1);
                case 'e' -> number(2, t.getDayOfMonth(), s, '_');
                case 'F' -> sub("%Y-%m-%d", s.pad == 0 && s.width < 0 ? withPad(s, '+') : s,
                        s.pad == 0 && s.width < 0 ? 4 : Math.max(0, s.width - 6));
                case 'g' -> year(2, Math.floorMod(isoYear(), 100), s);
                case 'G' -> year(4, isoYear(), s);
                case 'H' -> number(2, t.getHour(), s, '0');
                case 'I' -> number(2, hour12, s, '0');
                case 'j' -> number(3, yday + 1, s, '0');
                case 'k' -> number(2, t.getHour(), s, '_');
                case 'l' -> number(2, hour12, s, '_');
                case 'm' -> number(2, t.getMonthValue(), s, '0');
                case 'M' -> number(2, t.getMinute(), s, '0');
                case 'n' -> text("\n", s, false);
                case 'N' -> nanoseconds(s);
                case 'p' -> text(t.getHour() < 12 ? "AM" : "PM", s.swap ? lower(s) : s, false);
                case 'P' -> text(t.getHour() < 12 ? "am" : "pm", lower(s), false);
                case 'q' -> number(1, (t.getMonthValue() - 1) * 11 / 32 + 1, s, '0');
                case 'r' -> sub("%I:%M:%S %p", s, -1);
                case 'R' -> sub("%H:%M", s, -1);
                case 's' -> signed(1, t.toEpochSecond(), false, s, '0');
                case 'S' -> number(2, t.getSecond(), s, '0');
                case 't' -> text("\t", s, false);
                case 'T', 'X' -> sub("%H:%M:%S", s, -1);
                case 'u' -> number(1, t.getDayOfWeek().getValue(), s, '0');
                case 'U' -> number(2, (yday - wday + 7) / 7, s, '0');
                case 'V' -> number(2, t.get(java.time.temporal.IsoFields.WEEK_OF_WEEK_BASED_YEAR), s, '0');
                case 'w' -> number(1, wday, s, '0');
                case 'W' -> number(2, (yday - (wday - 1 + 7) % 7 + 7) / 7, s, '0');
                case 'y' -> year(2, Math.floorMod(t.getYear(), 100), s);
                case 'Y' -> year(4, t.getYear(), s);
                case 'z' -> offset(s);
                case 'Z' -> text(zoneName(), s.swap ? lower(s) : s, false);
                default -> {
                    return false;
                }
            }
            return true;
        }

        /**
         * The zone's abbreviation, as the tz database gives it (CET, NST, EDT); where it has none
         * but the offset, tzdata writes -03 or +0530 where Java writes GMT-03:00.
         */
        private String zoneName() {
            var name = ZONE_NAME.format(t);
            if (!name.matches("GMT[+-]\\d\\d:\\d\\d")) {
                return name;
            }
            return name.substring(3, 6) + (name.endsWith(":00") ? "" : name.substring(7));
        }

        private int isoYear() {
            return t.get(java.time.temporal.IsoFields.WEEK_BASED_YEAR);
        }

        private static Spec withPad(Spec s, char pad) {
            return new Spec(pad, s.width, s.up, s.swap, s.yearPad, s.colons);
        }

        private static Spec lower(Spec s) {
            return new Spec(s.pad, s.width, false, true, s.yearPad, s.colons); // swap with up=false: lowercase
        }

        /** Text such as a day name: ^ makes it upper case, # swaps (names to upper, AM/PM and %Z to lower). */
        private void text(String value, Spec s, boolean swapToUpper) {
            if (s.up || swapToUpper) {
                value = value.toUpperCase(Locale.ROOT);
            } else if (s.swap) {
                value = value.toLowerCase(Locale.ROOT);
            }
            padded(value, s.width, s.pad);
        }

        private void sub(String format, Spec s, int firstWidth) {
            var inner = new StringBuilder();
            new Formatter(t, inner).run(format, s.up, s.pad, firstWidth);
            padded(inner.toString(), s.width, s.pad);
        }

        private void padded(String value, int width, char pad) {
            if (pad != '-') {
                for (int i = value.length(); i < width; i++) {
                    out.append(pad == '0' || pad == '+' ? '0' : ' ');
                }
            }
            out.append(value);
        }

        private void number(int digits, long value, Spec s, char defaultPad) {
            signed(digits, value, false, s.pad == 0 ? withPad(s, defaultPad) : s, '0');
        }

        /** Years: the + flag, or a + pad passed down to %F's year, prints a sign beyond 4 (or 2) digits. */
        private void year(int digits, long value, Spec s) {
            var spec = s.pad == 0 && s.yearPad != 0 ? withPad(s, s.yearPad) : s;
            boolean sign = spec.pad == '+' && ((digits == 2 ? 99 : 9999) < value || digits < spec.width);
            signed(digits, value, sign, spec, '0');
        }

        /** nstrftime's do_number_sign_and_padding. */
        private void signed(int digits, long value, boolean alwaysSign, Spec s, char defaultPad) {
            padNumber(Long.toString(Math.abs(value)), value < 0 ? '-' : alwaysSign ? '+' : 0, digits, s, defaultPad);
        }

        private void padNumber(String number, char sign, int digits, Spec s, char defaultPad) {
            char pad = s.pad == 0 ? defaultPad : s.pad;
            int width = s.width < 0 ? digits : s.width;
            int shortage = width - (sign != 0 ? 1 : 0) - number.length();
            int padding = pad == '-' || shortage <= 0 ? 0 : shortage;
            if (sign != 0) {
                if (pad == '_') {
                    out.append(" ".repeat(padding));
                    padding = 0;
                }
                out.append(sign);
            }
            out.append((pad == '_' ? " " : "0").repeat(padding)).append(number);
        }

        /** %N: nanoseconds, 9 digits; a width below 9 is the number of digits kept. */
        private void nanoseconds(Spec s) {
            int n = t.getNano(), digits = 9, width = s.width <= 0 ? 9 : s.width;
            while (width < digits || (1 < digits && n % 10 == 0)) {
                digits--;
                n /= 10;
            }
            var text = String.format(Locale.ROOT, "%0" + digits + "d", n);
            out.append(text);
            if (s.pad != '-') {
                out.append((s.pad == '_' ? " " : "0").repeat(Math.max(0, width - digits)));
            }
        }

        /** %z +hhmm, %:z +hh:mm, %::z +hh:mm:ss, %:::z as short as exact: nstrftime's digits and colon mask. */
        private void offset(Spec s) {
            int diff = t.getOffset().getTotalSeconds();
            int hours = Math.abs(diff / 3600), minutes = Math.abs(diff / 60 % 60), seconds = Math.abs(diff % 60);
            int colons = s.colons != 3 ? s.colons : seconds != 0 ? 2 : minutes != 0 ? 1 : -1;
            long value = switch (colons) {
                case -1 -> hours;
                case 2 -> hours * 10000L + minutes * 100L + seconds;
                default -> hours * 100L + minutes;
            };
            int mask = colons == 1 ? 04 : colons == 2 ? 024 : 0;
            int digits = colons == -1 ? 3 : colons == 2 ? 9 : colons == 1 ? 6 : 5;
            var number = new StringBuilder();
            do {
                if ((mask & 1) != 0) {
                    number.insert(0, ':');
                }
                mask >>= 1;
                number.insert(0, (char) ('0' + value % 10));
                value /= 10;
            } while (value != 0 || mask != 0);
            padNumber(number.toString(), diff < 0 ? '-' : '+', digits, s, '0');
        }
    }
}
