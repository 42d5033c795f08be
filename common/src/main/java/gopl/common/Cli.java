package gopl.common;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * Runs a picocli command with the contract every tool shares: exit 0 on success, 1 on a runtime
 * failure, 2 on a usage error, and one line {@code tool: message} on stderr instead of a stack trace.
 */
public final class Cli {
    /** Exit status of a run that failed at run time ({@code clock: cannot listen on ...}). */
    public static final int FAILURE = 1;
    /** Exit status of a usage error (unknown option, bad value, missing argument). */
    public static final int USAGE = 2;
    /**
     * Exit status of a run cut short by Ctrl-C or a request to cancel, as a shell reports a command
     * ended by SIGINT (128 + 2); see {@link Interrupts}.
     */
    public static final int INTERRUPTED = 130;
    /** The name the tool was started by, when not its own: the release archive's {@code gopl-du}. */
    public static final String COMMAND_PROPERTY = "gopl.command";

    private Cli() {}

    /** The whole body of a tool's {@code main}: runs the command and exits with its status. */
    public static void exit(Object command, String... args) {
        end(printedWithoutModel(command, args) ? 0 : run(command, System.out, System.err, args));
    }

    /**
     * Ends the JVM with the tool's exit status, from {@code main}. On success with no other
     * platform thread left in the tool's thread group it just returns, and the JVM ends as {@code
     * main} returns: the same shutdown hooks, status 0. {@code System.exit} would first have the JDK
     * find its {@code System.Logger} to log the exit (a service lookup on the class path and the
     * logger's bootstrap, about 1 ms at the end of every run). Any other thread may be one that
     * would keep the JVM alive, so then, as for a failure, {@code System.exit}.
     */
    public static void end(int status) {
        if (status != 0 || Thread.activeCount() > 1) {
            System.exit(status);
        }
    }

    /**
     * A lone {@code --help} or {@code --version} answered on stdout before picocli's model is
     * built (the release archive's prerendered help, the jar's version line); whether it was.
     * For a {@code main} that cannot be {@link #exit} alone, as du's.
     */
    public static boolean printedWithoutModel(Object command, String[] args) {
        return PrerenderedHelp.print(args, System.out) || ManifestVersion.print(command, args, System.out);
    }

    /** Runs the command against the given streams and returns its exit status; for tests. */
    public static int run(Object command, PrintStream out, PrintStream err, String... args) {
        return commandLine(command, out, err).execute(args);
    }

    /** The configured picocli command line, for tools that need to adjust it before running. */
    public static CommandLine commandLine(Object command, PrintStream out, PrintStream err) {
        var prebuilt = PrebuiltModel.commandLine(command);
        var cli = prebuilt != null ? prebuilt : new CommandLine(command);
        if (prebuilt != null) {
            // A prebuilt model has no help text of its own: its help is the prerendered one.
            cli.setExecutionStrategy(result -> result.isUsageHelpRequested() && PrerenderedHelp.print(out)
                    ? 0 : new CommandLine.RunLast().execute(result));
        }
        var name = System.getProperty(COMMAND_PROPERTY);
        if (name != null) {
            cli.setCommandName(name);
        }
        cli.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler(Cli::usageError);
        cli.setExecutionExceptionHandler((ex, line, parseResult) -> failure(ex, line));
        return cli;
    }

    private static int usageError(ParameterException ex, String[] args) {
        var line = ex.getCommandLine();
        var tool = line.getCommandSpec().qualifiedName(); // "ftp passwd" for a subcommand
        line.getErr().println(tool + ": " + oneLine(ex.getMessage()) + " (see " + tool + " --help)");
        return USAGE;
    }

    private static int failure(Exception ex, CommandLine line) {
        if (ex instanceof ParameterException usage) {
            return usageError(usage, new String[0]);
        }
        var err = line.getErr();
        err.println(line.getCommandSpec().qualifiedName() + ": " + describe(ex));
        if (System.getenv("GOPL_DEBUG") != null) {
            ex.printStackTrace(err);
        }
        return ex instanceof ToolException failure ? failure.status() : FAILURE;
    }

    /** A user-facing description: our own messages as they are, others with what went wrong. */
    static String describe(Throwable ex) {
        if (ex instanceof UncheckedIOException unchecked) {
            ex = unchecked.getCause();
        }
        if (ex instanceof ToolException) {
            return oneLine(ex.getMessage());
        }
        var message = ex.getMessage();
        if (ex instanceof IOException && message != null) {
            return oneLine(message);
        }
        var kind = ex.getClass().getSimpleName();
        return message == null ? kind : kind + ": " + oneLine(message);
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", "; ");
    }
}
