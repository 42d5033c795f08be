package gopl.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The proxy variables as curl reads them (the tools' tests compare with the real curl and wget). */
class ProxiesTest {
    @Test
    void eachSchemeHasItsVariableAndAllProxyIsTheFallback() {
        var proxies = Proxies.of(Map.of("http_proxy", "h:3128", "HTTPS_PROXY", "http://s:8443", "all_proxy", "http://a:1"));
        assertThat(proxies.proxyFor(URI.create("http://x/"))).hasToString("http://h:3128");
        assertThat(proxies.proxyFor(URI.create("https://x/"))).hasToString("http://s:8443");
        assertThat(Proxies.of(Map.of("all_proxy", "http://a:1")).proxyFor(URI.create("https://x/"))).hasToString("http://a:1");
        assertThat(Proxies.of(Map.of("HTTP_PROXY", "http://a:1")).proxyFor(URI.create("http://x/"))).as("as curl: not read").isNull();
        assertThat(Proxies.of(Map.of("http_proxy", "proxy")).proxyFor(URI.create("http://x/"))).as("curl's port").hasToString("http://proxy:1080");
        assertThat(Proxies.of(Map.of("http_proxy", "")).proxyFor(URI.create("http://x/"))).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "* | www.example.org | true",
        "example.org | www.example.org | true",
        ".example.org | example.org | true",
        "example.org | badexample.org | false",
        "EXAMPLE.org | www.example.ORG | true",
        "10.0.0.0/8 | 10.1.2.3 | true",
        "10.0.0.0/8 | 11.1.2.3 | false",
        "10.0.0.0/8 | ten.example | false",
        "fd00::/8 | [fd12::1] | true",
        "[::1] | [::1] | true",
        "a.org,b.org | b.org | true",
        "a.org b.org | b.org | true"})
    void noProxyListsHostsToReachDirectly(String noProxy, String host, boolean direct) {
        var proxies = Proxies.of(Map.of("http_proxy", "http://p:1", "no_proxy", noProxy));
        assertThat(proxies.proxyFor(URI.create("http://" + host + "/")) == null).isEqualTo(direct);
    }

    @Test
    void credentialsComeFromTheProxyUrl() {
        var proxy = Proxies.of(Map.of("http_proxy", "http://me%40home:p%3Ass@p:3128")).proxyFor(URI.create("http://x/"));
        assertThat(Proxies.authorization(proxy)).isEqualTo(Proxies.basic("me@home", "p:ss"));
        assertThat(Proxies.authorization(Proxies.of(Map.of("http_proxy", "http://me:pw@p:3128")).proxyFor(URI.create("http://x/"))))
                .isEqualTo(Proxies.basic("me", "pw"));
    }

    @Test
    void aProxyThatIsNotHttpIsRefusedByName() {
        assertThatThrownBy(() -> Proxies.of(Map.of("https_proxy", "socks5://p:1080")))
                .hasMessage("https_proxy=socks5://p:1080: only http:// proxies are supported");
    }
}
