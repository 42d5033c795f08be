package gopl.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostPortTest {
    @ParameterizedTest
    @CsvSource({
        "localhost:8000, localhost, 8000",
        "127.0.0.1:1, 127.0.0.1, 1",
        "[::1]:8010, ::1, 8010",
        ":9000, localhost, 9000",
        "example.org:65535, example.org, 65535",
    })
    void parses(String text, String host, int port) {
        assertThat(HostPort.parse(text)).isEqualTo(new HostPort(host, port));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "localhost | is not HOST:PORT",
        "localhost:99999 | out of range",
        "localhost:0 | out of range",
        "localhost:http | is not a port number",
        "::1:80 | write an IPv6 host as [::1]:8000",
    })
    void rejectsWithAReason(String text, String reason) {
        assertThatThrownBy(() -> HostPort.parse(text)).hasMessageContaining(reason);
    }

    @Test
    void printsIpv6InBrackets() {
        assertThat(new HostPort("::1", 80)).hasToString("[::1]:80");
        assertThat(new HostPort("localhost", 80)).hasToString("localhost:80");
        assertThat(HostPort.format("::1", 0)).isEqualTo("[::1]:0");
        assertThat(HostPort.format("127.0.0.1", 8000)).isEqualTo("127.0.0.1:8000");
        assertThat(HostPort.format("0.0.0.0", 0)).isEqualTo("0.0.0.0:0");
    }
}
