package gopl.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TerminalTest {
    /** Run under a pseudo-terminal by the test below. */
    public static void main(String[] args) {
        System.out.println("stdin=" + Terminal.stdinIsTerminal() + " stdout=" + Terminal.stdoutIsTerminal()
                + " stderr=" + Terminal.stderrIsTerminal());
    }

    @Test
    void redirectedStreamsAreNotTerminals() {
        // Surefire runs the tests in a forked JVM whose standard streams are pipes.
        assertThat(Terminal.stdinIsTerminal()).isFalse();
        assertThat(Terminal.stdoutIsTerminal()).isFalse();
        assertThat(Terminal.stderrIsTerminal()).isFalse();
    }

    @Test
    void aPseudoTerminalIsATerminal() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "util-linux script(1) is not installed");
        var java = ProcessHandle.current().info().command().orElseThrow();
        var command = "'" + java + "' -cp '" + System.getProperty("java.class.path") + "' " + TerminalTest.class.getName();
        var process = new ProcessBuilder("/usr/bin/script", "-qec", command, "/dev/null").redirectErrorStream(true).start();
        process.getOutputStream().close();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(output).contains("stdin=true stdout=true stderr=true");
    }
}
