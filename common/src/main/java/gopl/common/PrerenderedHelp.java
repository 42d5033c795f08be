package gopl.common;

import java.io.IOException;
import java.io.PrintStream;
import picocli.CommandLine.Help.Ansi;

/**
 * {@code --help} without building the picocli model, which costs more than the JVM's whole
 * start (annotation proxies, reflection, text layout): the release archive's build renders each
 * tool's help, plain and in colour, into its jar under {@code META-INF/gopl/help/}, and this prints
 * it. Used only when the launcher named the command ({@code -Dgopl.command}), the text was rendered
 * for that name, and the arguments are just the help option; otherwise picocli renders as usual.
 */
public final class PrerenderedHelp {
    /** Where the archive's build puts the text: {@code META-INF/gopl/help/gopl-du.txt} (and {@code .ansi}). */
    public static final String DIRECTORY = "META-INF/gopl/help/";
    /** {@code -Dgopl.prerendered.help=false} renders with picocli, for tests that compare the two. */
    public static final String SWITCH = "gopl.prerendered.help";

    private PrerenderedHelp() {}

    /**
     * Prints the prerendered help if the arguments are just the help option; returns whether it did.
     * {@link Cli#exit} calls it, and so does a tool whose {@code main} reads its arguments itself
     * (du: GNU's option syntax).
     */
    public static boolean print(String[] args, PrintStream out) {
        return args.length == 1 && (args[0].equals("--help") || args[0].equals("-help")) && print(out);
    }

    /** Prints the prerendered help and returns true, or returns false if there is none to print. */
    static boolean print(PrintStream out) {
        var name = System.getProperty(Cli.COMMAND_PROPERTY);
        if (name == null || "false".equals(System.getProperty(SWITCH))) {
            return false;
        }
        // Colour exactly when picocli would use it (a terminal, no NO_COLOR, ...). String.join, not
        // +: a + is an invokedynamic whose bootstrap spins a class at run time (a few ms) unless the
        // tool's AOT cache was trained on --help, and the caches are trained on the tools' jobs.
        var entry = String.join("", DIRECTORY, name, Ansi.AUTO.enabled() ? ".ansi" : ".txt");
        try {
            var text = StartJar.read(PrerenderedHelp.class, entry);
            if (text == null) {
                return false;
            }
            out.write(text);
            out.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
