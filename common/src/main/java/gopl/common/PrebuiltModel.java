package gopl.common;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.PicocliException;
import picocli.CommandLine.Range;

/**
 * A command's picocli model without reading its annotations. picocli builds its model by reflection
 * over the annotations, which makes the JVM generate a proxy class per annotation type and run a lot
 * of picocli's code cold: more than the JVM's own start. The release archive's build writes what
 * that reflection finds (each option's names, arity, type, converters, defaults and the field or
 * method it sets) into the tool's jar, {@code META-INF/gopl/model/gopl-du.properties}, having
 * checked that the model built from it equals the reflective one; this builds the model from it
 * with picocli's programmatic API. It holds no text for the usage help: with a prebuilt model the
 * help is always the prerendered one ({@link PrerenderedHelp}).
 */
public final class PrebuiltModel {
    /** Where the archive's build writes the model: {@code META-INF/gopl/model/<command>.properties}. */
    public static final String DIRECTORY = "META-INF/gopl/model/";
    /** {@code -Dgopl.prebuilt.model=false} builds the model by reflection, as without an archive. */
    public static final String SWITCH = "gopl.prebuilt.model";
    /**
     * The model's key for the built-in converters its options never use: picocli's
     * {@code picocli.converters.excludes}, comma-separated regular expressions of class names.
     */
    public static final String EXCLUDES_KEY = "converters.excludes";
    private static final String PICOCLI_EXCLUDES = "picocli.converters.excludes";

    private PrebuiltModel() {}

    /**
     * The command line of the command the launcher named, on its prebuilt model, or null to build
     * the model by reflection.
     */
    static CommandLine commandLine(Object command) {
        var name = System.getProperty(Cli.COMMAND_PROPERTY);
        if (name == null || "false".equals(System.getProperty(SWITCH))) {
            return null;
        }
        try {
            var bytes = StartJar.read(command.getClass(), DIRECTORY + name + ".properties");
            if (bytes == null) {
                return null;
            }
            var model = new Properties();
            model.load(new ByteArrayInputStream(bytes));
            return commandLine(build(command, model), model.getProperty(EXCLUDES_KEY));
        } catch (IOException | ReflectiveOperationException e) {
            return null; // a damaged model: picocli's reflection still works
        }
    }

    /**
     * {@code new CommandLine(spec)}, its interpreter without the built-in converters that
     * {@code excludes} names (picocli's own switch, a system property it reads there and only
     * there, set for that moment unless the user set it). picocli registers a converter for each
     * {@code java.time} and {@code java.sql} type on every run, by reflection, initialising about 60
     * classes (4 ms of a 60 ms {@code netcat -z}) for tools whose options take none of them.
     */
    static CommandLine commandLine(CommandSpec spec, String excludes) {
        if (excludes == null || System.getProperty(PICOCLI_EXCLUDES) != null) {
            return new CommandLine(spec);
        }
        System.setProperty(PICOCLI_EXCLUDES, excludes);
        try {
            return new CommandLine(spec);
        } finally {
            System.clearProperty(PICOCLI_EXCLUDES);
        }
    }

    /** Builds the spec that {@code model} describes, bound to {@code command} and its mixins. */
    public static CommandSpec build(Object command, Properties model) throws ReflectiveOperationException {
        if (!command.getClass().getName().equals(model.getProperty("command"))) {
            throw new ReflectiveOperationException("the model is for " + model.getProperty("command"));
        }
        var spec = CommandSpec.wrapWithoutInspection(command);
        spec.name(model.getProperty("name"));
        for (int i = 0; model.containsKey("mixin." + i); i++) {
            mixin(command, model.getProperty("mixin." + i));
        }
        for (int i = 0; model.containsKey("spec." + i); i++) {
            var target = member(command, model.getProperty("spec." + i));
            FieldHandle.of((Field) target.member).set(target.owner, spec);
        }
        var version = model.getProperty("version");
        if (version != null) {
            var provider = (IVersionProvider) instantiate(version);
            for (var field : provider.getClass().getDeclaredFields()) {
                if (field.getType() == CommandSpec.class) {
                    field.setAccessible(true);
                    FieldHandle.of(field).set(provider, spec);
                }
            }
            spec.versionProvider(provider);
        }
        for (int i = 0; model.containsKey("arg." + i + ".member"); i++) {
            var prefix = "arg." + i + ".";
            var arg = arg(command, model, prefix);
            if (arg instanceof OptionSpec option) {
                spec.addOption(option);
            } else {
                spec.addPositional((PositionalParamSpec) arg);
            }
        }
        return spec;
    }

