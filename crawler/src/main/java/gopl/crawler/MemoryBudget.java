package gopl.crawler;

import java.util.concurrent.Semaphore;

/**
 * The heap a crawl lets the pages it hands out take at once: a quarter of the heap, at most 512
 * MiB. A page reserves its share before it is parsed and handed to the callbacks, and gives it
 * back after: 32 bytes per byte of HTML (jsoup's trees of hostile HTML measured up to 31 times the
 * input), 4 per byte of anything else (a copy or two). A page that does not fit waits; one that
 * alone is more than the budget takes all of it. Bodies larger than {@link #LOAD_LIMIT} are not
 * loaded at all: they are to be streamed from their spool file.
 */
final class MemoryBudget {
    static final long BYTES = Math.min(512L << 20, Runtime.getRuntime().maxMemory() / 4);
    private static final int HTML_FACTOR = 32;
    /** Bodies up to this size may be loaded and parsed; 16 MiB with a heap of 2 GiB or more. */
    static final long LOAD_LIMIT = BYTES / HTML_FACTOR;

    private final Semaphore kibibytes = new Semaphore(kibibytes(BYTES));

    /** Reserves the page's share; returns it, to {@link #release} after. */
    int acquire(Fetcher.Response response) throws InterruptedException {
        int cost = cost(response);
        kibibytes.acquire(cost);
        return cost;
    }

    void release(int cost) {
        kibibytes.release(cost);
    }

    private static int cost(Fetcher.Response response) {
        var body = response.body();
        if (!body.loadable()) {
            return 1;
        }
        long bytes = body.size() * (Fetcher.isHtml(response) ? HTML_FACTOR : 4);
        return Math.max(1, Math.min(kibibytes(BYTES), kibibytes(bytes)));
    }

    private static int kibibytes(long bytes) {
        return (int) Math.min(Integer.MAX_VALUE, (bytes + 1023) / 1024);
    }
}
