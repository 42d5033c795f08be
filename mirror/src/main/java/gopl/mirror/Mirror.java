package gopl.mirror;

import gopl.crawler.Crawler;
import gopl.crawler.Crawler.Failure;
import gopl.crawler.Crawler.Kind;
import gopl.crawler.Crawler.Link;
import gopl.crawler.Crawler.Page;
import gopl.crawler.Links;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;

/**
 * Exercise 8.7: mirrors one site with the crawler's engine. Each fetched page is saved as soon as
 * it arrives (by the crawler's workers, concurrently), with its links rewritten to the local
 * copies it will have. A link's target is often not fetched yet at that moment, so its file is a
 * guess, recorded; when the crawl is done, the pages whose guesses turned out wrong (the target
 * failed, redirected, was beyond the depth limit, or got another extension) are fixed. Only the
 * start URL's host and port are fetched; links elsewhere are left absolute.
 */
final class Mirror {
    /** @param robots whether to honour the site's robots.txt */
    record Settings(URI start, int maxDepth, int concurrency, Duration timeout, long maxSize, String userAgent,
            boolean robots) {}

    /** Counts so far: files saved, URLs found and not done yet, bytes saved, URLs that failed. */
    record Progress(long saved, long queued, long bytes, long errors) {}

    /** How the run went; {@code startFile} is null when the start page could not be saved. */
    record Result(Progress totals, Path startFile, Duration elapsed, boolean cancelled) {}

    /**
     * The links of a saved file whose target was not saved yet: {@code local} maps the file each
     * relative link was given to its URL, {@code absolute} lists URLs left absolute for now.
     */
    private record Guesses(URI url, boolean html, Map<Path, URI> local, Set<URI> absolute) {}

    // Names that are pages whatever they end with: no extension, or a script's.
    private static final Pattern PAGE_NAME =
            Pattern.compile("(?i)[^.]*|.*\\.(s?html?|php\\d?|aspx?|jspx?|cgi|pl|cfm|py)");

    private final Settings settings;
    private final LocalPaths paths;
    private final Consumer<String> errors;
    private final Map<URI, Path> savedAt = new ConcurrentHashMap<>();
    private final Map<Path, Guesses> guesses = new ConcurrentHashMap<>();
    private final AtomicLong found = new AtomicLong();
    private final AtomicLong done = new AtomicLong(); // URLs saved; several may share a file
    private final Set<Path> files = ConcurrentHashMap.newKeySet();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile boolean cancelled;
    private volatile Robots robots = Robots.ALLOW_ALL;

    /** @param errors receives one line per URL that could not be mirrored */
    Mirror(Settings settings, LocalPaths paths, Consumer<String> errors) {
        this.settings = settings;
        this.paths = paths;
        this.errors = errors;
    }

    Progress progress() {
        long queued = found.get() - done.get() - failed.get();
        return new Progress(files.size(), Math.max(0, queued), bytes.get(), failed.get());
    }

    /** Mirrors the site; returns early, with what was saved intact, if the calling thread is interrupted. */
    Result run() {
        long started = System.nanoTime();
        if (settings.robots()) {
            robots = Robots.fetch(settings.start(), settings.userAgent(), settings.timeout());
            if (robots.text() != null) {
                saveAs(settings.start().resolve("/robots.txt"), "text/plain", robots.text());
            }
        }
        var crawler = Crawler.builder()
                .maxDepth(settings.maxDepth())
                .concurrency(settings.concurrency())
                .timeout(settings.timeout())
                .maxPageSize(settings.maxSize())
                .userAgent(settings.userAgent())
                .scope(uri -> inScope(uri) && robots.allows(uri))
                .extractor(this::links)
                .onFound(uri -> found.incrementAndGet())
                .onPage(this::save)
                .onError(this::failed)
                .build();
        var stats = crawler.crawl(settings.start());
        cancelled = stats.cancelled() || Thread.currentThread().isInterrupted();
        if (!cancelled) {
            relink();
            cancelled = Thread.currentThread().isInterrupted();
        }
        var elapsed = Duration.ofNanos(System.nanoTime() - started);
        return new Result(progress(), savedAt.get(settings.start()), elapsed, cancelled);
    }

