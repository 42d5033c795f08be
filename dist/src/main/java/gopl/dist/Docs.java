package gopl.dist;

import gopl.common.Cli;
import gopl.common.PrerenderedHelp;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.asciidoctor.Asciidoctor;
import org.asciidoctor.Options;
import org.asciidoctor.SafeMode;
import org.asciidoctor.log.Severity;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Completion scripts and man pages, made from each tool's picocli model when the archive is
 * built, so a new option gets both without anyone writing them.
 *
 * <p>Man pages: picocli-codegen's ManPageGenerator writes AsciiDoc; AsciidoctorJ (from Maven
 * Central, like everything the build needs) turns it into troff. That needs no Ruby or Debian
 * asciidoctor on the build machine, and unlike troff of our own it escapes what groff needs.
 */
final class Docs implements AutoCloseable {
    private static final Pattern CUSTOM_SYNOPSIS =
            Pattern.compile("(?s)(== Synopsis\\n\\n)(?!\\*)(.*?)(\\n\\n// end::picocli-generated-man-section-synopsis)");

    private final Asciidoctor asciidoctor = Asciidoctor.Factory.create();
    private final List<String> warnings = new ArrayList<>();
    private final String readme;

    Docs(String readme) {
        this.readme = readme;
        // AsciiDoc that Asciidoctor has to guess at renders wrong in silence: fail the build instead.
        asciidoctor.registerLogHandler(record -> {
            if (record.getSeverity().ordinal() >= Severity.WARN.ordinal()) {
                warnings.add(record.getSeverity() + ": " + record.getMessage());
            }
        });
    }

    /** The tool's command line as users run it from the archive, named {@code gopl-<tool>}. */
    static CommandLine commandLine(Tool tool) throws ReflectiveOperationException {
        var command = Class.forName(tool.mainClass()).getDeclaredConstructor().newInstance();
        var line = Cli.commandLine(command, new PrintStream(PrintStream.nullOutputStream()), System.err);
        line.setCommandName(tool.command());
        return line;
    }

    /**
     * The tool's {@code --help}, plain and in colour, as picocli renders it for {@code gopl-<tool>}:
     * jar entries for {@link PrerenderedHelp}, which prints them without building the model.
     */
    static Map<String, byte[]> prerenderedHelp(Tool tool) throws ReflectiveOperationException {
        var entries = new LinkedHashMap<String, byte[]>();
        for (var ansi : List.of(Ansi.OFF, Ansi.ON)) {
            for (var option : List.of("--help", "-help")) {
                var line = commandLine(tool);
                var text = new StringWriter();
                line.setOut(new PrintWriter(text));
                line.setColorScheme(CommandLine.Help.defaultColorScheme(ansi));
                if (line.execute(option) != 0 || !line.isUsageHelpRequested()) {
                    throw new IllegalStateException(tool.name() + ": " + option + " is not its help option");
                }
                var name = PrerenderedHelp.DIRECTORY + tool.command() + (ansi == Ansi.ON ? ".ansi" : ".txt");
                var bytes = text.toString().getBytes(StandardCharsets.UTF_8);
                var other = entries.putIfAbsent(name, bytes);
                if (other != null && !Arrays.equals(other, bytes)) {
                    throw new IllegalStateException(tool.name() + ": --help and -help print different help");
                }
            }
        }
        return entries;
    }

    /** picocli's bash completion script; it also runs in zsh, through bashcompinit. */
    static String bashCompletion(Tool tool, CommandLine line) {
        return AutoComplete.bash(tool.command(), line);
    }

    /**
     * zsh's form: a {@code #compdef} function file for site-functions. The first completion runs
     * it: it defines picocli's functions, registers them with bashcompinit for later calls, and
     * completes this first one through them.
     */
    static String zshCompletion(Tool tool, String bash) {
        return "#compdef " + tool.command() + "\n"
                + "# zsh completion for " + tool.command() + ": picocli's generated script, through zsh's bashcompinit.\n"
                + bash.replaceFirst("^#!.*\\n", "")
                + "\n_bash_complete -F _complete_" + tool.command() + "\n";
    }

    /** The man page, troff for section 1, with the README's examples. */
    String manPage(Tool tool, CommandLine line) {
        var adoc = new StringWriter();
        try (var out = new PrintWriter(adoc)) {
            ManPageGenerator.writeSingleManPage(out, line.getCommandSpec());
        }
        var text = adoc.toString().replace("*, ::", "*::")
                .replaceFirst("(?m)^:manmanual: .*$", ":manmanual: gopl-tools Manual") + examples(tool);
        // A custom synopsis is plain text, and a line of it may start with "[PORT...]", which
        // AsciiDoc would take for an attribute list: a literal block keeps it as written.
        text = CUSTOM_SYNOPSIS.matcher(text).replaceFirst("$1....\n$2\n....$3");
        var page = asciidoctor.convert(text, Options.builder().backend("manpage").standalone(true)
                .safe(SafeMode.SAFE).build());
        if (!warnings.isEmpty()) {
            throw new IllegalStateException(tool.command() + ".1: " + warnings);
        }
        return page;
    }

    private String examples(Tool tool) {
        List<String> examples = Examples.of(readme, tool.name());
        if (examples.isEmpty()) {
            return "";
        }
        var section = new StringBuilder("\n== Examples\n\n");
        for (var example : examples) {
            section.append("----\n").append(example).append("\n----\n\n");
        }
        return section.toString();
    }

    static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    @Override
    public void close() {
        asciidoctor.shutdown();
    }
}
