package gopl.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** FieldHandle reads and sets fields of every kind an option has, as Field.get and Field.set do. */
class FieldHandleTest {
    static class Base {
        private String inherited = "base";
    }

    static final class Options extends Base {
        private boolean verbose;
        private int count = 1;
        private long size = 2;
        private double ratio = 0.5;
        private float scale = 1.5f;
        private Duration wait;
        private List<String> names;
        private final String fixed = "fixed";
        private static String shared = "shared";
    }

    private static FieldHandle handle(Class<?> type, String name) throws Exception {
        Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return FieldHandle.of(field);
    }

    @Test
    void readsAndSetsEachKindOfField() throws Exception {
        var options = new Options();
        var values = new Object[][] {
            {"verbose", false, true}, {"count", 1, 7}, {"size", 2L, 9L}, {"ratio", 0.5, 0.25}, {"scale", 1.5f, 3f},
            {"wait", null, Duration.ofSeconds(3)}, {"names", null, List.of("a")}
        };
        for (var row : values) {
            var field = handle(Options.class, (String) row[0]);
            assertThat(field.get(options)).as((String) row[0]).isEqualTo(row[1]);
            field.set(options, row[2]);
            assertThat(field.get(options)).as((String) row[0]).isEqualTo(row[2]);
        }
        assertThat(options.verbose).isTrue();
        assertThat(options.count).isEqualTo(7);
        assertThat(options.wait).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void aFieldOfASuperclassAndAStaticOne() throws Exception {
        var options = new Options();
        var inherited = handle(Base.class, "inherited");
        inherited.set(options, "set");
        assertThat(inherited.get(options)).isEqualTo("set");
        var shared = handle(Options.class, "shared");
        shared.set(null, "changed");
        assertThat(Options.shared).isEqualTo("changed");
        shared.set(null, "shared");
    }

    @Test
    void failsAndSetsFinalFieldsAsReflectionDoes() throws Exception {
        var options = new Options();
        assertThatThrownBy(() -> handle(Options.class, "count").set(options, null)).isInstanceOf(IllegalArgumentException.class);
        var fixed = handle(Options.class, "fixed"); // final: through reflection, which may still set it
        assertThat(fixed.get(options)).isEqualTo("fixed");
        fixed.set(options, "other");
        assertThat(fixed.get(options)).isEqualTo("other");
    }
}
