package gopl.common.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tool's real jar run as a child process, for end-to-end tests ({@code *IT}): the JVM is the
 * one running the tests, the jar is the module's {@code target/<module>.jar} (system property
 * {@code tool.jar}, set by the parent pom).
 */
public final class ToolProcess implements AutoCloseable {
    /** What a finished run printed and returned. */
    public record Result(int exitCode, String stdout, String stderr) {}

    private final Process process;
    private final BlockingQueue<String> stdoutLines = new LinkedBlockingQueue<>();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final Thread stdoutPump;
    private final Thread stderrPump;

    private ToolProcess(Process process) {
        this.process = process;
        stdoutPump = Thread.ofVirtual().start(() -> pumpLines(process.getInputStream(), stdoutLines));
        stderrPump = Thread.ofVirtual().start(() -> pump(process.getErrorStream(), stderr));
    }

    /** The jar under test. */
    public static Path jar() {
        var jar = System.getProperty("tool.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("no tool jar at " + jar + ": run the tests with mvn verify");
        }
        return Path.of(jar);
    }

    /**
     * The start of a command line that runs a JVM, the one running the tests, with SIGINT at its
     * default. A process started from a background job (a CI runner, {@code nohup ... &}) inherits
     * SIGINT ignored, and the JVM then rightly keeps ignoring it, so a Ctrl-C test would wait in
     * vain; GNU env's {@code --default-signal} (coreutils 8.31 and later) restores it before it
     * execs the JVM, which keeps env's process id.
     */
    public static List<String> java() {
        var java = ProcessHandle.current().info().command().orElse("java");
        return ENV_RESETS_SIGNALS ? List.of("env", "--default-signal=INT", java) : List.of(java);
    }

    private static final boolean ENV_RESETS_SIGNALS = envResetsSignals();

    /**
     * Whether a SIGINT sent to a tool started by {@link #java()} reaches it: it does unless this
     * JVM ignores SIGINT and env cannot restore it. Ctrl-C tests assume it ({@link #sendInterrupt}
     * does), so that they are skipped with the reason instead of waiting for an exit that never comes.
     */
    public static boolean sigintReachesTools() {
        return ENV_RESETS_SIGNALS || !sigintIgnoredHere();
    }