    /**
     * Only what goes in the start URL's directory, HOST[:PORT]: its host, on its port, or on
     * either default port, so that a site redirecting from http to https is still one site.
     */
    private boolean inScope(URI uri) {
        return uri.getHost() != null && LocalPaths.hostDir(uri).equals(LocalPaths.hostDir(settings.start()));
    }

    /** The crawler's link extractor: every link of an HTML page or stylesheet, requisites marked. */
    private List<Link> links(Page page) {
        var links = new LinkedHashMap<URI, Kind>();
        LinkRewriter.Visitor collect = (link, base, requisite) -> {
            LinkRewriter.resolve(base, link).ifPresent(uri -> links.merge(uri, requisite ? Kind.REQUISITE : Kind.PAGE,
                    (a, b) -> a == Kind.REQUISITE ? a : b));
            return null;
        };
        if (page.isHtml()) {
            LinkRewriter.rewrite(page.document(), collect);
        } else if (isCss(page)) {
            LinkRewriter.rewriteCss(new String(page.body(), cssCharset(page)), page.finalUri().toString(), collect);
        }
        return links.entrySet().stream().map(e -> new Link(e.getKey(), e.getValue())).toList();
    }

    /** Saves a fetched page under its final URL, links rewritten; a failure is reported, not thrown. */
    private void save(Page page) {
        Path file = null;
        try {
            file = paths.of(page.finalUri(), page.contentType());
            var guessed = new Guesses(page.finalUri(), page.isHtml(), new HashMap<>(), new HashSet<>());
            write(file, localize(page, file, guessed));
            if (!guessed.local().isEmpty() || !guessed.absolute().isEmpty()) {
                guesses.put(file, guessed);
            }
            savedAt.put(page.uri(), file);
            savedAt.put(page.finalUri(), file);
            done.incrementAndGet();
        } catch (IOException | RuntimeException e) {
            if (!Thread.currentThread().isInterrupted()) {
                failed(page.uri(), "cannot save " + (file == null ? "it" : file) + ": " + LocalPaths.describe(e, file));
            }
        }
    }

    private void saveAs(URI url, String contentType, byte[] content) {
        var file = paths.of(url, contentType);
        try {
            write(file, content);
        } catch (IOException e) {
            errors.accept("cannot save " + file + ": " + LocalPaths.describe(e, file));
        }
    }

    private void write(Path file, byte[] content) throws IOException {
        LocalPaths.write(file, content);
        if (files.add(file)) {
            bytes.addAndGet(content.length);
        }
    }

    /**
     * The page's bytes to save: HTML and CSS with each link pointing to the local copy, the rest
     * as is. The links whose target is not saved yet go in {@code guessed}.
     */
    private byte[] localize(Page page, Path file, Guesses guessed) {
        LinkRewriter.Visitor visitor = (link, base, requisite) -> LinkRewriter.resolve(base, link)
                .map(target -> localize(link, target, file, requisite, page.depth(), guessed))
                .orElse(null);
        if (page.isHtml()) {
            var document = page.document().clone(); // the crawler extracts links from the original after this
            LinkRewriter.rewrite(document, visitor);
            document.select("base[href]").removeAttr("href"); // links are relative to the file now
            return LinkRewriter.utf8(document);
        }
        if (isCss(page)) {
            var charset = cssCharset(page);
            var css = LinkRewriter.rewriteCss(new String(page.body(), charset), page.finalUri().toString(), visitor);
            return css.getBytes(charset);
        }
        return page.body();
    }

