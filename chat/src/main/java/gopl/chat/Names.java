package gopl.chat;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Chat names (exercise 8.14) that cannot pose as someone else. A name is shown in NFKC form (so
 * fullwidth {@code ｂｏｂ} is {@code bob}); invisible and direction-changing characters, spaces and
 * odd characters are refused; and two names are the same name if they look alike: compared by
 * their case-folded confusable skeletons (Unicode TR39), so {@code bob}, {@code BOB}, {@code B0B}
 * {@code bоb} with a Cyrillic {@code о} and {@code ЬоЬ} are one name.
 */
final class Names {
    static final int MAX = 32;
    // Enough for Vietnamese or pointed Hebrew; more only piles up over the neighbouring lines.
    private static final int MAX_MARKS = 3;
    // Unicode 16's Default_Ignorable_Code_Point, ranges of first and last (checked against ICU):
    // zero-width spaces and joiners, soft hyphen, fillers, variation selectors, tags, and every
    // bidi control (LRM, RLM, ALM, embeddings, overrides, isolates).
    private static final int[] INVISIBLE = {
        0x00AD, 0x00AD, 0x034F, 0x034F, 0x061C, 0x061C, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180B, 0x180F,
        0x200B, 0x200F, 0x202A, 0x202E, 0x2060, 0x206F, 0x3164, 0x3164, 0xFE00, 0xFE0F, 0xFEFF, 0xFEFF,
        0xFFA0, 0xFFA0, 0xFFF0, 0xFFF8, 0x1BCA0, 0x1BCA3, 0x1D173, 0x1D17A, 0xE0000, 0xE0FFF,
    };

    private Names() {}

    /** The name to show: NFKC of what the client typed, stripped. */
    static String normalize(String typed) {
        var stripped = typed.strip();
        // NFKC can shorten a name (a letter and its accents compose) but not 4-fold; longer is refused as is.
        if (stripped.codePointCount(0, stripped.length()) > 4 * MAX) {
            return stripped;
        }
        return Normalizer.normalize(stripped, Normalizer.Form.NFKC);
    }

    /** Why this (normalised) name cannot be anyone's, or null if it may be; whether it is taken is the broadcaster's business. */
    static String refusal(String name) {
        if (name.isEmpty()) {
            return "A name cannot be empty.";
        }
        if (name.codePointCount(0, name.length()) > MAX) {
            return "A name has at most " + MAX + " characters.";
        }
        if (name.codePoints().anyMatch(Names::isInvisible)) {
            return "A name cannot contain invisible or direction-changing characters.";
        }
        if (name.codePoints().anyMatch(Names::isOdd) || name.startsWith("/")) {
            return "A name cannot contain spaces or odd characters, nor start with /.";
        }
        if (pilesMarks(name)) {
            return "A name cannot start with an accent or pile accents on one letter.";
        }
        return null;
    }

    /**
     * What a name has in common with every name that looks like it or differs only in case: the
     * case-folded skeleton of the name as typed and of its folded form. Both are needed, since
     * case changes how a letter looks: capital {@code Ь} looks like {@code b}, small {@code ь}
     * like {@code ƅ}. Two names clash when they share a key.
     */
    static Set<String> keys(String name) {
        return Set.copyOf(List.of(fold(Confusables.skeleton(name)), fold(Confusables.skeleton(fold(name)))));
    }

    /** Full case folding, near enough: upper then lower turns ß into ss and ς into σ, as folding does. */
    private static String fold(String text) {
        return text.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
    }

    static boolean isInvisible(int cp) {
        for (int i = 0; i < INVISIBLE.length && INVISIBLE[i] <= cp; i += 2) {
            if (cp <= INVISIBLE[i + 1]) {
                return true;
            }
        }
        return false;
    }

    /** Spaces, controls, the replacement character (invalid UTF-8) and what is not a character yet. */
    private static boolean isOdd(int cp) {
        return cp == '\uFFFD' || Character.isWhitespace(cp) || switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.PRIVATE_USE, Character.SURROGATE, Character.UNASSIGNED,
                    Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> true;
            default -> false;
        };
    }

    /** A combining mark first (it would sit on the text before the name), or more than a few on one letter. */
    private static boolean pilesMarks(String name) {
        int run = 0;
        for (int i = 0; i < name.length(); i = name.offsetByCodePoints(i, 1)) {
            int type = Character.getType(name.codePointAt(i));
            boolean mark = type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
                    || type == Character.COMBINING_SPACING_MARK;
            run = mark ? run + 1 : 0;
            if (mark && (i == 0 || run > MAX_MARKS)) {
                return true;
            }
        }
        return false;
    }
}
