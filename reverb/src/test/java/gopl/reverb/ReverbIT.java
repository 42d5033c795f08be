package gopl.reverb;

import static org.assertj.core.api.Assertions.assertThat;

import gopl.common.testing.ToolProcess;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The real jar, as a user runs it. */
class ReverbIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static int listeningPort(ToolProcess reverb) {
        var listening = Pattern.compile("reverb listening on [\\w.]+:(\\d+)");
        return Integer.parseInt(reverb.awaitStderr(listening, TIMEOUT).group(1));
    }

    @Test
    void servesEchoesLogsClientsAndStopsOnInterrupt() throws Exception {
        try (var reverb = ToolProcess.start("-port", "0", "--delay", "100ms", "-idle=5s")) {
            int port = listeningPort(reverb);
            assertThat(reverb.stderrText()).contains("(delay 100ms, idle 5s)");
            try (var client = new Shouter(port)) {
                client.shout("Is anybody there?").halfClose();
                assertThat(client.line()).isEqualTo("\t IS ANYBODY THERE?");
                assertThat(client.line()).isEqualTo("\t Is anybody there?");
                assertThat(client.line()).isEqualTo("\t is anybody there?");
                assertThat(client.line()).isNull();
            }
            reverb.sendInterrupt();
            var result = reverb.waitFor(TIMEOUT);
            assertThat(result.stderr())
                    .containsPattern("INFO 127\\.0\\.0\\.1:\\d+ connected")
                    .containsPattern("INFO 127\\.0\\.0\\.1:\\d+ left after 1 shout\\n")
                    .contains("INFO shutting down")
                    .doesNotContain("Exception");
        }
    }

    @Test
    void idleClientIsToldNothingAndLogged() throws Exception {
        try (var reverb = ToolProcess.start("--host", "127.0.0.1", "-port", "0", "-idle", "300ms")) {
            int port = listeningPort(reverb);
            assertThat(reverb.stderrText()).contains("reverb listening on 127.0.0.1:" + port);
            try (var client = new Shouter(port)) {
                assertThat(client.line()).isNull();
            }
            reverb.sendInterrupt();
            assertThat(reverb.waitFor(TIMEOUT).stderr()).containsPattern("was idle for 300ms; disconnected after 0 shouts");
        }
    }

    @Test
    void portInUseIsOneLineAndExitOne() throws Exception {
        ToolProcess.assertPortInUse("reverb");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "-port 70000      | port 70000 is out of range (0-65535)",
        "--delay soon     | Invalid value for option '--delay': 'soon' is not a duration (examples: 500ms, 10s, 1m30s, 2h)",
        "-idle -1s        | Invalid value for option '--idle': '-1s' is not a duration (examples: 500ms, 10s, 1m30s, 2h)",
        "--input-memory 1k | --input-memory must be at least 64K",
        "--port           | Missing required parameter for option '--port' (PORT)",
        "extra            | Unmatched argument at index 0: 'extra'",
    })
    void usageErrorsAreOneLineAndExitTwo(String args, String message) {
        var result = ToolProcess.run(args.split(" "));
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).isEqualTo("reverb: " + message + " (see reverb --help)\n");
    }

    @Test
    void helpAndVersion() {
        ToolProcess.assertHelpAndVersion("reverb", "-port, --port=PORT", "-idle, --idle=D");
    }
}
