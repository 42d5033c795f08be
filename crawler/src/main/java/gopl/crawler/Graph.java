package gopl.crawler;

import gopl.crawler.Crawler.Kind;
import gopl.crawler.Crawler.Link;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The URLs a crawl has found, as a shortest-path search that tolerates racing responses: each URL
 * keeps the best role known (a page at the shortest depth, else a requisite the fewest hops from
 * a page), and when a better chain to an already fetched URL turns up, its links are relaxed
 * again from there. It also counts the URLs not done yet, under the same lock, so that the crawl
 * is over exactly when that count drops to 0. Bounded: at most {@code maxPages} URLs, and at most
 * {@link #MAX_REMEMBERED_LINKS} links kept for relaxing again (past them, links are followed once).
 */
final class Graph {
    /** Links kept in all, to explore again a page later reached by a shorter chain. */
    static final long MAX_REMEMBERED_LINKS = 1_000_000;

    /**
     * A URL reachable in a given role: hops 0 for a page, n for a requisite n requisite links from
     * one; {@code from} the URL whose link (or redirect) gives it, null for a start URL.
     */
    record Step(URI uri, int depth, int hops, URI from) {}

    /** How a URL is reached: its depth, whether as a page or only as a requisite, and from where. */
    record Role(int depth, Kind kind, URI referrer) {}

    private static final class Node {
        final URI uri;
        int depth;
        int hops;
        URI referrer;
        List<Link> links; // null until done

        Node(Step step) {
            uri = step.uri();
            depth = step.depth();
            hops = step.hops();
            referrer = step.from();
        }

        /** Being a page beats being a requisite; then the shorter chain wins. */
        boolean improvedBy(Step step) {
            return step.hops() == 0 ? hops > 0 || step.depth() < depth : hops > 0 && step.hops() < hops;
        }
    }

    private final int maxDepth;
    private final int maxPages;
    private final Consumer<String> notes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private final Map<URI, Node> nodes = new HashMap<>();
    private long pending;
    private long remembered;
    private boolean full;
    private volatile boolean closed;

    /** @param notes receives one line when maxPages is reached; called under the lock, so it must only queue it */
    Graph(int maxDepth, int maxPages, Consumer<String> notes) {
        this.maxDepth = maxDepth;
        this.maxPages = maxPages;
        this.notes = notes;
    }

    /** Records nothing new from now on (the quota is spent). */
    void close() {
        closed = true;
    }

    /** Records that each step's URL is reachable in that role; returns the URLs new to the graph. */
    List<URI> relax(List<Step> steps) {
        var found = new ArrayList<URI>();
        var work = new ArrayDeque<>(steps);
        lock.lock();
        try {
            for (Step step; (step = work.poll()) != null; ) {
                var node = nodes.get(step.uri());
                if (node == null && record(step)) {
                    found.add(step.uri());
                } else if (node != null && node.improvedBy(step)) {
                    node.depth = step.depth();
                    node.hops = step.hops();
                    node.referrer = step.from();
                    if (node.links != null) {
                        node.links.stream().map(link -> follow(node, link)).filter(Objects::nonNull).forEach(work::add);
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        return found;
    }

    /** Records a redirect's target in the role of the URL that redirected, if it is new: the caller fetches it then. */
    boolean claim(URI target, URI from) {
        lock.lock();
        try {
            var node = nodes.get(from);
            return !nodes.containsKey(target) && record(new Step(target, node.depth, node.hops, from));
        } finally {
            lock.unlock();
        }
    }

    private boolean record(Step step) {
        if (closed) {
            return false;
        }
        if (nodes.size() >= maxPages) {
            if (!full) {
                full = true;
                notes.accept("reached the limit of " + maxPages + " URLs: links to further URLs are not followed");
            }
            return false;
        }
        nodes.put(step.uri(), new Node(step));
        pending++;
        return true;
    }

    /** Where a link of a fetched node leads, or null if the crawl does not follow it from there. */
    private Step follow(Node from, Link link) {
        return switch (link.kind()) {
            case PAGE -> from.hops == 0 && from.depth < maxDepth ? new Step(link.uri(), from.depth + 1, 0, from.uri) : null;
            case REQUISITE -> from.hops < Crawler.MAX_REQUISITE_HOPS
                    ? new Step(link.uri(), from.depth + 1, from.hops + 1, from.uri) : null;
            case REDIRECT -> new Step(link.uri(), from.depth, from.hops, from.uri);
        };
    }

    /** Stores a fetched URL's links (some, past the cap on links kept); returns where they lead from its role now. */
    List<Step> links(URI uri, List<Link> links) {
        lock.lock();
        try {
            var node = nodes.get(uri);
            boolean keep = remembered + links.size() <= MAX_REMEMBERED_LINKS;
            remembered += keep ? links.size() : 0;
            node.links = keep ? links : List.of();
            return links.stream().map(link -> follow(node, link)).filter(Objects::nonNull).toList();
        } finally {
            lock.unlock();
        }
    }

    /** Counts a URL done; the crawl is over when none is left. */
    void done(URI uri) {
        lock.lock();
        try {
            if (nodes.get(uri).links == null) {
                nodes.get(uri).links = List.of();
            }
            if (--pending == 0) {
                idle.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Blocks until every URL recorded is done, or {@code stop} says so (checked when woken). */
    void awaitDone(BooleanSupplier stop) throws InterruptedException {
        lock.lock();
        try {
            while (pending > 0 && !stop.getAsBoolean()) {
                idle.await();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Wakes {@link #awaitDone} to check its condition. */
    void wake() {
        lock.lock();
        try {
            idle.signalAll();
        } finally {
            lock.unlock();
        }
    }

    Role role(URI uri) {
        lock.lock();
        try {
            var node = nodes.get(uri);
            return new Role(node.depth, node.hops == 0 ? Kind.PAGE : Kind.REQUISITE, node.referrer);
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return nodes.size();
        } finally {
            lock.unlock();
        }
    }
}
