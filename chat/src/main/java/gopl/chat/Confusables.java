package gopl.chat;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.text.Normalizer;
import java.util.HashMap;
import java.util.Map;

/**
 * Confusable skeletons (Unicode TR39, section 4): strings that look alike have the same skeleton,
 * so {@code bob}, {@code bоb} with a Cyrillic {@code о} and {@code ЬоЬ} are all {@code bob}. The
 * skeleton is NFD, then each character replaced by its prototype, then NFD again.
 *
 * <p>The prototypes are {@code confusables.txt} beside this class (9,464 of them, about 100 KB):
 * the table ICU4J's SpoofChecker uses, written out by ConfusablesTableTest, which also checks that
 * every skeleton here is ICU's. Carrying the table costs the jar about 30 KB; ICU4J would cost 14 MB.
 */
final class Confusables {
    private static final Map<Integer, String> PROTOTYPES = load();

    private Confusables() {}

    static String skeleton(String text) {
        var decomposed = Normalizer.normalize(text, Normalizer.Form.NFD);
        var mapped = new StringBuilder(decomposed.length());
        decomposed.codePoints().forEach(cp -> {
            var prototype = PROTOTYPES.get(cp);
            if (prototype == null) {
                mapped.appendCodePoint(cp);
            } else {
                mapped.append(prototype);
            }
        });
        return Normalizer.normalize(mapped, Normalizer.Form.NFD);
    }

    /** Lines of {@code CODE<TAB>PROTOTYPE}, in hex, the prototype's code points separated by spaces (none: it vanishes). */
    private static Map<Integer, String> load() {
        var table = new HashMap<Integer, String>(16_384);
        try (var in = Confusables.class.getResourceAsStream("confusables.txt");
                var lines = new BufferedReader(new InputStreamReader(in, UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                int tab = line.indexOf('\t');
                var prototype = new StringBuilder();
                for (var hex : line.substring(tab + 1).split(" ")) {
                    if (!hex.isEmpty()) {
                        prototype.appendCodePoint(Integer.parseInt(hex, 16));
                    }
                }
                table.put(Integer.parseInt(line, 0, tab, 16), prototype.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("chat.jar is missing gopl/chat/confusables.txt", e);
        }
        return Map.copyOf(table);
    }
}
