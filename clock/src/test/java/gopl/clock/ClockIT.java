package gopl.clock;

import static org.assertj.core.api.Assertions.assertThat;

import gopl.common.testing.ToolProcess;
import java.net.ServerSocket;
import java.net.Socket;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The real jar, as a user runs it. */
class ClockIT {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "-port abc          | clock: Invalid value for option '--port': 'abc' is not an int",
        "--port 70000       | clock: port 70000 is out of range (0-65535)",
        "--tz Mars/Olympus  | clock: unknown time zone 'Mars/Olympus'",
        "--bogus            | clock: Unknown option: '--bogus'",
    })
    void usageErrorsAreOneLineAndExitTwo(String args, String message) {
        ToolProcess.assertUsageError(args, message);
    }

    @Test
    void portInUseIsOneLineAndExitOne() throws Exception {
        ToolProcess.assertPortInUse("clock");
    }

    @Test
    void helpAndVersion() {
        ToolProcess.assertHelpAndVersion("clock", "-port", "--tz", "--help", "--version");
    }

    @Test
    void servesTheTimeAndLogsTheListeningAddress() throws Exception {
        int port;
        try (var probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        try (var clock = ToolProcess.start("-port", String.valueOf(port), "--tz", "UTC")) {
            clock.awaitStderr(Pattern.compile("listening"), Duration.ofSeconds(20));
            assertThat(clock.stderrText()).contains("clock listening on localhost:" + port + " (zone UTC)");
            try (var socket = new Socket("localhost", port)) {
                socket.setSoTimeout(10_000);
                var line = new BufferedReader(new InputStreamReader(socket.getInputStream())).readLine();
                assertThat(line).matches("\\d\\d:\\d\\d:\\d\\d");
            }
            var result = clock.terminate(Duration.ofSeconds(10));
            assertThat(result.exitCode()).isIn(0, 143); // stopped by SIGTERM, shutting down cleanly
        }
    }
}
