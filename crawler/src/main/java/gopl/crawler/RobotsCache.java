package gopl.crawler;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The robots.txt of each site a crawl fetches from, read once per scheme, host and port (RFC
 * 9309) by the first worker that needs it, while the others wanting the same site wait for it.
 * Its {@code Crawl-delay} becomes the site's wait between requests, up to {@link #MAX_CRAWL_DELAY}.
 */
final class RobotsCache {
    /** The longest Crawl-delay honoured: a site asking for more (a day) would stop the crawl. */
    static final Duration MAX_CRAWL_DELAY = Duration.ofSeconds(60);

    private final Map<String, CompletableFuture<Robots>> sites = new ConcurrentHashMap<>();
    private final Fetcher fetcher;
    private final Frontier frontier;
    private final BiConsumer<URI, Robots> onRobots;
    private final Consumer<String> notes;

    RobotsCache(Fetcher fetcher, Frontier frontier, BiConsumer<URI, Robots> onRobots, Consumer<String> notes) {
        this.fetcher = fetcher.forRobots(Robots.MAX_SIZE);
        this.frontier = frontier;
        this.onRobots = onRobots;
        this.notes = notes;
    }

    /** The rules for the URL's site, fetched now if this is the first URL of that site. */
    Robots of(URI uri) throws InterruptedException {
        var site = URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + "/");
        var mine = new CompletableFuture<Robots>();
        var theirs = sites.putIfAbsent(site.toString(), mine);
        if (theirs != null) {
            try {
                return theirs.get();
            } catch (ExecutionException e) {
                return Robots.ALLOW_ALL; // the callback of the worker that read it threw: the crawl is over anyway
            }
        }
        var robots = Robots.fetch(site, fetcher);
        if (Thread.currentThread().isInterrupted()) {
            mine.complete(robots);
            throw new InterruptedException("cancelled");
        }
        apply(site, robots);
        try {
            onRobots.accept(site, robots);
        } finally {
            mine.complete(robots);
        }
        return robots;
    }

    private void apply(URI site, Robots robots) {
        var delay = robots.crawlDelay();
        if (delay.compareTo(MAX_CRAWL_DELAY) > 0) {
            notes.accept(site.resolve("/robots.txt") + " asks for a Crawl-delay of " + delay.toSeconds() + "s: waiting "
                    + MAX_CRAWL_DELAY.toSeconds() + "s between requests, the most the crawl waits");
            delay = MAX_CRAWL_DELAY;
        }
        if (delay.isPositive()) {
            frontier.atLeast(site, delay);
        }
    }
}
