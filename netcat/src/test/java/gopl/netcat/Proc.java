package gopl.netcat;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import gopl.common.testing.ToolProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A netcat, ours or a real one (OpenBSD nc, ncat, openssl), run as a process for the differential
 * tests: stdin written by the test, stdout kept as bytes, stderr as lines that can be waited for,
 * so a test synchronises on what a tool says ({@code Listening on localhost 41234}), never on time.
 */
final class Proc implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** What a finished run left. */
    record Result(int status, byte[] out, String err) {
        String text() {
            return new String(out, UTF_8);
        }
    }

    private final Process process;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final StringBuilder err = new StringBuilder();
    private final BlockingQueue<String> errLines = new LinkedBlockingQueue<>();
    private final Thread outPump;
    private final Thread errPump;

    private Proc(List<String> command) {
        try {
            process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        outPump = Thread.ofVirtual().start(() -> pump(process.getInputStream()));
        errPump = Thread.ofVirtual().start(this::pumpLines);
    }

    /** Our netcat, the jar under test. */
    static Proc ours(String... args) {
        return new Proc(ToolProcess.command(args));
    }

    /** A real tool by name, skipping the test (with the reason) when it is not installed. */
    static Proc real(String tool, String... args) {
        assumeInstalled(tool);
        var command = new ArrayList<>(List.of(tool));
        command.addAll(List.of(args));
        return new Proc(command);
    }

    /** Skips the calling test unless {@code tool} is on the PATH (and nc is OpenBSD's, whose behaviour we copy). */
    static void assumeInstalled(String tool) {
        boolean found = Arrays.stream(System.getenv("PATH").split(":")).anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
        assumeTrue(found, tool + " is not installed (Debian: netcat-openbsd, ncat, openssl)");
        if (tool.equals("nc")) {
            var help = new Proc(List.of("nc", "-h")).finish(TIMEOUT);
            assumeTrue(help.err().contains("OpenBSD netcat"), "nc is not OpenBSD netcat (Debian: netcat-openbsd)");
        }
    }

    Proc write(String text) {
        return write(text.getBytes(UTF_8));
    }

    Proc write(byte[] bytes) {
        try {
            process.getOutputStream().write(bytes);
            process.getOutputStream().flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Proc closeStdin() {
        try {
            process.getOutputStream().close();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for a stderr line matching {@code regex} and gives its match; fails the test after the timeout. */
    Matcher awaitErr(String regex) throws InterruptedException {
        var pattern = Pattern.compile(regex);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            var line = errLines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("no stderr line like " + regex + " within " + TIMEOUT + "; stderr: " + errText());
            }
            var matcher = pattern.matcher(line);
            if (matcher.find()) {
                return matcher;
            }
        }
    }

    /** Waits for the port in nc's {@code Listening on HOST PORT} or {@code Bound on HOST PORT}. */
    int awaitPort() throws InterruptedException {
        return Integer.parseInt(awaitErr("(?:Listening|Bound) on \\S+ (\\d+)$").group(1));
    }

    /** Waits until stdout holds at least {@code n} bytes, and gives them all. */
    byte[] awaitOut(int n) throws InterruptedException {
        return awaitOut(bytes -> bytes.length >= n, n + " bytes");
    }

    /** Waits until stdout, read as text, has a match for {@code regex}, and gives the match. */
    Matcher awaitOut(String regex) throws InterruptedException {
        var pattern = Pattern.compile(regex);
        var text = new String(awaitOut(bytes -> pattern.matcher(new String(bytes, UTF_8)).find(), regex), UTF_8);
        var matcher = pattern.matcher(text);
        matcher.find();
        return matcher;
    }

    private byte[] awaitOut(Predicate<byte[]> done, String what) throws InterruptedException {
        synchronized (out) {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!done.test(out.toByteArray())) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new AssertionError("stdout never had " + what + ": " + out.toString(UTF_8) + "; stderr: " + errText());
                }
                out.wait(left);
            }
            return out.toByteArray();
        }
    }

    /** The real tool's run against ours: the same stdout bytes and exit status, and nc's stderr with our name. */
    static void assertSame(Result ours, Result theirs) {
        assertThat(ours.err()).isEqualTo(asOurs(theirs.err()));
        assertThat(ours.text()).isEqualTo(theirs.text());
        assertThat(ours.out()).isEqualTo(theirs.out());
        assertThat(ours.status()).as("exit status").isEqualTo(theirs.status());
    }

    /** nc's stderr as ours words it: {@code nc: } becomes {@code netcat: }. */
    static String asOurs(String ncStderr) {
        return ncStderr.replaceAll("(?m)^nc: ", "netcat: ");
    }

    /** Reads a socket up to a newline, skipping NUL bytes (the tail of a flood of zeros still on its way). */
    static String readLine(Socket socket) throws IOException {
        var line = new StringBuilder();
        for (int c; (c = socket.getInputStream().read()) >= 0; ) {
            if (c != 0) {
                line.append((char) c);
            }
            if (c == '\n') {
                break;
            }
        }
        return line.toString();
    }

    /** Runs to the end with this stdin. */
    Result run(byte[] stdin) {
        write(stdin);
        return finish(TIMEOUT);
    }

    /** Closes stdin, waits for the exit, and gives everything. */
    Result finish(Duration timeout) {
        closeStdin();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("did not exit within " + timeout + "; stderr: " + errText());
            }
            outPump.join(timeout);
            errPump.join(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return result();
    }

    /** Ends a tool that would run for ever (a listener with -k), and gives what it printed. */
    Result kill() throws InterruptedException {
        process.destroy();
        process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        outPump.join(TIMEOUT);
        errPump.join(TIMEOUT);
        return result();
    }

    private Result result() {
        synchronized (out) {
            return new Result(process.exitValue(), out.toByteArray(), errText());
        }
    }

    String errText() {
        synchronized (err) {
            return err.toString();
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    private void pump(InputStream in) {
        var buffer = new byte[8192];
        try (in) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                synchronized (out) {
                    out.write(buffer, 0, n);
                    out.notifyAll();
                }
            }
        } catch (IOException ignored) {
            // The process ended.
        }
    }

    private void pumpLines() {
        try (var reader = process.errorReader(UTF_8)) {
            for (String line; (line = reader.readLine()) != null; ) {
                synchronized (err) {
                    err.append(line).append('\n');
                }
                errLines.add(line);
            }
        } catch (IOException ignored) {
            // The process ended.
        }
    }
}
