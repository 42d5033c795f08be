package gopl.mirror;

import gopl.crawler.Body;
import gopl.crawler.Crawler;
import gopl.crawler.Crawler.Failure;
import gopl.crawler.Crawler.Kind;
import gopl.crawler.Crawler.Link;
import gopl.crawler.Crawler.Page;
import gopl.crawler.Links;
import gopl.crawler.Robots;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Exercise 8.7: mirrors one site with the crawler's engine. Each fetched page is saved as soon as
 * it arrives (by the crawler's workers, concurrently), with its links rewritten to the local
 * copies it will have. A link's target is often not fetched yet at that moment, so its file is a
 * guess, recorded; when the crawl is done, the pages whose guesses turned out wrong (the target
 * failed, redirected, was beyond the depth limit, or got another extension) are fixed. Only the
 * start URL's host and port are fetched; links elsewhere are left absolute.
 */
final class Mirror {
    /**
     * @param robots whether to honour the site's robots.txt
     * @param timestamping wget's -N: ask for what was saved last time only if it changed
     * @param engine the rest of the command's options for the crawler (politeness, identity, proxies)
     */
    record Settings(URI start, int maxDepth, int concurrency, Duration timeout, long maxSize, String userAgent,
            boolean robots, int maxPages, long quota, boolean timestamping, Scope.Rules scope, UnaryOperator<Crawler.Builder> engine) {}

    /**
     * Counts so far: files saved (new or updated), URLs found and not done yet, bytes saved, URLs
     * that failed, files kept as they were (304), and of those saved, how many are new to the mirror.
     */
    record Progress(long saved, long queued, long bytes, long errors, long unchanged, long added) {}

    /**
     * How the run went; {@code startFile} is null when the start page could not be saved;
     * {@code rerun} whether a run before this one left its state; {@code gone} how many of the
     * files it saved this run did not reach.
     */
    record Result(Progress totals, Path startFile, boolean startFetched, Duration elapsed, boolean cancelled, boolean rerun,
            long gone) {}

    // Names that are pages whatever they end with: no extension, or a script's.
    private static final Pattern PAGE_NAME =
            Pattern.compile("(?i)[^.]*|.*\\.(s?html?|php\\d?|aspx?|jspx?|cgi|pl|cfm|py)");

    private final Settings settings;
    private final LocalPaths paths;
    private final OutputDir output;
    private final Scope scope;
    private final Consumer<String> errors;
    private final Map<URI, Path> savedAt = new ConcurrentHashMap<>();
    private final Map<URI, URI> redirects = new ConcurrentHashMap<>();
    private final Guesses guesses;
    private final Set<Path> files = ConcurrentHashMap.newKeySet();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong unchanged = new AtomicLong();
    private final AtomicLong added = new AtomicLong();
    private final Map<URI, List<Link>> extracted = new ConcurrentHashMap<>(); // from the extractor to save()
    private final Map<URI, LinkRewriter.Html> scanned = new ConcurrentHashMap<>(); // the same: a page scanned once
    private State state;
    private volatile Crawler crawler;
    private volatile boolean cancelled;
    private volatile boolean startFetched; // even if -A/-R did not keep its file
    private final Map<String, Robots> robots = new ConcurrentHashMap<>(); // by site, as the crawl read them

    /** @param errors receives one line per URL that could not be mirrored, and per limit reached */
    Mirror(Settings settings, LocalPaths paths, Consumer<String> errors) {
        this.settings = settings;
        this.paths = paths;
        this.output = new OutputDir(paths.root());
        this.scope = new Scope(settings.start(), settings.scope());
        this.errors = errors;
        this.guesses = new Guesses((int) Math.min(Integer.MAX_VALUE, 4L * settings.maxPages()),
                () -> errors.accept("more than " + 4L * settings.maxPages() + " link targets: further links to pages"
                        + " not saved yet are left absolute"));
    }

    Progress progress() {
        var crawl = crawler;
        long queued = crawl == null ? 0 : crawl.stats().pending();
        return new Progress(files.size() - unchanged.get(), queued, bytes.get(), failed.get(), unchanged.get(), added.get());
    }

    /** Mirrors the site; returns early, with what was saved intact, if the calling thread is interrupted. */
    Result run() {
        try {
            return crawlAndRelink();
        } finally {
            try {
                output.close();
            } catch (IOException e) {
                errors.accept("cannot close " + paths.root() + ": " + LocalPaths.describe(e, null));
            }
        }
    }

    private Result crawlAndRelink() {
        long started = System.nanoTime();
        state = State.load(output, paths.root(), settings.start(), errors);
        crawler = settings.engine().apply(Crawler.builder())
                .maxDepth(settings.maxDepth())
                .concurrency(settings.concurrency())
                .robots(settings.robots()).onRobots(this::robotsRead)
                .timeout(settings.timeout())
                .maxPageSize(settings.maxSize())
                .userAgent(settings.userAgent())
                .maxPages(settings.maxPages())
                .quota(settings.quota())
                .scope(uri -> scope.host(uri) && robotsAllow(uri))
                .requestHeaders(settings.timestamping() ? state::conditional : uri -> Map.of())
                .extractor(this::links)
                .parseHtml(false) // HtmlLinks reads the pages, no tree built
                .onPage(this::save)
                .onRedirect(redirects::put)
                .onError(this::failed)
                .onLimit(errors)
                .build();
        var stats = crawler.crawl(settings.start());
        cancelled = stats.cancelled() || Thread.currentThread().isInterrupted();
        if (!cancelled) {
            relink();
            cancelled = Thread.currentThread().isInterrupted();
        }
        saveState();
        var elapsed = Duration.ofNanos(System.nanoTime() - started);
        return new Result(progress(), savedAt.get(settings.start()), startFetched, elapsed, cancelled, state.rerun(),
                cancelled ? 0 : state.gone());
    }

    /** A site's robots.txt, read by the crawl before its first request there: saved with the mirror, as wget saves it. */
    private void robotsRead(URI site, Robots rules) {
        robots.put(site.toString(), rules);
        if (rules.unreachable() != null) {
            errors.accept(site.resolve("/robots.txt") + ": " + rules.unreachable() + "; as RFC 9309 asks, "
                    + (site.equals(settings.start().resolve("/")) ? "nothing but the start page is fetched" : "nothing is fetched there")
                    + " (--no-robots to ignore robots.txt)");
        }
        if (rules.text() != null) {
            var file = paths.of(site.resolve("/robots.txt"), "text/plain");
            try {
                write(file, rules.text(), null);
            } catch (IOException e) {
                errors.accept("cannot save " + file + ": " + LocalPaths.describe(e, file));
            }
        }
    }

    /** Whether the site's robots.txt, if read yet, lets us fetch the URL. */
    private boolean robotsAllow(URI uri) {
        var rules = robots.get(uri.getScheme() + "://" + uri.getRawAuthority() + "/");
        return rules == null || rules.allows(uri);
    }

    /** Saves the state for the next run, even after Ctrl-C: a moment's work that saves the next run much. */
    private void saveState() {
        boolean interrupted = Thread.interrupted(); // else the interruptible channel refuses to write
        try {
            state.save(output, !cancelled);
        } catch (IOException e) {
            errors.accept("cannot save the state for the next run: " + LocalPaths.describe(e, null));
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The crawler's link extractor: the first links of an HTML page or stylesheet, requisites
     * marked; for a page not modified since last time, the links it had then.
     */
    private List<Link> links(Page page) {
        if (page.notModified()) {
            var entry = state.previous(page.finalUri());
            return entry == null ? List.of() : followed(entry.links());
        }
        var found = collect(page);
        extracted.put(page.finalUri(), found); // all of them, for the next run, whose options may differ
        return followed(found);
    }

    private List<Link> followed(List<Link> links) {
        return links.stream().filter(link -> scope.follows(link.uri(), link.kind() == Kind.REQUISITE)).toList();
    }

    private List<Link> collect(Page page) {
        var links = new LinkedHashMap<URI, Kind>();
        var resolver = new LinkRewriter.Resolver();
        LinkRewriter.Visitor collect = (link, base, requisite) -> {
            if (links.size() <= Links.MAX_LINKS_PER_PAGE) { // one more tells the crawler there were more
                resolver.resolve(base, link).ifPresent(uri -> links.merge(uri, requisite ? Kind.REQUISITE : Kind.PAGE,
                        (a, b) -> a == Kind.REQUISITE ? a : b));
            }
            return null;
        };
        if (page.isHtml()) {
            var html = LinkRewriter.Html.of(page.body().bytes(), page.contentType());
            scanned.put(page.finalUri(), html); // the crawler hands the page to save() next, on this thread
            LinkRewriter.visit(html, page.finalUri().toString(), collect);
        } else if (isCss(page) && page.body().loadable()) {
            LinkRewriter.rewriteCss(new String(page.body().bytes(), cssCharset(page)), page.finalUri().toString(), collect);
        }
        return links.entrySet().stream().map(e -> new Link(e.getKey(), e.getValue())).toList();
    }

    /** Saves a fetched page under its final URL, links rewritten; a failure is reported, not thrown. */
    private void save(Page page) {
        var html = scanned.remove(page.finalUri());
        if (page.notModified()) {
            keep(page);
            return;
        }
        Path file = null;
        try {
            file = paths.of(page.finalUri(), page.contentType());
            if (!scope.keeps(file)) {
                startFetched |= page.uri().equals(settings.start());
                return; // fetched for its links only, as wget deletes what -A or -R rejects
            }
            var guessed = new LinkedHashSet<Guesses.Target>();
            save(page, html, file, guessed);
            guesses.page(file, new Guesses.Page(page.finalUri(), page.isHtml(), List.copyOf(guessed)));
            savedAt.put(page.uri(), file);
            savedAt.put(page.finalUri(), file);
            startFetched |= page.uri().equals(settings.start());
            state.saved(page, file, Objects.requireNonNullElse(extracted.remove(page.finalUri()), List.of()));
            if (!state.known(page.finalUri())) {
                added.incrementAndGet();
            }
        } catch (IOException | RuntimeException e) {
            if (!Thread.currentThread().isInterrupted()) {
                failed(page.uri(), "cannot save " + (file == null ? "it" : file) + ": " + LocalPaths.describe(e, file));
            }
        }
    }

    /**
     * A page the server says is unchanged: its file stays as it is, and its links, to the files
     * their targets had last time, are checked as guesses (a target that fails now, or moved,
     * gets its links fixed when the crawl is done, as a guess made this run would).
     */
    private void keep(Page page) {
        var entry = state.previous(page.finalUri());
        if (entry == null) {
            failed(page.uri(), "304 Not Modified, for a file this mirror does not have");
            return;
        }
        var targets = new LinkedHashSet<Guesses.Target>();
        for (var link : entry.links()) {
            if (scope.host(link.uri()) && robotsAllow(link.uri())) {
                var before = state.previous(link.uri());
                var guess = guesses.guess(link.uri(), before == null ? null : before.file());
                if (guess != null) {
                    targets.add(guess);
                }
            }
        }
        guesses.page(entry.file(), new Guesses.Page(entry.url(), isHtml(entry.contentType()), List.copyOf(targets)));
        savedAt.put(page.uri(), entry.file());
        savedAt.put(page.finalUri(), entry.file());
        startFetched |= page.uri().equals(settings.start());
        state.kept(entry);
        if (files.add(entry.file())) {
            unchanged.incrementAndGet();
        }
    }

    private static boolean isHtml(String contentType) {
        var type = contentType.toLowerCase(Locale.ROOT);
        return type.startsWith("text/html") || type.startsWith("application/xhtml+xml");
    }

    /**
     * Writes the page: HTML and CSS with each link pointing to the local copy, the rest as is,
     * streamed (a large body is never loaded). The links whose target is not saved yet go in
     * {@code guessed}. {@code scan} is the HTML page as the link extractor scanned it, or null.
     */
    private void save(Page page, LinkRewriter.Html scan, Path file, Set<Guesses.Target> guessed) throws IOException {
        var resolver = new LinkRewriter.Resolver();
        LinkRewriter.Visitor visitor = (link, base, requisite) -> resolver.resolve(base, link)
                .map(target -> localize(link, target, file, requisite, page, guessed))
                .orElse(null);
        var modified = State.time(page.headers().first("last-modified")); // as wget dates its files
        if (page.isHtml()) {
            var html = scan != null ? scan : LinkRewriter.Html.of(page.body().bytes(), page.contentType());
            write(file, LinkRewriter.rewritten(html, page.finalUri().toString(), visitor), modified);
        } else if (isCss(page) && page.body().loadable()) {
            var charset = cssCharset(page);
            var css = LinkRewriter.rewriteCss(new String(page.body().bytes(), charset), page.finalUri().toString(), visitor);
            write(file, css.getBytes(charset), modified);
        } else {
            write(file, page.body(), modified);
        }
    }

    private void write(Path file, byte[] content, FileTime modified) throws IOException {
        output.write(file, content, modified);
        count(file, content.length);
    }

    private void write(Path file, Body body, FileTime modified) throws IOException {
        output.write(file, body::writeTo, modified);
        count(file, body.size());
    }

    private void count(Path file, long size) {
        if (files.add(file)) {
            bytes.addAndGet(size);
        }
    }

    /**
     * The link to write in place of {@code link}, which points to {@code target}: another host's
     * stays absolute (exactly as written if it was); ours points to the target's local copy if
     * it is saved already, else to where it will be, a guess recorded to check when done.
     */
    private String localize(String link, URI target, Path from, boolean requisite, Page page, Set<Guesses.Target> guessed) {
        if (!scope.host(target)) {
            return LinkRewriter.isAbsolute(link) ? null : target + LinkRewriter.fragment(link);
        }
        if (!robotsAllow(target)) {
            return linkTo(link, target, from, null);
        }
        var file = savedFile(target);
        if (file == null) {
            boolean followed = (requisite || page.kind() == Kind.PAGE && page.depth() < settings.maxDepth())
                    && scope.follows(target, requisite);
            var guess = guesses.guess(target, followed ? paths.of(target, guessType(target, requisite)) : null);
            if (guess != null) {
                guessed.add(guess);
                file = guess.file();
            }
        }
        return linkTo(link, target, from, file);
    }

    /** Where a URL was saved, following the redirects it went through; null if it was not. */
    private Path savedFile(URI uri) {
        for (int hops = 0; uri != null && hops <= 64; hops++) { // a bound, as two redirects may point at each other
            var file = savedAt.get(uri);
            if (file != null) {
                return file;
            }
            uri = redirects.get(uri);
        }
        return null;
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
            guesses.forEachWrong(this::savedFile, (file, page) -> workers.execute(() -> relink(file, page)));
        }
    }

    private void relink(Path file, Guesses.Page page) {
        LinkRewriter.Visitor visitor = (link, base, requisite) -> {
            var local = paths.target(file, link);
            var target = local != null ? guesses.guessedAt(local)
                    : Links.normalize(link).filter(guesses::leftAbsolute).orElse(null);
            var actual = target == null ? null : savedFile(target);
            return target == null || Objects.equals(local, actual) ? null : linkTo(link, target, file, actual);
        };
        try {
            byte[] saved;
            try (var in = output.read(file)) {
                saved = in.readAllBytes();
            }
            var url = page.url().toString();
            byte[] rewritten;
            if (page.html()) {
                rewritten = LinkRewriter.rewritten(LinkRewriter.Html.of(saved, ""), url, visitor);
            } else {
                var charset = LinkRewriter.cssCharset(saved, "");
                rewritten = LinkRewriter.rewriteCss(new String(saved, charset), url, visitor).getBytes(charset);
            }
            output.write(file, rewritten, state.modified(page.url()));
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
        return LinkRewriter.cssCharset(page.body().bytes(), page.contentType());
    }
}
