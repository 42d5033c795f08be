package gopl.common;

import java.io.PrintStream;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code --version}: the tool's name and the Implementation-Version of the jar it runs from. */
public final class ManifestVersion implements IVersionProvider {
    @Spec
    CommandSpec spec;

    @Override
    public String[] getVersion() {
        return new String[] {line(spec.name(), spec.userObject().getClass())};
    }

    /** {@code gopl-du 0.1.0 (Java 25)}: the name, the version of the command's jar, the Java feature release. */
    static String line(String name, Class<?> command) {
        var version = command.getPackage().getImplementationVersion();
        var runtime = "Java " + Runtime.version().feature();
        return name + " " + (version == null ? "(development build)" : version) + " (" + runtime + ")";
    }

    /**
     * Prints the version line if the arguments are just {@code --version} and the launcher named
     * the command ({@code -Dgopl.command}); returns whether it did. Like {@link PrerenderedHelp},
     * it answers without building the picocli model, which would cost as much CPU as the JVM's
     * whole start. Every tool's version provider is this class (the archive's build checks it).
     */
    public static boolean print(Object command, String[] args, PrintStream out) {
        var name = System.getProperty(Cli.COMMAND_PROPERTY);
        if (args.length != 1 || !args[0].equals("--version") || name == null) {
            return false;
        }
        out.println(line(name, command.getClass()));
        out.flush();
        return true;
    }
}
