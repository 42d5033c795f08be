package gopl.dist;

import gopl.common.ManifestVersion;
import gopl.common.PrebuiltModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Range;
import picocli.CommandLine.Spec;

/**
 * Writes what picocli's reflection finds in a tool's annotations as a {@link PrebuiltModel}, and
 * checks that the model built from it is the reflective one, attribute by attribute. A command that
 * uses a picocli feature the prebuilt model does not carry (subcommands, argument groups, a
 * mixin's own spec...) gets none and keeps picocli's reflection: slower to start, never wrong.
 */
final class Models {
    /**
     * The attributes that must be equal, each read from a spec as text. Not the initial value: a
     * prebuilt model skips picocli's reset of each field to its initial value before parsing, which
     * on a new command object changes nothing.
     */
    private static final List<Function<ArgSpec, Object>> ATTRIBUTES = List.of(
            arg -> arg.getClass().getSimpleName(), arg -> range(arg.arity()), ArgSpec::paramLabel,
            arg -> arg.type().getName(), arg -> names(arg.auxiliaryTypes()), arg -> converters(arg), ArgSpec::defaultValue,
            ArgSpec::splitRegex, ArgSpec::required, ArgSpec::hidden, ArgSpec::interactive,
            ArgSpec::inherited, ArgSpec::parameterConsumer, ArgSpec::preprocessor,
            arg -> arg instanceof OptionSpec o ? List.of(o.names()) + " " + o.fallbackValue() + " " + o.usageHelp() + " "
                    + o.versionHelp() + " " + o.negatable() + " " + o.order() : range(((PositionalParamSpec) arg).index()));
    /**
     * picocli's built-in converters that it finds by reflection on every run, by package: a model
     * excludes each package none of its options needs a converter from.
     */
    private static final List<String> REFLECTIVE_CONVERTERS = List.of("java.time.", "java.sql.");

    private Models() {}

    /** The tool's model as {@code .properties} text, or null if it cannot be prebuilt. */
    static byte[] prebuilt(Tool tool) throws Exception {
        var spec = Docs.commandLine(tool).getCommandSpec();
        if (!(spec.versionProvider() instanceof ManifestVersion)) {
            // Cli.exit answers a lone --version with ManifestVersion's line, without the model.
            throw new IllegalStateException(tool.name() + ": its version provider must be ManifestVersion");
        }
        var model = describe(spec);
        if (model == null) {
            return null;
        }
        var fresh = Docs.commandLine(tool).getCommandSpec().userObject();
        check(tool, spec, PrebuiltModel.build(fresh, model));
        var out = new ByteArrayOutputStream();
        model.store(out, "picocli model of " + spec.name() + ", written by gopl.dist.Models");
        return out.toByteArray();
    }

    private static Properties describe(CommandSpec spec) {
        if (!spec.subcommands().isEmpty() || !spec.argGroups().isEmpty() || !spec.unmatchedArgsBindings().isEmpty()
                || (spec.versionProvider() == null && spec.version().length > 0)) {
            return null;
        }
        var model = new Properties();
        model.setProperty("command", spec.userObject().getClass().getName());
        model.setProperty("name", spec.name());
        if (spec.versionProvider() != null) {
            model.setProperty("version", spec.versionProvider().getClass().getName());
        }
        int specs = 0, mixins = 0;
        for (var element : spec.specElements()) {
            model.setProperty("spec." + specs++, element.getName());
        }
        for (var entry : spec.mixins().entrySet()) {
            var mixin = entry.getValue();
            if (!mixin.mixins().isEmpty() || !mixin.subcommands().isEmpty()) {
                return null;
            }
            model.setProperty("mixin." + mixins++, entry.getKey() + ":" + mixin.userObject().getClass().getName());
            for (var element : mixin.specElements()) {
                if (element.getAnnotation(Spec.class).value() != Spec.Target.MIXEE) {
                    return null; // its own spec, which a flat model does not have
                }
                model.setProperty("spec." + specs++, entry.getKey() + "." + element.getName());
            }
        }
        var excludes = excludedConverters(spec);
        if (!excludes.isEmpty()) {
            model.setProperty(PrebuiltModel.EXCLUDES_KEY, excludes);
        }
        var args = spec.args();
        for (int i = 0; i < args.size(); i++) {
            var member = member(spec, args.get(i));
            if (member == null) {
                return null;
            }
            put(model, "arg." + i + ".", args.get(i), member);
        }
        return model;
    }

