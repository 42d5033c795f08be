package gopl.ftp;

import gopl.common.testing.ToolProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The real jar serving a directory on a free port of 127.0.0.1, for the {@code *IT} tests. Its log
 * (stderr) goes to a file, so that nothing needs pumping and the test can read it at any time.
 */
final class JarServer implements FtpUnderTest {
    private static final Pattern LISTENING = Pattern.compile("on 127\\.0\\.0\\.1:(\\d+)");

    private final Process process;
    private final Path log;
    private final int port;
    private String finalLog; // once closed

    private JarServer(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    static JarServer start(Path root, String... options) {
        return start(Map.of(), root, options);
    }

    /** Starts the jar with {@code env} added to its environment (JAVA_TOOL_OPTIONS, say). */
    static JarServer start(Map<String, String> env, Path root, String... options) {
        var args = new ArrayList<>(List.of("-port", "0", "--host", "127.0.0.1", "-root", root.toString()));
        args.addAll(List.of(options));
        try {
            var log = Files.createTempFile("ftp-it-", ".log");
            var builder = new ProcessBuilder(ToolProcess.command(args.toArray(String[]::new)))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(log.toFile());
            builder.environment().putAll(env);
            var process = builder.start();
            return new JarServer(process, log, awaitPort(process, log));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls the log for the "on 127.0.0.1:PORT" line, for at most 30 s. */
    private static int awaitPort(Process process, Path log) throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            var m = LISTENING.matcher(Files.readString(log, StandardCharsets.UTF_8));
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        process.destroyForcibly();
        throw new AssertionError("the server did not start; its log: " + Files.readString(log, StandardCharsets.UTF_8));
    }

    @Override
    public int port() {
        return port;
    }

    /** What the server logged so far, or in all once closed. */
    String log() {
        if (finalLog != null) {
            return finalLog;
        }
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the server with SIGTERM, as a user would, and waits for it. */
    @Override
    public void close() throws InterruptedException, IOException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        finalLog = log();
        Files.deleteIfExists(log);
    }
}
