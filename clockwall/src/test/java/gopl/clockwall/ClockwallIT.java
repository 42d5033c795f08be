package gopl.clockwall;

import static org.assertj.core.api.Assertions.assertThat;

import gopl.common.testing.ToolProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The real jar, as scripts run it. */
class ClockwallIT {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "NewYork               | clockwall: 'NewYork' is not NAME=HOST:PORT",
        "X=host                | clockwall: 'X=host': 'host' is not HOST:PORT",
        "X=host:99999          | clockwall: 'X=host:99999': port 99999 is out of range (1-65535)",
        "=localhost:8000       | clockwall: '=localhost:8000': the name must be one word",
        "-n -1 A=localhost:1   | clockwall: --count must be 0 or more, not -1",
    })
    void malformedArgumentsAreUsageErrors(String args, String message) {
        ToolProcess.assertUsageError(args, message);
    }

    @Test
    void noArgumentsIsAUsageError() {
        var result = ToolProcess.run();
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("Missing required parameter");
    }

    @Test
    void pipedOutputIsPlainRows() throws Exception {
        try (var clock = new FakeClock("09:30:00", 0)) {
            var result = ToolProcess.run("-n", "2", "Here=localhost:" + clock.port());
            assertThat(result.exitCode()).isZero();
            assertThat(result.stdout()).isEqualTo("Here\n09:30:00\n09:30:00\n").doesNotContain("\033");
        }
    }
}
