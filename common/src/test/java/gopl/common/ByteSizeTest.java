package gopl.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteSizeTest {
    @ParameterizedTest
    @CsvSource({"1234, 1234", "500k, 512000", "10M, 10485760", "64MiB, 67108864", "1G, 1073741824",
        "2t, 2199023255552", "7 KB, 7168"})
    void parsesWgetSpellings(String text, long bytes) {
        assertThat(ByteSize.parse(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0", "-1k", "10X", "k", "1.5M", "99999999999999999999", "9000000T"})
    void rejectsWithAReason(String text) {
        assertThatThrownBy(() -> ByteSize.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("size");
    }
}
