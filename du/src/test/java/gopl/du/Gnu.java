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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** GNU du and the shell, run for real: the reference our numbers must equal, and a way to make odd trees. */
final class Gnu {
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

    /** GNU {@code du -s} with these arguments. */
    static Run du(Object... args) {
        var command = new ArrayList<String>(List.of("du", "-s"));
        for (var arg : args) {
            command.add(arg.toString());
        }
        return run(command);
    }

    /** Our du, in process, with these arguments. */
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
        int status = gopl.common.Cli.run(command, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), strings);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Asserts that ours prints exactly what GNU du -s prints, with the same exit status. */
    static void assertSame(Object... args) {
        var gnu = du(args);
        var ours = ours(args);
        assertThat(ours.stdout()).as("stdout of du -s %s", List.of(args)).isEqualTo(gnu.stdout());
        assertThat(ours.exitCode()).as("exit status; stderr: %s", ours.stderr()).isEqualTo(gnu.exitCode());
    }

    /** Runs a shell script in a directory: for names Java cannot spell, and trees deeper than PATH_MAX. */
    static void sh(Path dir, String script) {
        var command = new ArrayList<String>(List.of("sh", "-euc", script));
        var result = run(command, dir);
        assertThat(result.exitCode()).as("sh: %s; stderr: %s", script, result.stderr()).isZero();
    }

    static Run run(List<String> command) {
        return run(command, null);
    }

    private static Run run(List<String> command, Path dir) {
        try {
            var builder = new ProcessBuilder(command);
            if (dir != null) {
                builder.directory(dir.toFile());
            }
            var process = builder.start();
            process.getOutputStream().close();
            var err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            var out = readAll(process.getInputStream());
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command + " did not finish within 60s");
            }
            return new Run(process.exitValue(), out, err.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
