package gopl.crawler;

import gopl.crawler.Crawler.Failure;
import gopl.crawler.Crawler.Kind;
import gopl.crawler.Crawler.Link;
import gopl.crawler.Crawler.Stats;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One crawl: the graph of URLs found so far, a frontier of URLs waiting to be fetched (first in,
 * first out, so shallow pages go first), and the book's token semaphore: a virtual thread is
 * started for a URL only when it takes a token, so threads are at most the requests in flight,
 * however many URLs wait. The graph is a shortest-path search that tolerates racing responses:
 * each URL keeps the shortest depth known, and when a shorter chain to an already fetched page
 * turns up, its links are relaxed again from the new depth.
 *
 * <p>Not du's TaskGroup: after a cancel we must wait for the interrupted workers to finish
 * (so no callback runs after crawl returns), and TaskGroup cannot be awaited again once its
 * await was interrupted. The pending count lives under the graph's lock instead.
 */
final class Run implements AutoCloseable {
    /** A URL found: its shortest known depth, and its in-scope links once fetched. */
    private static final class Node {
        int depth;
        List<Link> links; // null until fetched (or failed: empty)

        Node(int depth) {
            this.depth = depth;
        }
    }

    /** A link to follow from a given depth. */
    private record Step(URI uri, int depth, Kind kind) {}

    private final Crawler.Builder settings;
    private final HttpClient client;
    private final boolean ownsClient;
    private final Fetcher fetcher;
    private final Semaphore tokens;
    private final ExecutorService workers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("crawl-", 1).factory());
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private final Map<URI, Node> nodes = new HashMap<>();
    private final Queue<URI> frontier = new ConcurrentLinkedQueue<>(); // found, announced, waiting for a token
    private long pending; // URLs found and not yet done, under lock
    private volatile boolean cancelled;
    private final AtomicLong fetched = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicReference<Throwable> callbackFailure = new AtomicReference<>();
    private final long started = System.nanoTime();

    Run(Crawler crawler) {
        this.settings = crawler.settings;
        this.ownsClient = settings.client == null;
        this.client = ownsClient
                ? HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(settings.timeout).build()
                : settings.client;
        this.fetcher = new Fetcher(client, settings.timeout, settings.maxPageSize, settings.userAgent,
                settings.maxRedirects, settings.scope);
        this.tokens = new Semaphore(settings.concurrency);
    }

    void seed(List<URI> starts) {
        relax(starts.stream().map(uri -> new Step(uri, 0, Kind.PAGE)).toList());
        dispatch();
    }

    /** Blocks until every found URL is done, or the run is cancelled. */
    void awaitDone() throws InterruptedException {
        lock.lock();
        try {
            while (pending > 0 && !cancelled) {
                idle.await();
            }
        } finally {
            lock.unlock();
        }
    }

    void cancel() {
        cancelled = true;
        workers.shutdownNow(); // interrupts every worker: each cancels its request (see Fetcher)
        lock.lock();
        try {
            idle.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits for the workers to end, then closes the client if it is ours. */
    @Override
    public void close() {
        workers.close();
        if (ownsClient) {
            client.shutdownNow();
        }
    }

    Stats stats() {
        long found;
        lock.lock();
        try {
            found = nodes.size();
        } finally {
            lock.unlock();
        }
        return new Stats(found, fetched.get(), failed.get(), bytes.get(), Duration.ofNanos(System.nanoTime() - started), cancelled);
    }

    void rethrowCallbackFailure() {
        switch (callbackFailure.get()) {
            case null -> {}
            case RuntimeException e -> throw e;
            case Error e -> throw e;
            case Throwable e -> throw new IllegalStateException(e);
        }
    }

    /**
     * Records that each step's URL is reachable at that depth: new URLs are announced and
     * fetched, fetched pages reached by a shorter chain have their links relaxed again.
     */
    private void relax(List<Step> steps) {
        var found = new ArrayList<URI>();
        var work = new ArrayDeque<>(steps);
        lock.lock();
        try {
            for (Step step; (step = work.poll()) != null; ) {
                if (step.kind() == Kind.PAGE && step.depth() > settings.maxDepth) {
                    continue;
                }
                var node = nodes.get(step.uri());
                if (node == null) {
                    nodes.put(step.uri(), new Node(step.depth()));
                    found.add(step.uri());
                    pending++;
                } else if (step.depth() < node.depth) {
                    node.depth = step.depth();
                    if (node.links != null) {
                        for (var link : node.links) {
                            work.add(new Step(link.uri(), node.depth + 1, link.kind()));
                        }
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        found.forEach(this::start);
    }

    /** Announces a found URL, then queues it for a token. */
    private void start(URI uri) {
        if (cancelled) {
            finish(uri, List.of());
            return;
        }
        try {
            settings.onFound.accept(uri);
        } catch (RuntimeException | Error e) {
            failInCallback(e);
            finish(uri, List.of());
            return;
        }
        frontier.add(uri);
    }

    /** Starts a worker for each waiting URL while tokens are free. */
    private void dispatch() {
        while (!cancelled && tokens.tryAcquire()) {
            var next = frontier.poll();
            if (next == null) {
                tokens.release();
                if (frontier.isEmpty()) {
                    return;
                }
                continue; // a URL came in while we held the token: its dispatch may have found none free
            }
            try {
                workers.execute(() -> visit(next));
            } catch (RejectedExecutionException e) {
                tokens.release(); // cancelled
                finish(next, List.of());
            }
        }
    }

    /** The book's crawl(url), on a token dispatch took: fetch, hand the page over, follow its links. */
    private void visit(URI uri) {
        List<Link> links = List.of();
        try {
            Fetcher.Response response;
            try {
                response = fetcher.fetch(uri);
            } finally {
                tokens.release();
                dispatch(); // the next request goes out while this page is parsed
            }
            var page = Fetcher.page(uri, depthOf(uri), response);
            fetched.incrementAndGet();
            bytes.addAndGet(response.body().length);
            settings.onPage.accept(page);
            links = inScope(settings.extractor.extract(page));
        } catch (Fetcher.FetchException e) {
            if (!cancelled) {
                failed.incrementAndGet();
                report(new Failure(uri, depthOf(uri), e.status(), e.getMessage(), e.getCause()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // cancelled: the thread ends here
        } catch (RuntimeException | Error e) {
            failInCallback(e);
        } finally {
            finish(uri, links);
        }
    }

    private void report(Failure failure) {
        try {
            settings.onError.accept(failure);
        } catch (RuntimeException | Error e) {
            failInCallback(e);
        }
    }

    private List<Link> inScope(List<Link> links) {
        return links.stream().filter(link -> settings.scope.test(link.uri())).toList();
    }

    /** Stores a done page's links, follows them from its depth now, and counts it done. */
    private void finish(URI uri, List<Link> links) {
        List<Step> next = List.of();
        lock.lock();
        try {
            var node = nodes.get(uri);
            node.links = links;
            if (!cancelled) {
                next = links.stream().map(link -> new Step(link.uri(), node.depth + 1, link.kind())).toList();
            }
        } finally {
            lock.unlock();
        }
        relax(next); // before the count drops, so the crawl cannot look finished in between
        dispatch();
        lock.lock();
        try {
            if (--pending == 0) {
                idle.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    private int depthOf(URI uri) {
        lock.lock();
        try {
            return nodes.get(uri).depth;
        } finally {
            lock.unlock();
        }
    }

    private void failInCallback(Throwable e) {
        if (callbackFailure.compareAndSet(null, e)) {
            cancel();
        }
    }
}