    private static boolean sigintIgnoredHere() {
        try {
            for (var line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:")) {
                    return new java.math.BigInteger(line.substring(7).strip(), 16).testBit(1); // SIGINT is 2
                }
            }
        } catch (IOException e) {
            // Not Linux: nothing to tell.
        }
        return false;
    }

    private static boolean envResetsSignals() {
        try {
            var env = new ProcessBuilder("env", "--default-signal=INT", "true")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return env.waitFor(30, TimeUnit.SECONDS) && env.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The command line that runs the jar under test with these arguments. */
    public static List<String> command(String... args) {
        return command(List.of(), args);
    }

    /** The command line that runs the jar under test in a JVM with these options ({@code -Xmx64m}). */
    public static List<String> command(List<String> jvmOptions, String... args) {
        var command = new ArrayList<String>(java());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar().toString());
        command.addAll(List.of(args));
        return command;
    }

    /** Starts the tool; its stdin stays open until {@link #closeStdin()}. */
    public static ToolProcess start(String... args) {
        return start(List.of(), args);
    }

    /** Starts the tool in a JVM with these options; its stdin stays open until {@link #closeStdin()}. */
    public static ToolProcess start(List<String> jvmOptions, String... args) {
        try {
            return new ToolProcess(new ProcessBuilder(command(jvmOptions, args)).start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the tool to completion with the given stdin, failing the test after the timeout. */
    public static Result run(Duration timeout, byte[] stdin, String... args) {
        try (var tool = start(args)) {
            tool.process.getOutputStream().write(stdin);
            tool.closeStdin();
            return tool.waitFor(timeout);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Result run(String... args) {
        return run(Duration.ofSeconds(30), new byte[0], args);
    }

    /** Runs the tool with {@code args} (split on spaces): a usage error is exit 2 and one line starting with {@code message}. */
    public static void assertUsageError(String args, String message) {
        var result = run(args.split(" "));
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr().lines()).singleElement().asString().startsWith(message);
    }

    /**
     * {@code --help} prints the usage of {@code tool} mentioning each of {@code options}, and
     * {@code --version} prints {@code tool 0.1.0 (Java 25)}; both exit 0.
     */
    public static void assertHelpAndVersion(String tool, String... options) {
        var help = run("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.stdout()).startsWith("Usage: " + tool).contains(options);
        var version = run("--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.stdout()).matches(tool + " \\d+\\.\\d+\\.\\d+ \\(Java \\d+\\)\\n");
    }

    /** Runs the server {@code tool} with {@code -port} taken by another socket: one line, exit 1. */
    public static void assertPortInUse(String tool, String... moreArgs) throws IOException {
        try (var taken = new ServerSocket(0, 50, InetAddress.getByName("localhost"))) {
            var args = new ArrayList<>(List.of("-port", String.valueOf(taken.getLocalPort())));
            args.addAll(List.of(moreArgs));
            var result = run(args.toArray(String[]::new));
            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.stderr()).isEqualTo(
                    tool + ": cannot listen on localhost:" + taken.getLocalPort() + ": Address already in use\n");
        }
    }

    public Process process() {
        return process;
    }

    /** The next line the tool prints on stdout, or null if none comes within the timeout. */
    public String nextLine(Duration timeout) throws InterruptedException {
        return stdoutLines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public void closeStdin() throws IOException {
        process.getOutputStream().close();
    }

    /** Waits for the exit; what stdout printed that nextLine did not take is in the result. */
    public Result waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("tool did not exit within " + timeout + "; stderr: " + stderrText());
            }
            // The pumps end at the end of the streams; a child the tool left running could hold them open.
            joinPump(stdoutPump, "stdout");
            joinPump(stderrPump, "stderr");
            var out = new StringBuilder();
            for (String line; (line = stdoutLines.poll()) != null; ) {
                out.append(line).append('\n');
            }
            return new Result(process.exitValue(), out.toString(), stderrText());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private void joinPump(Thread pump, String stream) throws InterruptedException {
        if (!pump.join(Duration.ofSeconds(10))) {
            throw new AssertionError("the tool's " + stream + " stayed open after it exited; stderr: " + stderrText());
        }
    }

    /**
     * Waits until the tool's stderr matches {@code pattern} (a server saying where it listens) and
     * returns the match; fails the test with what stderr said if it does not within the timeout.
     */
    public Matcher awaitStderr(Pattern pattern, Duration timeout) {
        var found = new AtomicReference<Matcher>();
        BooleanSupplier matched = () -> {
            var matcher = pattern.matcher(stderrText());
            return matcher.find() && found.compareAndSet(null, matcher) || found.get() != null;
        };
        try {
            Eventually.eventually(timeout, () -> matched.getAsBoolean() || !process.isAlive());
        } catch (AssertionError timedOut) {
            // Said below, with what stderr holds now.
        }
        if (found.get() == null && !matched.getAsBoolean()) {
            var state = process.isAlive() ? "within " + timeout.toMillis() + " ms" : "before it exited " + process.exitValue();
            throw new AssertionError("stderr did not match " + pattern + " " + state + "; it said: " + stderrText());
        }
        return found.get();
    }

    public String stderrText() {
        synchronized (stderr) {
            return stderr.toString(StandardCharsets.UTF_8);
        }
    }

    /** Sends SIGINT, as Ctrl-C on a terminal does; skips the test where it could not arrive. */
    public void sendInterrupt() {
        assumeTrue(sigintReachesTools(), "SIGINT is ignored here and env --default-signal is missing");
        signal("INT");
    }

    /**
     * Sends SIGTERM and waits for the exit. Unlike {@link Process#destroy()}, this leaves our end of
     * the tool's stdout and stderr open, so what it prints while shutting down can still be read.
     */
    public Result terminate(Duration timeout) {
        signal("TERM");
        return waitFor(timeout);
    }

    private void signal(String name) {
        try {
            new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    private static void pumpLines(InputStream in, BlockingQueue<String> lines) {
        try (var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                lines.add(line);
            }
        } catch (IOException ignored) {
            // The process ended.
        }
    }

    private void pump(InputStream in, ByteArrayOutputStream sink) {
        var buffer = new byte[8192];
        try (in) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                synchronized (sink) {
                    sink.write(buffer, 0, n);
                }
            }
        } catch (IOException ignored) {
            // The process ended.
        }
    }
}
