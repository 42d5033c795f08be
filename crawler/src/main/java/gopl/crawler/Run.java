package gopl.crawler;

import gopl.common.Http;
import gopl.common.http.Connections;
import gopl.crawler.Crawler.Failure;
import gopl.crawler.Crawler.Kind;
import gopl.crawler.Crawler.Link;
import gopl.crawler.Crawler.Stats;
import gopl.crawler.Fetcher.FetchException;
import gopl.crawler.Graph.Step;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One crawl: the {@link Graph} of URLs found so far, a {@link Frontier} of URLs waiting to be
 * fetched (first in, first out per host, so shallow pages go first; hosts taking turns within
 * their politeness), and the {@link Dispatcher} that starts a virtual thread for a URL when it
 * takes a token. A redirect is an edge to its target at the same depth: the worker follows it at
 * once if the target is new (claiming it) and on the same host, else the chain ends there, since
 * the target is fetched on its own. Pages are handed out within a memory budget. With robots.txt
 * honoured, each site's is read before its first URL is fetched (start URLs are fetched anyway).
 *
 * <p>Not du's TaskGroup: after a cancel we must wait for the interrupted workers to finish
 * (so no callback runs after crawl returns), and TaskGroup cannot be awaited again once its
 * await was interrupted. The pending count lives in the graph, under its lock, instead.
 */
final class Run implements AutoCloseable {
    /** A 2xx response at the end of a chain of redirects from {@code uri}, to process. */
    private record Arrival(URI uri, URI finalUri, Fetcher.Response response) {}

