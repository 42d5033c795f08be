package gopl.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

class PrebuiltModelTest {
    static final class Limits {
        int cap;

        @Option(names = "--cap")
        void cap(String value) {
            cap = Integer.parseInt(value);
        }
    }

    static final class Sorting {
        String sort = "none";
        boolean all;

        @Mixin
        Limits limits = new Limits();

        @Option(names = "--sort")
        void sort(String value) {
            sort = value;
        }
    }

    /** What gopl.dist.Models writes for an option: the member, its names, arity and type. */
    private static void option(Properties model, int i, String member, String names, String type) {
        var prefix = "arg." + i + ".";
        model.setProperty(prefix + "member", member);
        model.setProperty(prefix + "names", names);
        model.setProperty(prefix + "arity", type.equals("boolean") ? "0" : "1");
        model.setProperty(prefix + "type", type);
        model.setProperty(prefix + "paramLabel", "<value>");
        model.setProperty(prefix + "flags", "");
    }

    @Test
    void methodOptionsWithAQualifiedParameterTypeBindToTheMethodNotAMixin() throws Exception {
        var model = new Properties();
        model.setProperty("command", Sorting.class.getName());
        model.setProperty("name", "sorting");
        model.setProperty("mixin.0", "limits:" + Limits.class.getName());
        // The dots in "java.lang.String" once read as "mixin field sort(java": NoSuchFieldException.
        option(model, 0, "sort(java.lang.String)", "--sort", "java.lang.String");
        option(model, 1, "limits.cap(java.lang.String)", "--cap", "java.lang.String");
        option(model, 2, "all", "-a --all", "boolean");
        var command = new Sorting();

        new CommandLine(PrebuiltModel.build(command, model)).parseArgs("--sort", "size", "--cap", "7", "-a");

        assertThat(command.sort).isEqualTo("size");
        assertThat(command.limits.cap).isEqualTo(7);
        assertThat(command.all).isTrue();
    }
}
