package gopl.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpTest {
    @ParameterizedTest
    @CsvSource({
        "example.org, http://example.org",
        "'  example.org/docs ', http://example.org/docs",
        "localhost:8000, http://localhost:8000",
        "https://example.org/, https://example.org/",
        "HTTP://EXAMPLE.ORG, HTTP://EXAMPLE.ORG",
        "ftp://example.org/, ftp://example.org/",
        "example.org/?next=http://other.org/, http://example.org/?next=http://other.org/",
    })
    void assumesHttpOnlyWhenThereIsNoScheme(String text, String url) {
        assertThat(Http.withScheme(text)).isEqualTo(url);
    }

    @ParameterizedTest
    @CsvSource({"404, 404 Not Found", "403, 403 Forbidden", "503, 503 Service Unavailable", "599, HTTP status 599", "200, 200 OK",
        "304, 304 Not Modified"})
    void statusWording(int status, String text) {
        assertThat(Http.statusText(status)).isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource({"301, true", "302, true", "303, true", "307, true", "308, true", "300, false", "304, false", "305, false",
        "200, false", "404, false"})
    void redirects(int status, boolean redirect) {
        assertThat(Http.isRedirect(status)).isEqualTo(redirect);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "text/html; charset=UTF-8|UTF-8",
        "TEXT/HTML; CHARSET=iso-8859-1|ISO-8859-1",
        "text/html; charset=\"windows-1252\"; q=1|windows-1252",
        "text/html; charset='utf-8'|UTF-8",
        "text/html|",
        "text/html; charset=no-such-thing|",
        "text/html; charset=|",
    })
    void charsetOfAContentType(String contentType, String charset) {
        var found = Http.charset(contentType);
        assertThat(found == null ? null : found.name()).isEqualTo(charset);
    }
}
