package gopl.ftp;

import static org.assertj.core.api.Assertions.assertThat;

import gopl.common.testing.Eventually;
import gopl.common.testing.ToolProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The real jar's command-line contract. */
class FtpIT {
    @TempDir
    Path root;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "-port abc         | ftp: Invalid value for option '--port': 'abc' is not an int",
        "--user bob        | ftp: --user needs --password-file",
        "--password pw     | ftp: --password is gone (ps shows it to every user of the machine): use --password-file or --users",
        "--bogus           | ftp: Unknown option: '--bogus'",
        "--max-per-ip 0    | ftp: --max-per-ip must be at least 1",
    })
    void usageErrorsAreOneLineAndExitTwo(String args, String message) {
        ToolProcess.assertUsageError(args, message);
    }

    @Test
    void helpAndVersion() {
        ToolProcess.assertHelpAndVersion("ftp", "-port", "--root", "--passive-ports", "--max-per-ip", "--login-timeout",
                "--accept-timeout", "--help", "--version");
    }

    @Test
    void portInUseIsOneLineAndExitOne() throws Exception {
        ToolProcess.assertPortInUse("ftp", "-root", root.toString());
    }

    @Test
    void servesUntilSigterm() throws Exception {
        try (var ftp = ToolProcess.start("-port", "0", "-root", root.toString())) {
            ftp.awaitStderr(Pattern.compile("ftp serving"), Duration.ofSeconds(20));
            assertThat(ftp.stderrText()).contains("ftp serving " + root.toRealPath() + " on localhost:",
                    "(anonymous read-only)");
            var result = ftp.terminate(Duration.ofSeconds(10));
            assertThat(result.exitCode()).isIn(0, 143);
            assertThat(result.stderr()).doesNotContain("Exception");
        }
    }

    @Test
    void statsLinesCountTheDataConnectionsBytes() throws Exception {
        java.nio.file.Files.write(root.resolve("file.bin"), new byte[300_000]);
        try (var jar = JarServer.start(root, "--stats", "200ms")) {
            try (var control = RawControl.anonymous(jar.port())) {
                control.expect("TYPE I", 200);
                try (var data = control.pasv()) {
                    control.expect("RETR file.bin", 150);
                    assertThat(data.getInputStream().readAllBytes()).hasSize(300_000);
                }
                assertThat(control.reply()).startsWith("226");
            }
            var bytesOut = Pattern.compile("stats: 0 open, 1 accepted .* (\\d+) bytes out");
            Eventually.eventually(Duration.ofSeconds(20), "a stats line after the session", () -> {
                var m = bytesOut.matcher(jar.log());
                return m.find() && Long.parseLong(m.group(1)) > 300_000;
            });
        }
    }
}
