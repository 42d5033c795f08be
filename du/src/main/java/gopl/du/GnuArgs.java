package gopl.du;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.TreeMap;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * The command line as glibc's getopt_long reads it for GNU du, turned into a form picocli reads
 * one way only: clusters ({@code -ahd1}), attached and separate values ({@code -d1}, {@code -d 1},
 * {@code -t-1M}), abbreviated long options ({@code --max=1}, {@code --sum}), {@code --time}'s
 * optional argument (only ever {@code --time=WORD}), options after operands, {@code --}, and
 * GNU's wording for every mistake. The options come from the picocli model, so there is one list.
 * Where one of our own long options makes a GNU abbreviation ambiguous ({@code --v}: --verbose or
 * --version), GNU's option wins, so that every command line GNU du accepts means the same here.
 */
final class GnuArgs {
    /** GNU du's own long options; the others are ours. */
    private static final Set<String> GNU = Set.of("all", "apparent-size", "block-size", "bytes", "count-links",
            "dereference", "dereference-args", "exclude", "exclude-from", "files0-from", "human-readable", "inodes",
            "si", "max-depth", "null", "no-dereference", "one-file-system", "separate-dirs", "summarize", "total",
            "threshold", "time", "time-style", "help", "version");
    /**
     * Values no command line can hold (it cannot hold NUL): for an empty value, which picocli
     * would drop, and for no value at all ({@code --time} rather than {@code --time=WORD}).
     */
    private static final String EMPTY = "\0", ABSENT = "\0\0";

    private enum Takes { NOTHING, VALUE, OPTIONAL_VALUE }

    private record Option(String canonical, String shortName, Takes takes) {}

    private final CommandSpec spec;
    private final BiConsumer<String, String> spellings;
    private final Map<Character, Option> shorts = new HashMap<>();
    private final Map<String, Option> longs = new TreeMap<>();
    private final Map<String, Option> bookSpellings = new HashMap<>(); // -interval, -help: exact only

    private GnuArgs(CommandSpec spec, BiConsumer<String, String> spellings) {
        this.spec = spec;
        this.spellings = spellings;
        for (OptionSpec o : spec.options()) {
            var takes = o.arity().max() == 0 ? Takes.NOTHING : o.arity().min() == 0 ? Takes.OPTIONAL_VALUE : Takes.VALUE;
            String shortName = null, longName = null;
            for (var name : o.names()) {
                if (name.length() == 2 && name.charAt(0) == '-') {
                    shortName = name;
                } else if (name.startsWith("--") && longName == null) {
                    longName = name;
                }
            }
            var option = new Option(longName != null ? longName : shortName, shortName, takes);
            for (var name : o.names()) {
                if (name.length() == 2 && name.charAt(0) == '-') {
                    shorts.put(name.charAt(1), option);
                } else if (name.startsWith("--")) {
                    longs.put(name.substring(2), option);
                } else {
                    bookSpellings.put(name, option);
                }
            }
        }
    }

    /**
     * The arguments, each option as {@code --name} or {@code --name=VALUE} (to be read back with
     * {@link #value}), then {@code --} and the operands. For every option with a value, in order,
     * {@code spellings} receives its canonical name and the name as typed ({@code -t} or
     * {@code --threshold}), since GNU du's messages about a bad value name the option so.
     */
    static List<String> normalize(CommandSpec spec, String[] args, boolean posixlyCorrect,
            BiConsumer<String, String> spellings) {
        return new GnuArgs(spec, spellings).read(args, posixlyCorrect);
    }

    /** An option's value as typed: {@code ""} for an empty one, null for none ({@code --time}). */
    static String value(String normalized) {
        return normalized.equals(ABSENT) ? null : normalized.equals(EMPTY) ? "" : normalized;
    }

    private static String encode(String value) {
        return value == null ? ABSENT : value.isEmpty() ? EMPTY : value;
    }

