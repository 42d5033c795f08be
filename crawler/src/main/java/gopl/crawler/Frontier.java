package gopl.crawler;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The URLs waiting to be fetched, first in first out per host, handed out politely: at most
 * {@code perHost} requests at once to a host, and with a wait (wget's {@code --wait}, or the
 * host's robots.txt {@code Crawl-delay}) one at a time, each starting that long after the last
 * one ended, randomised to 0.5 to 1.5 times the wait with {@code --random-wait} as in wget.
 * Hosts take turns, so one slow or polite host does not hold up the others.
 */
final class Frontier {
    private static final class Host {
        final ArrayDeque<URI> waiting = new ArrayDeque<>();
        int inFlight;
        long wait; // nanoseconds between requests, 0 for none
        long notBefore; // when the next request may start
        boolean listed; // in ready or delayed
    }

    private final int perHost;
    private final long wait;
    private final boolean randomWait;
    private final Map<String, Host> hosts = new HashMap<>();
    private final ArrayDeque<Host> ready = new ArrayDeque<>();
    private final PriorityQueue<Host> delayed = new PriorityQueue<>((a, b) -> Long.compare(a.notBefore, b.notBefore));
    private int size;

    Frontier(int perHost, Duration wait, boolean randomWait) {
        this.perHost = perHost;
        this.wait = wait.toNanos();
        this.randomWait = randomWait;
    }

    /** The politeness key: the host name, whatever the port or scheme (one machine). */
    static String hostOf(URI uri) {
        return uri.getHost().toLowerCase(Locale.ROOT);
    }

    synchronized void add(URI uri) {
        var host = hosts.computeIfAbsent(hostOf(uri), key -> {
            var created = new Host();
            created.wait = wait;
            return created;
        });
        host.waiting.add(uri);
        size++;
        list(host, System.nanoTime());
    }

    /**
     * A URL whose host may take a request now, counted as in flight until {@link #done}; null if
     * none may (see {@link #nextStart}).
     */
    synchronized URI poll() {
        long now = System.nanoTime();
        while (!delayed.isEmpty() && delayed.peek().notBefore <= now) {
            ready.add(delayed.poll());
        }
        var host = ready.poll();
        if (host == null) {
            return null;
        }
        host.listed = false;
        var uri = host.waiting.poll();
        size--;
        host.inFlight++;
        list(host, now); // its turn again, after the other hosts ready now
        return uri;
    }

    /** A request that {@link #poll} handed out is over: its host may take the next one, after its wait. */
    synchronized void done(URI uri) {
        var host = hosts.get(hostOf(uri));
        host.inFlight--;
        long now = System.nanoTime();
        host.notBefore = now + (randomWait ? (long) (host.wait * ThreadLocalRandom.current().nextDouble(0.5, 1.5)) : host.wait);
        list(host, now);
    }

    /** Makes a host wait at least this long between requests (robots.txt's Crawl-delay): wget's --wait for one host. */
    synchronized void atLeast(URI uri, Duration delay) {
        var host = hosts.get(hostOf(uri));
        if (host != null && delay.toNanos() > host.wait) {
            host.wait = delay.toNanos();
        }
    }

    /** Nanoseconds from now until a host that only waits out its delay may start a request; -1 if none waits so. */
    synchronized long nextStart() {
        var next = delayed.peek();
        return next == null ? -1 : Math.max(0, next.notBefore - System.nanoTime());
    }

    /** Whether a URL could be handed out now. */
    synchronized boolean hasReady() {
        return !ready.isEmpty() || !delayed.isEmpty() && delayed.peek().notBefore <= System.nanoTime();
    }

    synchronized boolean isEmpty() {
        return size == 0;
    }

    /** Takes every waiting URL out (the quota is spent). */
    synchronized List<URI> drain() {
        var all = new ArrayList<URI>();
        for (var host : hosts.values()) {
            all.addAll(host.waiting);
            host.waiting.clear();
        }
        ready.clear();
        delayed.clear();
        hosts.values().forEach(host -> host.listed = false);
        size = 0;
        return all;
    }

    /** Puts a host where it belongs: ready, delayed until its wait is over, or nowhere (nothing waits, or it is full). */
    private void list(Host host, long now) {
        int cap = host.wait > 0 ? 1 : perHost;
        if (host.listed || host.waiting.isEmpty() || host.inFlight >= cap) {
            return;
        }
        host.listed = true;
        if (host.notBefore > now) {
            delayed.add(host);
        } else {
            ready.add(host);
        }
    }
}
