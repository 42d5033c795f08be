package gopl.common.testing;

import gopl.common.Cli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * A tool's command run in this JVM through {@link Cli#run}, as its {@code main} would run it, with
 * what it prints captured: for the in-process {@code *Test} classes ({@link ToolProcess} runs the jar).
 */
public final class InProcess {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** Runs {@code command} with these arguments and returns its exit status; output adds up over runs. */
    public int run(Object command, String... args) {
        return Cli.run(command, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
    }

    public String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    public String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