    private static void put(Properties model, String prefix, ArgSpec arg, String member) {
        // Only what differs from PrebuiltModel's defaults: each line costs parsing at every start.
        model.setProperty(prefix + "member", member);
        model.setProperty(prefix + "arity", arg.arity().originalValue());
        model.setProperty(prefix + "type", arg.type().getName());
        putUnlessDefault(model, prefix + "aux", names(arg.auxiliaryTypes()), arg.type().getName());
        putUnlessDefault(model, prefix + "converters", converters(arg), "");
        model.setProperty(prefix + "paramLabel", arg.paramLabel());
        putUnlessDefault(model, prefix + "split", arg.splitRegex(), "");
        if (arg.defaultValue() != null) {
            model.setProperty(prefix + "default", arg.defaultValue());
        }
        var flags = new ArrayList<String>();
        if (arg.required()) {
            flags.add("required");
        }
        if (arg.hidden()) {
            flags.add("hidden");
        }
        if (arg.arity().isUnspecified()) {
            flags.add("arityUnspecified"); // picocli's default for the type: a boolean then takes --flag=true
        }
        if (arg instanceof OptionSpec option) {
            model.setProperty(prefix + "names", String.join(" ", option.names()));
            putUnlessDefault(model, prefix + "order", Integer.toString(option.order()), "-1");
            if (option.fallbackValue() != null) {
                putUnlessDefault(model, prefix + "fallback", option.fallbackValue(), "");
            }
            for (var flag : List.of(option.usageHelp() ? "usageHelp" : "", option.versionHelp() ? "versionHelp" : "",
                    option.negatable() ? "negatable" : "")) {
                if (!flag.isEmpty()) {
                    flags.add(flag);
                }
            }
        } else {
            var index = ((PositionalParamSpec) arg).index();
            model.setProperty(prefix + "index", index.originalValue());
            if (index.isUnspecified()) {
                flags.add("indexUnspecified");
            }
        }
        putUnlessDefault(model, prefix + "flags", String.join(" ", flags), "");
    }

    private static void putUnlessDefault(Properties model, String key, String value, String defaultValue) {
        if (!value.equals(defaultValue)) {
            model.setProperty(key, value);
        }
    }

    /**
     * picocli's {@code picocli.converters.excludes} for the packages of {@link #REFLECTIVE_CONVERTERS}
     * that no option takes without a converter of its own (its type, or a list's or map's element
     * types), or "" if every one is taken.
     */
    static String excludedConverters(CommandSpec spec) {
        var converted = new ArrayList<String>();
        for (var arg : spec.args()) {
            if (arg.converters().length == 0) {
                converted.add(arg.type().getName());
                converted.addAll(Arrays.stream(arg.auxiliaryTypes()).map(Class::getName).toList());
            }
        }
        return String.join(",", REFLECTIVE_CONVERTERS.stream()
                .filter(prefix -> converted.stream().noneMatch(type -> type.startsWith(prefix)))
                .map(prefix -> prefix.replace(".", "\\.") + ".*").toList());
    }

    /** {@code field}, {@code method(Type)}, or the same after {@code mixinField.}; null if neither. */
    private static String member(CommandSpec spec, ArgSpec arg) {
        String name;
        if (arg.userObject() instanceof Field field) {
            name = field.getName();
        } else if (arg.userObject() instanceof Method method && method.getParameterCount() == 1) {
            name = method.getName() + "(" + method.getParameterTypes()[0].getName() + ")";
        } else {
            return null;
        }
        for (var entry : spec.mixins().entrySet()) {
            if (entry.getValue().args().contains(arg)) {
                return entry.getKey() + "." + name;
            }
        }
        return name;
    }

    private static void check(Tool tool, CommandSpec reflective, CommandSpec prebuilt) {
        var expected = reflective.args();
        var actual = prebuilt.args();
        if (expected.size() != actual.size()) {
            throw new IllegalStateException(tool.name() + ": the prebuilt model has " + actual.size() + " options, not "
                    + expected.size());
        }
        for (int i = 0; i < expected.size(); i++) {
            for (var attribute : ATTRIBUTES) {
                var want = text(attribute.apply(expected.get(i)));
                var got = text(attribute.apply(actual.get(i)));
                if (!want.equals(got)) {
                    throw new IllegalStateException(tool.name() + ": option " + i + " of the prebuilt model has "
                            + got + " where picocli's has " + want);
                }
            }
        }
    }

    /** A range whole: {@code equals} compares only min, max and variable, {@code toString} less. */
    private static String range(Range range) {
        return range.min() + " " + range.max() + " " + range.isVariable() + " " + range.isUnspecified() + " "
                + range.originalValue() + " " + range.isRelative() + " " + range;
    }

    private static String text(Object value) {
        return value instanceof Object[] array ? Arrays.deepToString(array) : Objects.toString(value);
    }

    private static String names(Class<?>[] types) {
        return String.join(" ", Arrays.stream(types).map(Class::getName).toList());
    }

    private static String converters(ArgSpec arg) {
        return String.join(" ", Arrays.stream(arg.converters()).map(c -> c.getClass().getName()).toList());
    }

    static String entryName(Tool tool) {
        return PrebuiltModel.DIRECTORY + tool.command() + ".properties";
    }

    static byte[] utf8(String text) throws IOException {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
