package gopl.chat;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.lang.UProperty;
import com.ibm.icu.text.SpoofChecker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Chat's confusables table against ICU4J, the reference implementation of Unicode TR39. To write
 * the table anew (after moving to an ICU whose Unicode version is the JDK's):
 * {@code bin/build -pl chat -am test -Dtest=ConfusablesTableTest -Dsurefire.failIfNoSpecifiedTests=false -Dconfusables.write=true}
 */
@Timeout(120)
class ConfusablesTableTest {
    private static final Path TABLE = Path.of("src/main/resources/gopl/chat/confusables.txt");
    private static final SpoofChecker ICU = new SpoofChecker.Builder().build();

    /** The table as ICU has it: each code point that NFD leaves alone, with its skeleton if that differs. */
    static String table() {
        var out = new StringBuilder("# Unicode TR39 confusable prototypes, from ICU4J " + com.ibm.icu.util.VersionInfo.ICU_VERSION
                + " (Unicode " + UCharacter.getUnicodeVersion() + ").\n"
                + "# CODE<TAB>PROTOTYPE in hex; written by ConfusablesTableTest, do not edit.\n");
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            var text = Character.toString(cp);
            if (Character.getType(cp) == Character.SURROGATE || !Normalizer.isNormalized(text, Normalizer.Form.NFD)) {
                continue;
            }
            var skeleton = ICU.getSkeleton(text);
            if (!skeleton.equals(text)) {
                out.append(Integer.toHexString(cp).toUpperCase()).append('\t')
                        .append(skeleton.codePoints().mapToObj(c -> Integer.toHexString(c).toUpperCase()).collect(Collectors.joining(" ")))
                        .append('\n');
            }
        }
        return out.toString();
    }

    @Test
    void theShippedTableIsIcus() throws IOException {
        var expected = table();
        if (Boolean.getBoolean("confusables.write")) {
            Files.writeString(TABLE, expected, UTF_8);
        }
        // The table goes with the JDK's NFD: both must be Unicode 16.0 (U+1C89 is new in 16.0).
        assertThat(UCharacter.getUnicodeVersion().getMajor()).isEqualTo(16);
        assertThat(Character.isDefined(0x1C89)).isTrue();
        assertThat(Files.readString(TABLE, UTF_8)).isEqualTo(expected);
    }

    @Test
    void everyCodePointHasIcusSkeleton() {
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            if (Character.getType(cp) != Character.SURROGATE) {
                var text = Character.toString(cp);
                assertThat(Confusables.skeleton(text)).as("U+%04X", cp).isEqualTo(ICU.getSkeleton(text));
            }
        }
    }

    @Test
    void mixedStringsHaveIcusSkeleton() {
        // Letters that have prototypes, marks that reorder under NFD, and plain ASCII, mixed.
        var pool = new ArrayList<Integer>();
        Confusables.skeleton("x"); // loads the table
        for (int cp = 0; cp < 0x3000; cp++) {
            if (Character.isDefined(cp) && Character.getType(cp) != Character.SURROGATE) {
                pool.add(cp);
            }
        }
        var random = new Random(13);
        for (int i = 0; i < 200_000; i++) {
            var text = new StringBuilder();
            for (int n = 1 + random.nextInt(8); n > 0; n--) {
                text.appendCodePoint(pool.get(random.nextInt(pool.size())));
            }
            assertThat(Confusables.skeleton(text.toString())).as("%s", text).isEqualTo(ICU.getSkeleton(text));
        }
    }

    @Test
    void invisibleIsUnicodesDefaultIgnorableAndCoversEveryBidiControl() {
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            assertThat(Names.isInvisible(cp)).as("U+%04X", cp)
                    .isEqualTo(UCharacter.hasBinaryProperty(cp, UProperty.DEFAULT_IGNORABLE_CODE_POINT));
            if (UCharacter.hasBinaryProperty(cp, UProperty.BIDI_CONTROL)) {
                assertThat(Names.isInvisible(cp)).as("bidi control U+%04X", cp).isTrue();
            }
        }
    }
}
