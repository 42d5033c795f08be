package gopl.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import gopl.common.testing.ToolProcess;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Real signals to a child JVM that runs {@link #main}. */
class InterruptsTest {
    /**
     * A tool in miniature. "cancel": works until a signal cancels it, then reports. "finished":
     * finishes its work first, then reports once stdin closes. Either way the report takes a while,
     * so that a JVM that did not wait for it would cut it off.
     */
    public static void main(String[] args) throws Exception {
        var cancelled = new CountDownLatch(1);
        try (var signals = Interrupts.onSignal(() -> {
            System.out.println("cancel ran");
            cancelled.countDown();
        })) {
            if (args[0].equals("cancel")) {
                System.out.println("working");
                cancelled.await(60, TimeUnit.SECONDS);
                System.out.println("finish says " + signals.finish());
            } else {
                System.out.println("finish says " + signals.finish());
                System.in.read(); // the test signals us, then closes our stdin
            }
            Thread.sleep(300); // a slow report
            System.out.println("report");
        }
        System.exit(0); // blocks while a signal's hook runs; the JVM then exits with the signal's status
    }

    private static Process child(String mode) throws Exception {
        var command = new ArrayList<>(ToolProcess.java());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), InterruptsTest.class.getName(), mode));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    /**
     * Runs {@link #main} in {@code mode}, waits for its first line, signals it, closes its stdin,
     * and returns the rest of what it printed; the exit status must be {@code status}.
     */
    private static List<String> signalled(String mode, String firstLine, String signal, int status) throws Exception {
        assumeTrue(ToolProcess.sigintReachesTools(), "SIGINT is ignored here and env --default-signal is missing");
        var process = child(mode);
        try {
            var out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo(firstLine);
            new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start().waitFor();
            process.getOutputStream().close();
            var rest = out.lines().toList();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isEqualTo(status);
            return rest;
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void aSignalCancelsTheWorkAndTheJvmWaitsForTheReportThenExits130() throws Exception {
        assertThat(signalled("cancel", "working", "INT", Cli.INTERRUPTED))
                .containsExactly("cancel ran", "finish says true", "report");
    }

    @Test
    void aSignalAfterFinishCancelsNothingButStillWaitsForTheReport() throws Exception {
        assertThat(signalled("finished", "finish says false", "TERM", 128 + 15)).containsExactly("report");
    }

    @Test
    void withoutASignalTheToolExitsAsItChooses() throws Exception {
        var process = child("finished");
        process.getOutputStream().close();
        try {
            assertThat(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("finish says false\nreport\n");
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isZero();
        } finally {
            process.destroyForcibly();
        }
    }
}
