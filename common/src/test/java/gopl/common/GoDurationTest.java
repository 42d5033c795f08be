package gopl.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoDurationTest {
    @ParameterizedTest
    @CsvSource({
        "0, 0",
        "500ms, 500000000",
        "10s, 10000000000",
        "5m, 300000000000",
        "1m30s, 90000000000",
        "1.5h, 5400000000000",
        "2h45m, 9900000000000",
        "250us, 250000",
        "100ns, 100",
        ".5s, 500000000",
        "1h1m1s1ms1us1ns, 3661001001001",
        "00010s, 10000000000",
        "2µs, 2000",
        "9223372036854775807ns, 9223372036854775807",
        "2562047h, 9223369200000000000",
        "0.5ns0.5ns, 1",
        "1m0.5s, 60500000000",
    })
    void parsesGoSpellings(String text, long nanos) {
        assertThat(GoDuration.parse(text)).isEqualTo(Duration.ofNanos(nanos));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10", "-1s", "1x", "s", "1s2", "1 s", "ms10"})
    void rejectsWhatGoRejects(String text) {
        assertThatThrownBy(() -> GoDuration.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a duration");
    }

    @ParameterizedTest
    @ValueSource(strings = {"9223372036854775808ns", "2562048h", "99999999999999999999s", "1.5ns"})
    void rejectsWhatALongCannotHold(String text) {
        assertThatThrownBy(() -> GoDuration.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'" + text + "' is too long a duration");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1hm", "1mss", "1sm", "1m30", "1..5s", "1.5.5s", "5µ", "1s 2s"})
    void rejectsMalformedUnitsAndNumbers(String text) {
        assertThatThrownBy(() -> GoDuration.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a duration");
    }

    @ParameterizedTest
    @CsvSource({"0, 0s", "250000000, 250ms", "1500000000, 1.5s", "90000000000, 1m30s", "3600000000000, 1h0m0s"})
    void formatsLikeGo(long nanos, String text) {
        assertThat(GoDuration.format(Duration.ofNanos(nanos))).isEqualTo(text);
    }
}
