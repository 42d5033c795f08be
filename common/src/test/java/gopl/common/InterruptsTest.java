package gopl.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
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
        var java = ProcessHandle.current().info().command().orElseThrow();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), InterruptsTest.class.getName(), mode)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static void signal(Process process, String name) throws Exception {
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
    }

    @Test
    void aSignalCancelsTheWorkAndTheJvmWaitsForTheReportThenExits130() throws Exception {
        var process = child("cancel");
        try {
            var out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("working");
            signal(process, "INT");
            assertThat(out.lines().toList()).containsExactly("cancel ran", "finish says true", "report");
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isEqualTo(Cli.INTERRUPTED);
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void aSignalAfterFinishCancelsNothingButStillWaitsForTheReport() throws Exception {
        var process = child("finished");
        try {
            var out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("finish says false");
            signal(process, "TERM");
            process.getOutputStream().close();
            assertThat(out.lines().toList()).containsExactly("report");
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isEqualTo(128 + 15);
        } finally {
            process.destroyForcibly();
        }
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
