package gopl.crawler;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The crawl's cookie jar: RFC 6265's matching, and the bounds on what a site can make it hold. */
class CookiesTest {
    private final Cookies jar = new Cookies();
    private final URI page = URI.create("http://www.example.com/docs/page.html");

    @Test
    void aCookieGoesBackToItsDomainAndPathOnly() {
        jar.store(page, List.of("a=1", "b=2; Path=/", "c=3; Domain=example.com; Path=/", "d=4; Secure; Path=/"));

        assertThat(jar.header(URI.create("http://www.example.com/docs/other"))).isEqualTo("a=1; b=2; c=3");
        assertThat(jar.header(URI.create("http://www.example.com/"))).isEqualTo("b=2; c=3");
        assertThat(jar.header(URI.create("http://api.example.com/"))).isEqualTo("c=3");
        assertThat(jar.header(URI.create("https://www.example.com/"))).isEqualTo("b=2; c=3; d=4");
        assertThat(jar.header(URI.create("http://example.org/"))).isNull();
    }

    @Test
    void aCookieForAnotherSiteOrAlreadyExpiredIsNotKept() {
        jar.store(page, List.of("evil=1; Domain=example.org", "old=1; Max-Age=0", "gone=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT"));
        assertThat(jar.header(page)).isNull();

        jar.store(page, List.of("x=1; Path=/", "x=2; Path=/"));
        assertThat(jar.header(page)).isEqualTo("x=2");
        jar.store(page, List.of("x=; Path=/; Max-Age=0"));
        assertThat(jar.header(page)).isNull();
    }

    /** A site that sets thousands of cookies, and huge ones: 50 a domain, 4 KiB each. */
    @Test
    void aSiteCannotFillTheJar() {
        var flood = new ArrayList<String>();
        for (int i = 0; i < 5000; i++) {
            flood.add("c" + i + "=" + i + "; Path=/");
        }
        flood.add("huge=" + "x".repeat(5000) + "; Path=/");
        jar.store(page, flood);

        assertThat(jar.header(page).split("; ")).hasSize(Cookies.MAX_PER_DOMAIN).doesNotContain("huge");
    }
}
