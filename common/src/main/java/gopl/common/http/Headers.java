package gopl.common.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;

/** A response's header fields, in the order received, looked up by name whatever its case. */
public final class Headers {
    private final List<String> names; // lower case
    private final List<String> values;

    Headers(List<String> names, List<String> values) {
        this.names = names;
        this.values = values;
    }

    /** The first value of the field, or null. */
    public String first(String name) {
        int at = names.indexOf(name.toLowerCase(Locale.ROOT));
        return at < 0 ? null : values.get(at);
    }

    /** Every value of the field (Set-Cookie comes several times), in order. */
    public List<String> all(String name) {
        var key = name.toLowerCase(Locale.ROOT);
        var found = new ArrayList<String>();
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equals(key)) {
                found.add(values.get(i));
            }
        }
        return found;
    }

    /** Every field in the order received, its name in lower case. */
    public void forEach(BiConsumer<String, String> action) {
        for (int i = 0; i < names.size(); i++) {
            action.accept(names.get(i), values.get(i));
        }
    }

    /** The {@code Content-Length} header, or -1 if there is none or it is not a number. */
    public long contentLength() {
        var value = first("content-length");
        try {
            return value == null ? -1 : Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
