package gopl.common;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Range;

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

    @Test
    void rangesAreReadAsPicocliReadsThemWithOrWithoutAStar() {
        for (var text : List.of("0", "1", "2", "0..1", "1..3", "0..*", "1..*", "12..*", "*", "1+", "..*", "a..*")) {
            var ours = PrebuiltModel.range(text);
            var picocli = Range.valueOf(text);
            assertThat(List.of(ours.min(), ours.max(), ours.isVariable(), ours.isUnspecified(), String.valueOf(ours.originalValue()),
                            ours.isRelative(), ours.toString()))
                    .as(text)
                    .isEqualTo(List.of(picocli.min(), picocli.max(), picocli.isVariable(), picocli.isUnspecified(),
                            String.valueOf(picocli.originalValue()), picocli.isRelative(), picocli.toString()));
        }
    }

    static final class Waits {
        @Option(names = "--wait")
        Duration wait;
    }

    @Test
    void excludedConvertersAreLeftOutOfThatCommandLineOnly() {
        var waits = new Waits();
        var excluding = PrebuiltModel.commandLine(CommandSpec.forAnnotatedObject(waits), "java\\.time\\..*");
        assertThat(System.getProperty("picocli.converters.excludes")).isNull();
        assertThatThrownBy(() -> excluding.parseArgs("--wait", "PT1S")).isInstanceOf(ParameterException.class)
                .hasMessageContaining("java.time.Duration");

        PrebuiltModel.commandLine(CommandSpec.forAnnotatedObject(waits), null).parseArgs("--wait", "PT1S");
        assertThat(waits.wait).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aBooleanOfPicocliDefaultArityTakesAnAttachedValueAsWithReflection() throws Exception {
        var model = new Properties();
        model.setProperty("command", Sorting.class.getName());
        model.setProperty("name", "sorting");
        option(model, 0, "all", "-a --all", "boolean");
        model.setProperty("arg.0.flags", "arityUnspecified");
        var command = new Sorting();

        new CommandLine(PrebuiltModel.build(command, model)).parseArgs("--all=true");
        assertThat(command.all).isTrue();

        model.setProperty("arg.0.flags", ""); // arity = "0" written on the annotation: picocli refuses a value
        assertThatThrownBy(() -> new CommandLine(PrebuiltModel.build(new Sorting(), model)).parseArgs("--all=true"))
                .isInstanceOf(ParameterException.class);
    }
}
