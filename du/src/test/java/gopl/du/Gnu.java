package gopl.du;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/** GNU du and the shell, run for real: the reference our output must equal, and a way to make odd trees. */
final class Gnu {
    /** A run's exit status and output; stdout as Latin-1, one char per byte, since names need not be UTF-8. */
    record Run(int exitCode, String stdout, String stderr) {}

    private static Boolean available;

    private Gnu() {}

    /** Skips the calling test, with the reason, where GNU du is not installed (apt-get install coreutils). */
    static synchronized void assumeDu() {
        if (available == null) {
            try {
                available = run(List.of("du", "--version")).stdout().contains("GNU coreutils");
            } catch (UncheckedIOException e) {
                available = false;
            }
        }
        assumeTrue(available, "GNU du (coreutils) is not installed");
    }

    /** Skips the calling test where a program is missing. */
    static void assume(String program, String debianPackage) {
        var found = run(List.of("sh", "-c", "command -v " + program)).exitCode() == 0;
        assumeTrue(found, program + " is not installed (apt-get install " + debianPackage + ")");
    }

    /** GNU du with these arguments, in this JVM's time zone (so that --time prints what ours prints in process). */
    static Run du(Object... args) {
        var command = new ArrayList<>(List.of("du"));
        for (var arg : args) {
            command.add(arg.toString());
        }
        return run(command, null, Map.of("TZ", ZoneId.systemDefault().getId()));
    }

    /** Our du, in process, with these arguments, as its main would run it. */
    static Run ours(Object... args) {
        return ours(new DuCommand(), args);
    }

    static Run ours(DuCommand command, Object... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        var strings = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            strings[i] = args[i].toString();
        }
        int status = DuCommand.run(command, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), strings);
        return new Run(status, out.toString(StandardCharsets.ISO_8859_1), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * Asserts that ours prints exactly what GNU du prints, byte for byte, with the same warnings
     * and exit status.
     */
    static void assertSame(Object... args) {
        assertSame(new DuCommand(), args);
    }

    static void assertSame(DuCommand command, Object... args) {
        var gnu = du(args);
        var died = new ConcurrentLinkedQueue<String>(); // a walker that dies leaves no trace in the output
        var previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> died.add(thread.getName() + ": " + e));
        Run ours;
        try {
            ours = ours(command, args);
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(previous);
        }
        assertThat(died).as("threads that died in du %s", List.of(args)).isEmpty();
        assertThat(ours.stdout()).as("stdout of du %s", List.of(args)).isEqualTo(gnu.stdout());
        assertThat(ours.stderr()).as("stderr of du %s", List.of(args)).isEqualTo(gnu.stderr());
        assertThat(ours.exitCode()).as("exit status of du %s", List.of(args)).isEqualTo(gnu.exitCode());
    }

    /** Runs a shell script in a directory: for names Java cannot spell, and trees deeper than PATH_MAX. */
    static void sh(Path dir, String script) {
        var result = run(List.of("sh", "-euc", script), dir, Map.of());
        assertThat(result.exitCode()).as("sh: %s; stderr: %s", script, result.stderr()).isZero();
    }

    static Run run(List<String> command) {
        return run(command, null, Map.of());
    }

    static Run run(List<String> command, Path dir, Map<String, String> env) {
        try {
            var builder = new ProcessBuilder(command);
            if (dir != null) {
                builder.directory(dir.toFile());
            }
            builder.environment().putAll(env);
            var process = builder.start();
            process.getOutputStream().close();
            var err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            var out = readAll(process.getInputStream());
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command + " did not finish within 60s");
            }
            return new Run(process.exitValue(), new String(out, StandardCharsets.ISO_8859_1),
                    new String(err.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