    /** {@code path:Class}: the mixin field at path, filled with a new instance if still null. */
    private static void mixin(Object command, String entry) throws ReflectiveOperationException {
        var colon = entry.lastIndexOf(':');
        var target = member(command, entry.substring(0, colon));
        var field = FieldHandle.of((Field) target.member);
        if (field.get(target.owner) == null) {
            field.set(target.owner, instantiate(entry.substring(colon + 1)));
        }
    }

    private static ArgSpec arg(Object command, Properties model, String prefix) throws ReflectiveOperationException {
        var target = member(command, model.getProperty(prefix + "member"));
        var binding = new Binding(target.owner, target.member);
        // The same calls twice: picocli's ArgSpec.Builder, the base of both builders, is package-private.
        if (!model.containsKey(prefix + "names")) {
            return PositionalParamSpec.builder().index(range(model, prefix, "index"))
                    .arity(range(model, prefix, "arity")).type(type(model.getProperty(prefix + "type")))
                    .auxiliaryTypes(types(model.getProperty(prefix + "aux", model.getProperty(prefix + "type"))))
                    .converters(converters(model.getProperty(prefix + "converters", "")))
                    .paramLabel(model.getProperty(prefix + "paramLabel")).defaultValue(model.getProperty(prefix + "default"))
                    .splitRegex(model.getProperty(prefix + "split", "")).required(flag(model, prefix, "required"))
                    .hidden(flag(model, prefix, "hidden")).getter(binding).setter(binding)
                    .hasInitialValue(false).build();
        }
        var option = OptionSpec.builder(model.getProperty(prefix + "names").split(" "))
                .arity(range(model, prefix, "arity")).type(type(model.getProperty(prefix + "type")))
                .auxiliaryTypes(types(model.getProperty(prefix + "aux", model.getProperty(prefix + "type"))))
                .converters(converters(model.getProperty(prefix + "converters", "")))
                .paramLabel(model.getProperty(prefix + "paramLabel")).defaultValue(model.getProperty(prefix + "default"))
                .splitRegex(model.getProperty(prefix + "split", "")).required(flag(model, prefix, "required"))
                .hidden(flag(model, prefix, "hidden")).getter(binding).setter(binding)
                // No reset to the initial value before parsing: on a new command it would set each
                // field to what it holds, and reflection's first touch of a field costs a few ms.
                .hasInitialValue(false)
                .usageHelp(flag(model, prefix, "usageHelp")).versionHelp(flag(model, prefix, "versionHelp"))
                .negatable(flag(model, prefix, "negatable"))
                .order(Integer.parseInt(model.getProperty(prefix + "order", "-1")));
        var fallback = model.getProperty(prefix + "fallback");
        return (fallback == null ? option : option.fallbackValue(fallback)).build();
    }

    /**
     * An arity or index: as written, or picocli's default for the option's type when the
     * annotation gave none (flag {@code arityUnspecified}, {@code indexUnspecified}), which picocli
     * tells apart: a boolean option of an unspecified arity 0 also takes {@code --flag=true}.
     */
    private static Range range(Properties model, String prefix, String name) {
        var range = range(model.getProperty(prefix + name));
        return flag(model, prefix, name + "Unspecified") ? range.unspecified(true) : range;
    }

    /**
     * {@code Range.valueOf(text)}, without the {@code NumberFormatException} it throws and catches
     * for a {@code *} ({@code 0..*}, a positional's index {@code *}): a stack trace filled in on
     * every run, about 2 ms cold. Other forms are picocli's own parse.
     */
    static Range range(String text) {
        var min = text.equals("*") ? "0" : text.endsWith("..*") ? text.substring(0, text.length() - 3) : "";
        return isSmallNumber(min) ? new Range(Integer.parseInt(min), Integer.MAX_VALUE, true, false, text) : Range.valueOf(text);
    }

