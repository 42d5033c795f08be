package gopl.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import gopl.crawler.Links;
import org.jsoup.internal.StringUtil;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The fast link resolution gives what jsoup's slower, lenient one gives. */
class ResolveTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            http://h/a/b.html       | c.html
            http://h/a/b.html       | ../c.html
            http://h/a/b.html       | ../../../c.html
            http://h/a/b.html       | ./c/./d/../e.html
            http://h/a/b.html       | /x/y
            http://h/a/b.html       | //other:8080/z#frag
            http://h/a/b.html       | HTTP://H:80/Up.html
            http://h/a/b.html       | https://h:443/s
            http://h/a/b.html       | c.html?x=1&y=2#f
            http://h/a/b.html       | ?page=2
            http://h/a/b.html       | c d.html
            http://h/a/b.html       | caf%C3%A9.html
            http://h/a/b.html       | café.html
            http://h/a/b.html       | .
            http://h/a/              | ..
            http://h                | x.html
            http://h:8000/          | http://h:8000
            http://h/a/b.html       | mailto:a@b.c
            http://h/a/b.html       | javascript:void(0)
            http://h/a/b.html       | data:image/png;base64,AAAA
            http://h/a/b.html       | ftp://h/file
            http://h/a/b.html       | http://[::1]:9/x
            http://h/a/b.html       | http://user@h/x
            """)
    void resolvesAsJsoupDoes(String base, String link) {
        assertThat(LinkRewriter.resolve(base, link)).isEqualTo(Links.normalize(StringUtil.resolve(base, link)));
    }
}