    private List<String> read(String[] args, boolean posixlyCorrect) {
        var options = new ArrayList<String>();
        var operands = new ArrayList<String>();
        for (int i = 0; i < args.length; i++) {
            var arg = args[i];
            if (arg.equals("--")) {
                operands.addAll(List.of(args).subList(i + 1, args.length));
                break;
            } else if (bookSpelling(arg) != null) {
                i = bookOption(arg, args, i, options);
            } else if (arg.startsWith("--")) {
                i = longOption(arg, args, i, options);
            } else if (arg.startsWith("-") && arg.length() > 1) {
                i = shortOptions(arg, args, i, options);
            } else if (posixlyCorrect) {
                operands.addAll(List.of(args).subList(i, args.length));
                break;
            } else {
                operands.add(arg);
            }
        }
        options.add("--");
        options.addAll(operands);
        return options;
    }

    private Option bookSpelling(String arg) {
        int equals = arg.indexOf('=');
        return bookSpellings.get(equals < 0 ? arg : arg.substring(0, equals));
    }

    private int bookOption(String arg, String[] args, int i, List<String> out) {
        int equals = arg.indexOf('=');
        var option = bookSpelling(arg);
        var name = equals < 0 ? arg : arg.substring(0, equals);
        String value = equals < 0 ? null : arg.substring(equals + 1);
        return take(option, name, value, args, i, out);
    }

    private int longOption(String arg, String[] args, int i, List<String> out) {
        int equals = arg.indexOf('=');
        var name = equals < 0 ? arg.substring(2) : arg.substring(2, equals);
        String value = equals < 0 ? null : arg.substring(equals + 1);
        var option = longs.get(name);
        if (option == null) {
            var candidates = longs.keySet().stream().filter(n -> n.startsWith(name)).toList();
            var gnu = candidates.stream().filter(GNU::contains).toList();
            if (candidates.isEmpty()) {
                throw usage("unrecognized option '" + arg + "'");
            } else if (candidates.size() == 1 || gnu.size() == 1) {
                option = longs.get(candidates.size() == 1 ? candidates.getFirst() : gnu.getFirst());
            } else {
                var possibilities = new StringBuilder();
                candidates.forEach(c -> possibilities.append(" '--").append(c).append("'"));
                throw usage("option '" + arg + "' is ambiguous; possibilities:" + possibilities);
            }
        }
        return take(option, option.canonical(), value, args, i, out);
    }

    /** An option matched by a long (or book) name, with its value if it needs or allows one. */
    private int take(Option option, String spelled, String value, String[] args, int i, List<String> out) {
        switch (option.takes()) {
            case NOTHING -> {
                if (value != null) {
                    throw usage("option '" + spelled + "' doesn't allow an argument");
                }
                out.add(option.canonical());
            }
            case OPTIONAL_VALUE -> {
                spellings.accept(option.canonical(), spelled);
                out.add(option.canonical() + "=" + encode(value));
            }
            case VALUE -> {
                if (value == null) {
                    if (i + 1 == args.length) {
                        throw usage("option '" + spelled + "' requires an argument");
                    }
                    value = args[++i];
                }
                spellings.accept(option.canonical(), spelled);
                out.add(option.canonical() + "=" + encode(value));
            }
        }
        return i;
    }

    private int shortOptions(String arg, String[] args, int i, List<String> out) {
        for (int at = 1; at < arg.length(); at++) {
            char c = arg.charAt(at);
            var option = shorts.get(c);
            if (option == null) {
                throw usage("invalid option -- '" + c + "'");
            }
            if (option.takes() == Takes.NOTHING) {
                out.add(option.canonical());
                continue;
            }
            String value;
            if (at + 1 < arg.length()) {
                value = arg.substring(at + 1);
            } else if (option.takes() == Takes.OPTIONAL_VALUE) {
                value = null;
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw usage("option requires an argument -- '" + c + "'");
            }
            spellings.accept(option.canonical(), option.shortName());
            out.add(option.canonical() + "=" + encode(value));
            break;
        }
        return i;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
