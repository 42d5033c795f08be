package gopl.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import gopl.common.testing.InProcess;
import gopl.common.testing.RealTool;
import gopl.common.testing.TestProxy;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proxy environment variables, read as curl and wget read them: for each form of no_proxy and
 * each host, whether the request goes through the proxy, fetch against the real curl and wget.
 * The test proxy resolves every name to 127.0.0.1, so www.example.test answers only through it.
 */
class FetchProxyTest {
    private static final List<String> NO_PROXY = List.of("", "*", "localhost", ".localhost", "127.0.0.1", "127.0.0.0/8",
            "example.test", ".example.test", "www.example.test", "other.test", "localhost, 127.0.0.1", "LOCALHOST");
    private static final List<String> HOSTS = List.of("127.0.0.1", "localhost", "www.example.test");

    private final TestServer server = new TestServer();
    private final TestProxy proxy = new TestProxy();

    @TempDir
    Path tmp;

    FetchProxyTest() throws Exception {}

    @AfterEach
    void stop() throws Exception {
        server.close();
        proxy.close();
    }

    /** Whether fetch's request for the URL went through the proxy, with this environment. */
    private boolean oursViaProxy(Map<String, String> env, String url, String... options) {
        int before = proxy.requests.size();
        var command = new FetchCommand();
        command.environment = env;
        command.body = new ByteArrayOutputStream();
        var args = new java.util.ArrayList<>(List.of(options));
        args.addAll(List.of("-s", "--timeout", "5s", url));
        new InProcess().run(command, args.toArray(String[]::new));
        return proxy.requests.size() > before;
    }

    private boolean realViaProxy(String tool, Map<String, String> env, String url) {
        int before = proxy.requests.size();
        var command = tool.equals("curl") ? List.of("curl", "-s", "-m", "5", "-o", "/dev/null", url)
                : List.of("wget", "-q", "-T", "5", "-t", "1", "-O", "/dev/null", url);
        RealTool.run(tmp, env, command);
        return proxy.requests.size() > before;
    }

    @Test
    void noProxyFormsDecideAsCurlDecides() {
        RealTool.assume("curl");
        server.respond("/ok", 200, Map.of(), "ok".getBytes(StandardCharsets.UTF_8));
        var disagreements = new java.util.ArrayList<String>();
        for (var noProxy : NO_PROXY) {
            for (var host : HOSTS) {
                var env = Map.of("http_proxy", proxy.url(), "no_proxy", noProxy);
                var url = "http://" + host + ":" + server.uri("/").getPort() + "/ok";
                boolean curl = realViaProxy("curl", env, url);
                if (oursViaProxy(env, url) != curl) {
                    disagreements.add("no_proxy='" + noProxy + "' " + host + ": curl " + (curl ? "via the proxy" : "direct"));
                }
            }
        }
        assertThat(disagreements).isEmpty();
    }

    /**
     * wget reads the same variables, but no_proxy without * or CIDR blocks; and its one difference
     * on the rest: a leading dot means the subdomains only, where curl (and fetch) take the
     * domain itself too.
     */
    @Test
    void noProxyFormsDecideAsWgetDecidesWhereWgetKnowsThem() {
        RealTool.assume("wget");
        server.respond("/ok", 200, Map.of(), "ok".getBytes(StandardCharsets.UTF_8));
        var disagreements = new java.util.ArrayList<String>();
        for (var noProxy : NO_PROXY.stream().filter(form -> !form.equals("*") && !form.contains("/")).toList()) {
            for (var host : HOSTS) {
                var env = Map.of("http_proxy", proxy.url(), "no_proxy", noProxy);
                var url = "http://" + host + ":" + server.uri("/").getPort() + "/ok";
                boolean wget = realViaProxy("wget", env, url);
                if (oursViaProxy(env, url) != wget) {
                    disagreements.add("no_proxy='" + noProxy + "' " + host + ": wget " + (wget ? "via the proxy" : "direct"));
                }
            }
        }
        assertThat(disagreements).containsExactly("no_proxy='.localhost' localhost: wget via the proxy");
    }

    /** Which variable names a proxy for an http URL: lower-case http_proxy only (as curl: HTTP_PROXY may come from CGI), then all_proxy. */
    @Test
    void theVariablesAreThoseCurlReads() {
        RealTool.assume("curl");
        server.respond("/ok", 200, Map.of(), "ok".getBytes(StandardCharsets.UTF_8));
        var url = "http://127.0.0.1:" + server.uri("/").getPort() + "/ok";
        for (var env : List.of(Map.of("HTTP_PROXY", proxy.url()), Map.of("all_proxy", proxy.url()), Map.of("ALL_PROXY", proxy.url()),
                Map.of("https_proxy", proxy.url()), Map.of("http_proxy", proxy.url(), "NO_PROXY", "127.0.0.1"))) {
            assertThat(oursViaProxy(env, url)).as(env.toString()).isEqualTo(realViaProxy("curl", env, url));
        }
    }

    @Test
    void aProxyWithCredentialsGetsThemAndMinusXOverridesTheEnvironment() {
        proxy.requireBasic("me", "s3cret");
        server.respond("/ok", 200, Map.of(), "ok".getBytes(StandardCharsets.UTF_8));
        var url = "http://www.example.test:" + server.uri("/").getPort() + "/ok";
        var withUser = "http://me:s3cret@127.0.0.1:" + proxy.port();

        assertThat(oursViaProxy(Map.of("http_proxy", withUser), url)).isTrue();
        assertThat(proxy.authorizations).contains("Basic bWU6czNjcmV0");
        assertThat(oursViaProxy(new HashMap<>(), url, "-x", withUser)).isTrue();
        assertThat(oursViaProxy(Map.of("http_proxy", withUser), url, "--noproxy", "example.test")).isFalse();
    }

    @Test
    void aProxyThatIsNotAnHttpUrlIsOneLine() {
        var command = new FetchCommand();
        command.environment = Map.of("http_proxy", "socks5://127.0.0.1:1080");
        var io = new InProcess();
        assertThat(io.run(command, "http://127.0.0.1:1/")).isEqualTo(1);
        assertThat(io.stderr()).isEqualTo("fetch: http_proxy=socks5://127.0.0.1:1080: only http:// proxies are supported\n");
    }
}