    /**
     * The link to write in place of {@code link}, which points to {@code target}: another host's
     * stays absolute (exactly as written if it was); ours points to the target's local copy if
     * it is saved already, else to where it will be, a guess recorded to check when done.
     */
    private String localize(String link, URI target, Path from, boolean requisite, int depth, Guesses guessed) {
        if (!inScope(target)) {
            return LinkRewriter.isAbsolute(link) ? null : target + LinkRewriter.fragment(link);
        }
        if (!robots.allows(target)) {
            return linkTo(link, target, from, null);
        }
        var file = savedAt.get(target);
        if (file == null && !requisite && depth >= settings.maxDepth()) {
            guessed.absolute().add(target); // a page the crawl will not follow from here
        } else if (file == null) {
            file = paths.of(target, guessType(target, requisite));
            guessed.local().put(file, target);
        }
        return linkTo(link, target, from, file);
    }

    /** A target's content type as far as its URL tells, for wget -E's extension. */
    private static String guessType(URI target, boolean requisite) {
        var name = target.getPath().substring(target.getPath().lastIndexOf('/') + 1);
        if (name.toLowerCase(Locale.ROOT).endsWith(".css")) {
            return "text/css";
        }
        return !requisite && (target.getRawQuery() != null || PAGE_NAME.matcher(name).matches()) ? "text/html" : null;
    }

    /** A link to the local file, or to the absolute URL if there is none; the fragment kept. */
    private static String linkTo(String link, URI target, Path from, Path file) {
        return (file == null ? target.toString() : LocalPaths.href(from, file)) + LinkRewriter.fragment(link);
    }

    private void failed(Failure failure) {
        if (!cancelled && !Thread.currentThread().isInterrupted()) {
            failed(failure.uri(), failure.message());
        }
    }

    private void failed(URI uri, String message) {
        failed.incrementAndGet();
        errors.accept(uri + ": " + message);
    }

    /**
     * Once the crawl is done, fixes the links whose guess was wrong: to the file where the target
     * was really saved, or back to its absolute URL if it was not saved at all.
     */
    private void relink() {
        // close() waits for every task; an interrupt (Ctrl-C) while it waits interrupts them, and
        // a write cut short leaves its file as it was, links not fixed but whole.
        try (var workers = Executors.newVirtualThreadPerTaskExecutor()) {
            guesses.forEach((file, guessed) -> {
                if (isWrong(guessed)) {
                    workers.execute(() -> relink(file, guessed));
                }
            });
        }
    }

    private boolean isWrong(Guesses guessed) {
        return guessed.local().entrySet().stream().anyMatch(e -> !e.getKey().equals(savedAt.get(e.getValue())))
                || guessed.absolute().stream().anyMatch(savedAt::containsKey);
    }

    private void relink(Path file, Guesses guessed) {
        LinkRewriter.Visitor visitor = (link, base, requisite) -> {
            var local = paths.target(file, link);
            var target = local != null ? guessed.local().get(local)
                    : Links.normalize(link).filter(guessed.absolute()::contains).orElse(null);
            var actual = target == null ? null : savedAt.get(target);
            return target == null || Objects.equals(local, actual) ? null : linkTo(link, target, file, actual);
        };
        try {
            byte[] content;
            if (guessed.html()) {
                var document = Jsoup.parse(file.toFile(), "UTF-8", guessed.url().toString());
                LinkRewriter.rewrite(document, visitor);
                content = LinkRewriter.utf8(document);
            } else {
                var css = Files.readAllBytes(file);
                var charset = LinkRewriter.cssCharset(css, "");
                var rewritten = LinkRewriter.rewriteCss(new String(css, charset), guessed.url().toString(), visitor);
                content = rewritten.getBytes(charset);
            }
            LocalPaths.write(file, content);
        } catch (IOException e) {
            if (!Thread.currentThread().isInterrupted()) {
                errors.accept("cannot fix the links of " + file + ": " + LocalPaths.describe(e, file));
            }
        }
    }

    private static boolean isCss(Page page) {
        var type = page.contentType().toLowerCase(Locale.ROOT);
        return type.startsWith("text/css") || (type.isEmpty() || type.startsWith("application/octet-stream"))
                && page.finalUri().getPath().toLowerCase(Locale.ROOT).endsWith(".css");
    }

    private static Charset cssCharset(Page page) {
        return LinkRewriter.cssCharset(page.body(), page.contentType());
    }
}