    private final Crawler.Builder settings;
    private final Connections connections;
    private final Fetcher fetcher;
    private final MemoryBudget budget = new MemoryBudget();
    private final ExecutorService workers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("crawl-", 1).factory());
    private final Graph graph;
    private final Dispatcher dispatcher;
    private final RobotsCache robots; // null when robots.txt is not honoured
    private final Set<URI> starts = ConcurrentHashMap.newKeySet();
    private final Set<String> startSites = ConcurrentHashMap.newKeySet();
    private volatile boolean overQuota;
    private final AtomicBoolean manyLinks = new AtomicBoolean();
    private volatile boolean cancelled;
    private final Queue<String> notes = new ConcurrentLinkedQueue<>(); // for onLimit, outside the lock
    private final AtomicLong fetched = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong disallowed = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicReference<Throwable> callbackFailure = new AtomicReference<>();
    private final long started = System.nanoTime();

    Run(Crawler crawler) {
        this.settings = crawler.settings;
        this.connections = settings.sslContext == null ? new Connections(settings.proxies)
                : new Connections(settings.proxies, () -> settings.sslContext);
        var rate = settings.limitRate > 0 ? new RateLimit(settings.limitRate) : null;
        this.fetcher = new Fetcher(connections, new Fetcher.Options(settings.timeout, settings.maxPageSize, false,
                MemoryBudget.LOAD_LIMIT, settings.userAgent, settings.scope, settings.compression, rate, this::headers,
                settings.cookies));
        this.graph = new Graph(settings.maxDepth, settings.maxPages, notes::add);
        var frontier = new Frontier(settings.maxPerHost, settings.wait, settings.randomWait);
        this.dispatcher = new Dispatcher(settings.concurrency, frontier, workers, this::visit, uri -> finish(uri, List.of()),
                () -> cancelled);
        this.robots = settings.robots ? new RobotsCache(fetcher, frontier, settings.onRobots, notes::add) : null;
    }

    void seed(List<URI> seeds) {
        starts.addAll(seeds);
        seeds.forEach(uri -> startSites.add(site(uri)));
        relax(seeds.stream().map(uri -> new Step(uri, 0, 0, null)).toList());
        dispatch();
    }

    /** Blocks until every found URL is done, or the run is cancelled. */
    void awaitDone() throws InterruptedException {
        graph.awaitDone(() -> cancelled);
    }

    void cancel() {
        cancelled = true;
        workers.shutdownNow(); // interrupts every worker: a virtual thread's blocked socket is closed
        dispatcher.close();
        connections.close(); // and any other, so no request outlives the cancel
        graph.wake();
    }

    /** Waits for the workers to end, then closes every connection. */
    @Override
    public void close() {
        dispatcher.close();
        workers.close();
        connections.close();
    }

    Stats stats() {
        return new Stats(graph.size(), fetched.get(), failed.get(), skipped.get(), disallowed.get(), bytes.get(),
                Duration.ofNanos(System.nanoTime() - started), cancelled);
    }

    void rethrowCallbackFailure() {
        switch (callbackFailure.get()) {
            case null -> {}
            case RuntimeException e -> throw e;
            case Error e -> throw e;
            case Throwable e -> throw new IllegalStateException(e);
        }
    }

    /** Records that each step's URL is reachable in that role, and starts the new ones. */
    private void relax(List<Step> steps) {
        var found = graph.relax(steps);
        flushNotes();
        found.forEach(this::start);
    }

    /** Announces a found URL, then queues it for a token. */
    private void start(URI uri) {
        if (announce(uri)) {
            dispatcher.add(uri);
        } else {
            finish(uri, List.of());
        }
    }

    /** Calls onFound; false if the run is over (cancelled, or the callback threw). */
    private boolean announce(URI uri) {
        if (cancelled) {
            return false;
        }
        try {
            settings.onFound.accept(uri);
            return true;
        } catch (RuntimeException | Error e) {
            failInCallback(e);
            return false;
        }
    }

    /** Starts a worker for each waiting URL while tokens are free; past the quota, skips them all. */
    private void dispatch() {
        if (overQuota) {
            for (var uri : dispatcher.drain()) {
                skipped.incrementAndGet();
                result(uri, 0, null, "not fetched: the quota was reached");
                graph.done(uri);
            }
        }
        dispatcher.dispatch();
    }

    /** The book's crawl(url), on a token dispatch took: fetch (following redirects), then process the page. */
    private void visit(URI uri) {
        Arrival arrival;
        try {
            arrival = fetch(uri);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // cancelled: the thread ends here
            return;
        } finally {
            dispatcher.done(uri);
            dispatch(); // the next request goes out while this page is parsed
        }
        if (arrival != null) {
            process(arrival);
        }
    }

    /**
     * Fetches a URL, following its redirects through URLs not found yet; returns the final 2xx
     * response, or null when the chain ended otherwise. Every URL it leaves is finished.
     */
    private Arrival fetch(URI uri) throws InterruptedException {
        long deadline = 0;
        var chain = new HashSet<URI>();
        for (var current = uri; ; ) {
            chain.add(current);
            try {
                if (!allowed(current)) {
                    disallowed.incrementAndGet();
                    result(current, 0, null, "disallowed by robots.txt");
                    finish(current, List.of());
                    return null;
                }
                deadline = deadline != 0 ? deadline : fetcher.deadline(); // after robots.txt, which has its own
                var response = fetcher.get(current, deadline);
                if (response.isSuccess() || response.isNotModified()) {
                    return new Arrival(uri, current, response);
                }
                if (!response.isRedirect()) {
                    throw new FetchException(Http.statusText(response.status()), response.status(), null);
                }
                var target = redirectTarget(current, response, chain);
                if (!redirect(current, target, response.status())) {
                    return null;
                }
                if (!Frontier.hostOf(target).equals(Frontier.hostOf(current))) {
                    dispatcher.add(target); // another host's: fetched in its turn, within its politeness
                    dispatch();
                    return null;
                }
                current = target;
            } catch (FetchException e) {
                fail(current, e);
                return null;
            } catch (InterruptedException | RuntimeException | Error e) {
                finish(current, List.of());
                throw e;
            }
        }
    }

    /** The header fields a request for the URL adds: the caller's for all, credentials for a start site, the caller's for it. */
    private Map<String, String> headers(URI uri) {
        var perUrl = settings.requestHeaders.apply(uri);
        boolean authorize = settings.authorization != null && startSites.contains(site(uri));
        if (settings.headers.isEmpty() && !authorize) {
            return perUrl;
        }
        var all = new LinkedHashMap<>(settings.headers);
        if (authorize) {
            all.put("Authorization", settings.authorization);
        }
        all.putAll(perUrl);
        return all;
    }

    private static String site(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    /** Whether robots.txt lets us fetch the URL (start URLs always: the user asked for them), reading it first if need be. */
    private boolean allowed(URI uri) throws InterruptedException {
        if (robots == null) {
            return true;
        }
        try {
            var rules = robots.of(uri);
            flushNotes();
            return starts.contains(uri) || rules.allows(uri);
        } catch (RuntimeException | Error e) {
            failInCallback(e); // onRobots threw
            throw new InterruptedException("cancelled");
        }
    }

    private URI redirectTarget(URI from, Fetcher.Response response, Set<URI> chain) throws FetchException {
        if (chain.size() > settings.maxRedirects) {
            throw new FetchException("too many redirects (more than " + settings.maxRedirects + ")", response.status(), null);
        }
        var target = fetcher.redirectTarget(from, response.location(), response.status());
        if (chain.contains(target)) {
            throw new FetchException("redirect loop", response.status(), null);
        }
        return target;
    }

    /**
     * Records that {@code from} redirected to {@code target} and finishes it; true if the target
     * is new and so now this worker's to fetch, false if it is fetched on its own (or not at all).
     */
    private boolean redirect(URI from, URI target, int status) {
        fetched.incrementAndGet();
        result(from, status, target, null);
        try {
            settings.onRedirect.accept(from, target);
        } catch (RuntimeException | Error e) {
            failInCallback(e);
        }
        boolean claimed = graph.claim(target, from);
        flushNotes();
        claimed = claimed && announce(target);
        finish(from, List.of(new Link(target, Kind.REDIRECT))); // after the claim: pending never drops to 0 between
        return claimed;
    }

    /** Takes the page's links and hands it over, within the memory budget, then follows the links. */
    private void process(Arrival arrival) {
        var response = arrival.response();
        List<Link> links = List.of();
        int cost = 0;
        try {
            fetched.incrementAndGet();
            if (bytes.addAndGet(response.body().size()) >= settings.quota && !overQuota) {
                overQuota = true;
                graph.close();
                notes.add("reached the quota of " + settings.quota + " bytes downloaded: no further URLs are fetched");
            }
            result(arrival.finalUri(), response.status(), null, null);
            cost = budget.acquire(response);
            var role = graph.role(arrival.finalUri());
            var page = Fetcher.page(arrival.uri(), role.depth(), role.kind(), response, settings.parseHtml);
            if (Fetcher.isHtml(response) && !page.isHtml()) {
                notes.add(arrival.finalUri() + ": " + response.body().size() + " bytes of HTML, more than the " + MemoryBudget.LOAD_LIMIT
                        + " parsed: its links are not followed");
            }
            links = followable(arrival.finalUri(), settings.extractor.extract(page));
            settings.onPage.accept(page); // after the links are taken: it may change the document
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // cancelled: the thread ends here
        } catch (RuntimeException | Error e) {
            failInCallback(e);
        } finally {
            budget.release(cost);
            response.body().discard();
            flushNotes();
            finish(arrival.finalUri(), links);
        }
    }

    /** The links to follow from a page: in scope, each once, none too long, at most MAX_LINKS_PER_PAGE. */
    private List<Link> followable(URI page, List<Link> links) {
        var seen = new HashSet<URI>();
        var kept = new ArrayList<Link>();
        for (var link : links) {
            if (kept.size() == Links.MAX_LINKS_PER_PAGE) {
                if (!manyLinks.getAndSet(true)) { // once: a site of such pages must not flood the output
                    notes.add(page + ": only its first " + Links.MAX_LINKS_PER_PAGE + " links are followed (and so for any such page)");
                }
                break;
            }
            if (link.uri().toString().length() <= Fetcher.MAX_URL_LENGTH && settings.scope.test(link.uri()) && seen.add(link.uri())) {
                kept.add(link);
            }
        }
        return kept;
    }

    private void fail(URI uri, FetchException e) {
        if (!cancelled) {
            failed.incrementAndGet();
            report(new Failure(uri, graph.role(uri).depth(), e.status(), e.getMessage(), e.getCause()));
            result(uri, e.status(), null, e.getMessage());
        }
        finish(uri, List.of());
    }

    private void report(Failure failure) {
        try {
            settings.onError.accept(failure);
        } catch (RuntimeException | Error e) {
            failInCallback(e);
        }
    }

    /** Stores a done URL's links, follows them from its role now, and counts it done. */
    private void finish(URI uri, List<Link> links) {
        var next = graph.links(uri, links);
        if (!cancelled) {
            relax(next); // before the count drops, so the crawl cannot look finished in between
        }
        dispatch();
        graph.done(uri);
    }

    /** Tells onResult what became of a URL. */
    private void result(URI uri, int status, URI location, String error) {
        if (cancelled) {
            return;
        }
        var role = graph.role(uri);
        try {
            settings.onResult.accept(new Crawler.Result(uri, role.depth(), role.referrer(), status, location, error));
        } catch (RuntimeException | Error e) {
            failInCallback(e);
        }
    }

    private void flushNotes() {
        for (String note; (note = notes.poll()) != null; ) {
            try {
                settings.onLimit.accept(note);
            } catch (RuntimeException | Error e) {
                failInCallback(e);
            }
        }
    }

    private void failInCallback(Throwable e) {
        if (callbackFailure.compareAndSet(null, e)) {
            cancel();
        }
    }
}
