package gopl.mirror;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The guesses saved pages made for links whose target was not saved yet: the file each target
 * was given (or none: its link was left absolute), recorded once per target however many pages
 * link to it, and for each page only references to those records. When the crawl is done, the
 * pages with a wrong guess are the ones to fix. A hostile site's millions of links cannot make
 * this grow without bound: past {@code limit} targets, new links are simply left absolute.
 */
final class Guesses {
    /** A link target and the file its links were given, or null if they were left absolute. */
    record Target(URI uri, Path file) {
        boolean isWrong(Function<URI, Path> savedAt) {
            var actual = savedAt.apply(uri);
            return file == null ? actual != null : !file.equals(actual);
        }
    }

    /** A saved page (or stylesheet) and the targets it guessed. */
    record Page(URI url, boolean html, List<Target> targets) {}

    private final int limit;
    private final Map<Path, Target> byFile = new ConcurrentHashMap<>();
    private final Map<URI, Target> absolute = new ConcurrentHashMap<>();
    private final Map<Path, Page> pages = new ConcurrentHashMap<>();
    private final AtomicBoolean full = new AtomicBoolean();
    private final Runnable onFull;

    /** @param onFull called once, when the limit is first reached */
    Guesses(int limit, Runnable onFull) {
        this.limit = limit;
        this.onFull = onFull;
    }

    /**
     * Records that links to {@code uri} were given {@code file} (or were left absolute, when it is
     * null); null if that cannot be recorded: the limit, or another URL given the same file.
     */
    Target guess(URI uri, Path file) {
        var existing = file == null ? absolute.get(uri) : byFile.get(file);
        if (existing != null) {
            return existing.uri().equals(uri) ? existing : null;
        }
        if (byFile.size() + absolute.size() >= limit) {
            if (full.compareAndSet(false, true)) {
                onFull.run();
            }
            return null;
        }
        var target = new Target(uri, file);
        existing = file == null ? absolute.putIfAbsent(uri, target) : byFile.putIfAbsent(file, target);
        return existing == null ? target : existing.uri().equals(uri) ? existing : null;
    }

    void page(Path file, Page page) {
        if (!page.targets().isEmpty()) {
            pages.put(file, page);
        }
    }

    /** The URL a local link's file was guessed for, or null. */
    URI guessedAt(Path file) {
        var target = byFile.get(file);
        return target == null ? null : target.uri();
    }

    /** Whether links to this URL were left absolute, for want of a local copy yet. */
    boolean leftAbsolute(URI uri) {
        return absolute.containsKey(uri);
    }

    /** Each saved page that has a wrong guess, now that every URL's file is known. */
    void forEachWrong(Function<URI, Path> savedAt, BiConsumer<Path, Page> action) {
        pages.forEach((file, page) -> {
            if (page.targets().stream().anyMatch(target -> target.isWrong(savedAt))) {
                action.accept(file, page);
            }
        });
    }
}