    private static boolean isSmallNumber(String text) {
        if (text.isEmpty() || text.length() > 9) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static Class<?>[] types(String names) throws ReflectiveOperationException {
        var types = new Class<?>[count(names)];
        each(names, (i, name) -> types[i] = type(name));
        return types;
    }

    private static ITypeConverter<?>[] converters(String names) throws ReflectiveOperationException {
        var converters = new ITypeConverter<?>[count(names)];
        each(names, (i, name) -> converters[i] = (ITypeConverter<?>) instantiate(name));
        return converters;
    }

    /** What {@link #each} does with the i-th of a list of names. */
    private interface Named {
        void accept(int i, String name) throws ReflectiveOperationException;
    }

    private static int count(String names) {
        return names.isEmpty() ? 0 : names.split(" ").length;
    }

    /** Each name of a space-separated list (empty: none), with its index. */
    private static void each(String names, Named action) throws ReflectiveOperationException {
        if (!names.isEmpty()) {
            var split = names.split(" ");
            for (int i = 0; i < split.length; i++) {
                action.accept(i, split[i]);
            }
        }
    }

    private static boolean flag(Properties model, String prefix, String name) {
        return (" " + model.getProperty(prefix + "flags", "") + " ").contains(" " + name + " ");
    }

    private record Target(Object owner, AccessibleObject member) {}

    /**
     * {@code mixinField.member} or {@code member}: the field or method {@code member} (a method is
     * written {@code name(ParamType)}) of the command, or of the mixin in the command's field.
     */
    private static Target member(Object command, String path) throws ReflectiveOperationException {
        Object owner = command;
        var paren = path.indexOf('(');
        // Only a dot before the parameter list names a mixin: "sort(java.lang.String)" has its own.
        var dot = paren < 0 ? path.indexOf('.') : path.lastIndexOf('.', paren);
        if (dot > 0) {
            var mixin = findField(command.getClass(), path.substring(0, dot));
            owner = FieldHandle.of(mixin).get(command);
            path = path.substring(dot + 1);
            paren = path.indexOf('(');
        }
        if (paren < 0) {
            return new Target(owner, findField(owner.getClass(), path));
        }
        var parameter = type(path.substring(paren + 1, path.length() - 1));
        for (var type = owner.getClass(); type != null; type = type.getSuperclass()) {
            try {
                var method = type.getDeclaredMethod(path.substring(0, paren), parameter);
                method.setAccessible(true);
                return new Target(owner, method);
            } catch (NoSuchMethodException e) {
                // look in the superclass
            }
        }
        throw new NoSuchMethodException(path);
    }

    private static Field findField(Class<?> type, String name) throws NoSuchFieldException {
        for (var t = type; t != null; t = t.getSuperclass()) {
            try {
                var field = t.getDeclaredField(name);
                field.setAccessible(true);
                return field;
            } catch (NoSuchFieldException e) {
                // look in the superclass
            }
        }
        throw new NoSuchFieldException(type.getName() + "." + name);
    }

    private static Object instantiate(String className) throws ReflectiveOperationException {
        var constructor = Class.forName(className).getDeclaredConstructor();
        constructor.setAccessible(true);
        return constructor.newInstance();
    }

    static Class<?> type(String name) throws ClassNotFoundException {
        return switch (name) {
            case "boolean" -> boolean.class;
            case "int" -> int.class;
            case "long" -> long.class;
            case "double" -> double.class;
            case "float" -> float.class;
            case "short" -> short.class;
            case "byte" -> byte.class;
            case "char" -> char.class;
            default -> Class.forName(name);
        };
    }

    /** Sets a field, or calls a setter method and remembers the value, as picocli's own bindings do. */
    private static final class Binding implements IGetter, ISetter {
        private final Object owner;
        private final AccessibleObject member;
        private final FieldHandle field; // null for a method
        private Object last;

        Binding(Object owner, AccessibleObject member) throws IllegalAccessException {
            this.owner = owner;
            this.member = member;
            this.field = member instanceof Field f ? FieldHandle.of(f) : null;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T get() throws IllegalAccessException {
            return (T) (field != null ? field.get(owner) : last);
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T set(T value) throws Exception {
            var old = get();
            if (field != null) {
                field.set(owner, value);
                return (T) old;
            }
            try {
                ((Method) member).invoke(owner, value);
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof PicocliException | e.getCause() instanceof RuntimeException) {
                    throw (RuntimeException) e.getCause();
                }
                throw e;
            }
            last = value;
            return (T) old;
        }
    }
}
