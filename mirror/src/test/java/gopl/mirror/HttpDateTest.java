package gopl.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.attribute.FileTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Last-Modified dates as file times: the fast reading of the fixed form agrees with the JDK's formatter. */
class HttpDateTest {
    @ParameterizedTest
    @ValueSource(strings = {"Sun, 06 Nov 1994 08:49:37 GMT", "Thu, 01 Jan 1970 00:00:00 GMT", "Mon, 29 Feb 2016 23:59:59 GMT",
            "Fri, 31 Dec 9999 12:00:00 GMT", "Sun, 6 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 +0100"})
    void readsWhatTheFormatterReads(String date) {
        var expected = FileTime.from(ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        assertThat(State.time(date)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "yesterday", "Sun, 31 Feb 1994 08:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 24:49:37 GMT", "Sun, 06 Nov 19x4 08:49:37 GMT", "Sun, 06 Nov 1994 08-49-37 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT", "Sun, 06 unJ 1994 08:49:37 GMT"})
    void anythingElseIsNoTime(String date) {
        assertThat(State.time(date)).isNull();
    }
}
