package gopl.dist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A process of a job, its stdout and stderr in files (no pipe to fill up), with a bounded wait. */
record Run(List<String> command, Process process, Path stdoutFile, Path stderrFile) {
    static Run start(List<String> command, Map<String, String> env, Path work, String stdin) throws IOException {
        Files.createDirectories(work);
        var out = Files.createTempFile(work, "run", ".out");
        var err = Files.createTempFile(work, "run", ".err");
        var builder = new ProcessBuilder(command).directory(work.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        var process = builder.start();
        try (var in = process.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        return new Run(command, process, out, err);
    }

    /** Waits for the end, killing the process if it takes longer than the timeout. */
    void finish(long timeoutSeconds) throws InterruptedException {
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    int exitCode() {
        return process.exitValue();
    }

    String stdout() {
        return read(stdoutFile);
    }

    String stderr() {
        return read(stderrFile);
    }

    IllegalStateException failure(String what) {
        return new IllegalStateException(String.join(" ", command) + ": " + what + "; exit "
                + (process.isAlive() ? "none yet" : process.exitValue()) + "\n--- stdout:\n" + stdout()
                + "\n--- stderr:\n" + stderr());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
