package gopl.ftp;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A real client program (ftp, curl, lftp, python3) run by a test, skipped when it is not installed. */
final class ExternalClient {
    /** What the program printed (stdout and stderr together) and how it exited. */
    record Output(int exitCode, String text) {}

    private ExternalClient() {}

    static void assumeInstalled(String program) {
        boolean found = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
        assumeTrue(found, program + " is not installed (apt-get install " + program + ")");
    }

    /** Runs {@code command} in {@code dir} with {@code stdin}, for at most 60 s. */
    static Output run(Path dir, String stdin, String... command) throws IOException, InterruptedException {
        var process = new ProcessBuilder(command).redirectErrorStream(true).directory(dir.toFile()).start();
        try (var in = process.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        var text = new StringBuilder();
        var output = Thread.ofVirtual().start(() -> {
            try {
                text.append(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // the process was killed
            }
        });
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in 60 s");
        }
        output.join(Duration.ofSeconds(5));
        return new Output(process.exitValue(), text.toString());
    }
}
