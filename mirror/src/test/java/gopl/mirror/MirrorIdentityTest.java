package gopl.mirror;

import static gopl.mirror.MirrorTest.mirror;
import static org.assertj.core.api.Assertions.assertThat;

import gopl.common.testing.RealTool;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** What mirror says it is: --header, --user/--password, --load-cookies, and cookies the site sets; beside the real wget. */
class MirrorIdentityTest extends SiteFixture {
    @Test
    void headersGoWithEveryRequest() {
        site.html("/", "<a href=\"a.html\">a</a>").html("/a.html", "a");

        var run = mirror("--header", "X-Test: 1", "--header", "Accept-Language: fr", "-P", out.toString(), site.url("/"));

        assertThat(run.status()).as(run.stderr()).isZero();
        assertThat(site.received()).hasSize(3).allSatisfy(request -> {
            assertThat(request.header("X-Test")).isEqualTo("1");
            assertThat(request.header("Accept-Language")).isEqualTo("fr");
        });
        assertThat(mirror("--header", "no colon", site.url("/")).status()).isEqualTo(2);
    }

    /** Credentials go to the start URL's site, as wget's go there after its 401; another host never sees them. */
    @Test
    void credentialsGoToTheStartSiteOnly() throws IOException {
        RealTool.assume("wget");
        var other = new TestSite();
        try {
            other.html("/x.html", "x");
            site.requireBasic("user", "secret").html("/", "<a href=\"a.html\">a</a> <a href=\"http://localhost:" + other.port()
                    + "/x.html\">x</a>").html("/a.html", "a");
            var options = List.of("--user", "user", "--password", "secret", "-H", "-D", "localhost,127.0.0.1");

            var wget = new ArrayList<>(List.of("wget", "-q", "--mirror", "-k", "-p"));
            wget.addAll(options);
            wget.add(site.url("/"));
            RealTool.run(tmp.resolve("wget"), wget);
            var ours = new ArrayList<>(List.of("-P", out.toString()));
            ours.addAll(options);
            ours.add(site.url("/"));
            var run = mirror(ours.toArray(String[]::new));

            assertThat(run.status()).as(run.stderr()).isZero();
            assertThat(host().resolve("a.html")).exists();
            assertThat(tmp.resolve("wget").resolve(host().getFileName()).resolve("a.html")).exists();
            assertThat(other.received()).hasSizeGreaterThanOrEqualTo(2).allMatch(request -> request.header("Authorization") == null);
            assertThat(mirror("-P", tmp.resolve("none").toString(), site.url("/")).status()).as("without them: 401").isEqualTo(1);
        } finally {
            other.close();
        }
    }

    /**
     * The cookies of a cookies.txt, and one the site sets, go with the requests wget sends them
     * with; and so do the {@code #HttpOnly_} lines browsers export (a session cookie, usually),
     * which wget 1.21.3 skips as comments and curl reads.
     */
    @Test
    void cookiesGoWhereWgetSendsThem() throws IOException {
        RealTool.assume("wget");
        var cookies = tmp.resolve("cookies.txt");
        Files.writeString(cookies, """
                # Netscape HTTP Cookie File
                127.0.0.1\tFALSE\t/\tFALSE\t0\tsession\ts1
                127.0.0.1\tFALSE\t/docs\tFALSE\t0\tdocs\td1
                127.0.0.1\tFALSE\t/\tTRUE\t0\tsecure\tx
                127.0.0.1\tFALSE\t/\tFALSE\t1\texpired\told
                example.org\tTRUE\t/\tFALSE\t0\tother\to
                #HttpOnly_127.0.0.1\tFALSE\t/\tFALSE\t4102444800\thttponly\th
                """);
        site.html("/", "<a href=\"docs/a.html\">a</a> <a href=\"b.html\">b</a>").header("/", "Set-Cookie", "fromsite=1; Path=/")
                .html("/docs/a.html", "<a href=\"../b.html\">b</a>").html("/b.html", "b");

        RealTool.run(tmp.resolve("wget"), List.of("wget", "-q", "--mirror", "-k", "-p", "--load-cookies", cookies.toString(),
                site.url("/")));
        var wget = cookiesByPath("Wget");
        var run = mirror("--load-cookies", cookies.toString(), "-P", out.toString(), site.url("/"));

        assertThat(run.status()).as(run.stderr()).isZero();
        var ours = cookiesByPath("gopl-mirror");
        assertThat(ours.values()).allMatch(sent -> sent.remove("httponly=h"));
        assertThat(ours).isEqualTo(wget);
        assertThat(wget.get("/docs/a.html")).contains("docs=d1", "fromsite=1", "session=s1").doesNotContain("other=o");
        assertThat(mirror("--load-cookies", tmp.resolve("missing.txt").toString(), site.url("/")).stderr())
                .contains("cannot read " + tmp.resolve("missing.txt") + ": No such file or directory");
    }

    /** Through the proxy http_proxy names (the test proxy resolves every name to 127.0.0.1: www.example.test is only there). */
    @Test
    void mirrorsThroughTheProxyTheEnvironmentNames() throws IOException {
        try (var proxy = new gopl.common.testing.TestProxy()) {
            site.html("/", "<a href=\"a.html\">a</a>").html("/a.html", "a");
            var url = "http://www.example.test:" + site.port() + "/";
            var command = new MirrorCommand();
            command.network.environment(Map.of("http_proxy", proxy.url()));
            var io = new gopl.common.testing.InProcess();

            assertThat(io.run(command, "-P", out.toString(), url)).as(io.stderr()).isZero();
            assertThat(out.resolve("www.example.test:" + site.port()).resolve("a.html")).exists();
            assertThat(proxy.requests).contains("GET " + url + "robots.txt HTTP/1.1", "GET " + url + " HTTP/1.1",
                    "GET " + url + "a.html HTTP/1.1");
        }
    }

    /** For the requests of one tool (by User-Agent), the cookies each path was asked with. */
    private Map<String, TreeSet<String>> cookiesByPath(String agent) {
        var byPath = new TreeMap<String, TreeSet<String>>();
        for (var request : site.received()) {
            if (String.valueOf(request.header("User-Agent")).startsWith(agent) && !request.path().equals("/robots.txt")) {
                var cookie = request.header("Cookie");
                byPath.put(request.path(), new TreeSet<>(cookie == null ? List.of() : Arrays.asList(cookie.split(";\\s*"))));
            }
        }
        return byPath;
    }
}
