package gopl.crawler;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import gopl.common.Proxies;
import gopl.common.Tls;
import gopl.common.testing.Certificates;
import gopl.common.testing.InProcess;
import gopl.common.testing.TestProxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crawl through proxies: absolute-form requests for http, a CONNECT tunnel for https (TLS with
 * the site's certificate checked through it), a proxy's credentials, and the command's reading
 * of the environment. The test proxy resolves every name to 127.0.0.1: www.example.test answers
 * only through it.
 */
class ProxyTest {
    private final TestSite site = new TestSite();
    private final TestProxy proxy = new TestProxy();
    private final ConcurrentLinkedQueue<Crawler.Failure> failures = new ConcurrentLinkedQueue<>();

    @TempDir
    Path tmp;

    ProxyTest() throws Exception {}

    @AfterEach
    void stop() throws Exception {
        site.close();
        proxy.close();
    }

    private URI named(String path) {
        return URI.create("http://www.example.test:" + site.uri("/").getPort() + path);
    }

    @Test
    void httpGoesThroughTheProxyWithItsCredentials() {
        proxy.requireBasic("me", "pw");
        site.page("/", "/a").page("/a");
        var proxies = Proxies.of(Map.of("http_proxy", "http://me:pw@127.0.0.1:" + proxy.port()));

        var stats = Crawler.builder().proxies(proxies).robots(true).onError(failures::add).build().crawl(named("/"));

        assertThat(failures).isEmpty();
        assertThat(stats.fetched()).isEqualTo(2);
        assertThat(proxy.requests).contains("GET " + named("/robots.txt") + " HTTP/1.1", "GET " + named("/") + " HTTP/1.1",
                "GET " + named("/a") + " HTTP/1.1");
        assertThat(proxy.authorizations).containsOnly("Basic bWU6cHc=");
    }

    @Test
    void httpsGoesThroughAConnectTunnelWithTheCertificateChecked() throws Exception {
        var pair = Certificates.selfSigned(tmp, "site", "EC");
        var https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        https.setHttpsConfigurator(new HttpsConfigurator(Tls.server(pair.certificate(), pair.key())));
        https.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        https.createContext("/", exchange -> {
            var body = "<a href=\"/b\">b</a>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        https.start();
        try {
            var start = URI.create("https://localhost:" + https.getAddress().getPort() + "/");
            var proxies = Proxies.of(Map.of("https_proxy", proxy.url(), "http_proxy", "http://127.0.0.1:1"));
            var trusting = Crawler.builder().proxies(proxies).sslContext(Tls.client(pair.certificate())).onError(failures::add).build();

            assertThat(trusting.crawl(start).fetched()).isEqualTo(2);
            assertThat(failures).isEmpty();
            assertThat(proxy.requests).contains("CONNECT localhost:" + https.getAddress().getPort() + " HTTP/1.1");

            var untrusting = Crawler.builder().proxies(proxies).onError(failures::add).build();
            assertThat(untrusting.crawl(start).fetched()).isZero();
            assertThat(failures).singleElement().extracting(Crawler.Failure::message).asString().startsWith("TLS: ");
        } finally {
            https.stop(0);
        }
    }

    /** The command reads http_proxy and no_proxy as curl does; --no-proxy ignores them, as wget's. */
    @Test
    void theCommandTakesTheProxyFromTheEnvironment() {
        site.page("/", "/a").page("/a");
        var env = Map.of("http_proxy", proxy.url(), "no_proxy", "localhost");

        var io = new InProcess();
        var command = new CrawlerCommand();
        command.network.environment(env);
        assertThat(io.run(command, named("/").toString())).isZero();
        assertThat(io.stdout().lines()).containsExactly(named("/").toString(), named("/a").toString());

        var direct = new CrawlerCommand();
        direct.network.environment(env);
        assertThat(new InProcess().run(direct, "--no-proxy", "--timeout", "5s", named("/").toString())).isEqualTo(1);

        var bad = new CrawlerCommand();
        bad.network.environment(Map.of("http_proxy", "ftp://proxy:21"));
        var badIo = new InProcess();
        assertThat(badIo.run(bad, named("/").toString())).isEqualTo(1);
        assertThat(badIo.stderr()).isEqualTo("crawler: http_proxy=ftp://proxy:21: only http:// proxies are supported "
                + "(--no-proxy to connect directly)\n");
    }
}
