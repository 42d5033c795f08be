package gopl.crawler;

import static org.assertj.core.api.Assertions.assertThat;

import gopl.common.testing.Compressed;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** gzip and deflate bodies decoded, and the size cap on what they decode to: a compression bomb is cut off. */
@Timeout(60)
class CompressionTest {
    private final TestSite site = new TestSite();
    private final ConcurrentLinkedQueue<Crawler.Failure> failures = new ConcurrentLinkedQueue<>();
    private final Map<String, String> bodies = new ConcurrentHashMap<>();

    CompressionTest() throws Exception {}

    @AfterEach
    void stop() throws Exception {
        site.close();
    }

    private Crawler.Builder builder() {
        return Crawler.builder().timeout(Duration.ofSeconds(20)).onError(failures::add)
                .onPage(page -> bodies.put(page.uri().getPath(), new String(page.body().bytes(), StandardCharsets.UTF_8)));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void gzipAndBothKindsOfDeflateAreDecodedAndTheirLinksFollowed() {
        var html = Map.of("Content-Type", "text/html");
        site.raw("/", Map.of("Content-Type", "text/html", "Content-Encoding", "gzip"),
                        Compressed.gzip(bytes("<a href=/zlib>z</a><a href=/raw>r</a>")))
                .raw("/zlib", Map.of("Content-Type", "text/html", "Content-Encoding", "deflate"), Compressed.deflate(bytes("zlib body"), true))
                .raw("/raw", Map.of("Content-Type", "text/html", "Content-Encoding", "deflate"), Compressed.deflate(bytes("raw body"), false))
                .raw("/plain", html, bytes("plain"));
        builder().build().crawl(site.uri("/"), site.uri("/plain"));

        assertThat(failures).isEmpty();
        assertThat(bodies).containsEntry("/zlib", "zlib body").containsEntry("/raw", "raw body").containsEntry("/plain", "plain");
        assertThat(site.acceptEncodings).containsOnly("gzip, deflate");
    }

    /** 2 GiB of zeros in 2 MB of gzip: cut off once the page cap is decoded, not inflated into memory. */
    @Test
    void aCompressionBombIsCutOffAtTheSizeCap() {
        site.raw("/bomb", Map.of("Content-Type", "text/html", "Content-Encoding", "gzip"), Compressed.bomb(2L << 30))
                .raw("/ok", Map.of("Content-Type", "text/html"), bytes("ok"));
        var stats = builder().maxPageSize(10 << 20).build().crawl(site.uri("/bomb"), site.uri("/ok"));

        assertThat(failures).singleElement().extracting(Crawler.Failure::message)
                .isEqualTo("larger than the size cap of 10485760 bytes once decompressed");
        assertThat(stats.fetched()).isEqualTo(1);
    }

    @Test
    void withoutCompressionNothingIsAskedForOrDecoded() {
        var gzipped = Compressed.gzip(bytes("zipped"));
        site.raw("/", Map.of("Content-Type", "application/octet-stream", "Content-Encoding", "gzip"), gzipped);
        var seen = new java.util.concurrent.atomic.AtomicReference<byte[]>();
        Crawler.builder().compression(false).onPage(page -> seen.set(page.body().bytes())).build().crawl(site.uri("/"));

        assertThat(site.acceptEncodings).containsOnly("");
        assertThat(seen.get()).isEqualTo(gzipped);
    }

    @Test
    void aCodingNotAskedForFailsTheUrl() {
        site.raw("/", Map.of("Content-Type", "text/html", "Content-Encoding", "br"), bytes("not really brotli"));
        builder().build().crawl(site.uri("/"));

        assertThat(failures).singleElement().extracting(Crawler.Failure::message).isEqualTo("unsupported Content-Encoding: br");
    }
}
