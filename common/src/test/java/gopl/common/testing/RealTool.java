package gopl.common.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The real tool a test compares ours with (wget, curl), run as a child process in a directory
 * with the environment given, and killed if it outlives its time. A test calls
 * {@link #assume(String)} first, so it is skipped with the reason where the tool is missing.
 */
public final class RealTool {
    /** What the tool printed and returned. */
    public record Result(int exitCode, String stdout, String stderr) {}

    private static final long TIMEOUT_SECONDS = 30;

    private RealTool() {}

    /** Skips the calling test unless {@code program} is on the PATH (CI installs it: see .ci/run). */
    public static void assume(String program) {
        assumeTrue(onPath(program), program + " is not installed (apt-get install " + program + ")");
    }

    public static boolean onPath(String program) {
        var path = System.getenv().getOrDefault("PATH", "");
        for (var dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /** Runs the command in {@code dir} (created if missing) with the proxy variables of this JVM cleared, then {@code env}. */
    public static Result run(Path dir, Map<String, String> env, List<String> command) {
        try {
            Files.createDirectories(dir);
            var builder = new ProcessBuilder(command).directory(dir.toFile());
            for (var name : List.of("http_proxy", "https_proxy", "all_proxy", "no_proxy", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")) {
                builder.environment().remove(name);
            }
            builder.environment().putAll(env);
            var process = builder.start();
            process.getOutputStream().close();
            var out = CompletableFuture.supplyAsync(() -> drain(process.getInputStream()));
            var err = CompletableFuture.supplyAsync(() -> drain(process.getErrorStream()));
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command + " took more than " + TIMEOUT_SECONDS + " s");
            }
            return new Result(process.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    public static Result run(Path dir, List<String> command) {
        return run(dir, Map.of(), command);
    }

    /** The arguments as a command line of strings. */
    public static List<String> command(Object... args) {
        var command = new ArrayList<String>();
        for (var arg : args) {
            command.add(arg.toString());
        }
        return command;
    }

    private static String drain(InputStream in) {
        var bytes = new ByteArrayOutputStream();
        try (in) {
            in.transferTo(bytes);
        } catch (IOException e) {
            // The process is gone: what came is what there is.
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
