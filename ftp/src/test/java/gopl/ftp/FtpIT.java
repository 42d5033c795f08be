package gopl.ftp;

import static org.assertj.core.api.Assertions.assertThat;

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
}
