package gopl.crawler;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CrawlerTest {
    private final TestSite site = new TestSite();

    CrawlerTest() throws Exception {}

    @AfterEach
    void stop() throws Exception {
        site.close();
    }

    private List<URI> crawl(Crawler.Builder builder, String start) {
        var found = new ConcurrentLinkedQueue<URI>();
        builder.onFound(found::add).build().crawl(site.uri(start));
        return List.copyOf(found);
    }

    @Test
    void findsEveryLinkedPageOnce() {
        site.page("/", "/a", "/b", "/a#top", "mailto:x@example.com")
                .page("/a", "/", "/b", "/c")
                .page("/b", "/a")
                .page("/c");
        var found = crawl(Crawler.builder(), "/");
        assertThat(found).containsExactlyInAnyOrder(site.uri("/"), site.uri("/a"), site.uri("/b"), site.uri("/c"));
        assertThat(site.requests).containsExactlyInAnyOrder("/", "/a", "/b", "/c");
    }
}
