package gopl.crawler;

import gopl.common.ByteSize;
import gopl.common.Cli;
import gopl.common.GoDuration;
import gopl.common.Http;
import gopl.common.Interrupts;
import gopl.common.ManifestVersion;
import gopl.common.StandardOptions;
import gopl.common.StatusLine;
import gopl.common.Terminal;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The crawler tool: prints every URL it finds, once, as it finds them. */
@Command(name = "crawler", versionProvider = ManifestVersion.class, sortOptions = false,
        description = {"Crawls the web from the given URLs, printing each URL found once, as it is found.",
                "Ctrl-C (or a line on stdin with --cancel-on-input) cancels every request at once."},
        footer = {"", "Exit status: 0 when done (even if some URLs failed), 1 if every start URL failed, "
                + "2 on a usage error, 130 when cancelled."})
public final class CrawlerCommand implements java.util.concurrent.Callable<Integer> {
    @Mixin
    StandardOptions standard;

    @Spec
    CommandSpec spec;

    @Option(names = {"-depth", "--depth"}, paramLabel = "N", converter = DepthConverter.class,
            description = "Follow links up to N links away from a start URL (0: only the start URLs; inf: no limit). Default: ${DEFAULT-VALUE}.")
    int depth = 3;

    @Option(names = {"-concurrency", "--concurrency"}, paramLabel = "C",
            description = "Requests in flight at most. Default: ${DEFAULT-VALUE}.")
    int concurrency = 20;

    @Option(names = {"-timeout", "--timeout"}, paramLabel = "D", converter = GoDuration.class,
            description = "Give up on a URL after D (500ms, 10s, 1m). Default: 30s.")
    Duration timeout = Duration.ofSeconds(30);

    @Option(names = {"-same-host", "--same-host"}, description = "Fetch only URLs on the hosts of the start URLs.")
    boolean sameHost;

    @Option(names = {"--include"}, paramLabel = "REGEX",
            description = "Follow only URLs in which REGEX occurs (repeatable: any of them will do); start URLs are fetched anyway.")
    List<String> include = new ArrayList<>();

    @Option(names = {"--exclude"}, paramLabel = "REGEX", description = "Follow no URL in which REGEX occurs (repeatable).")
    List<String> exclude = new ArrayList<>();

    @Option(names = {"--format"}, paramLabel = "FORMAT",
            description = "urls: one URL a line, as found (default); jsonl: one JSON object a line per URL once done, "
                    + "{url, depth, status, referrer}, with location for a redirect and error for a failure.")
    Format format = Format.urls;

    /** What stdout carries. */
    enum Format { urls, jsonl }

    @Option(names = {"-cancel-on-input", "--cancel-on-input"}, description = "Cancel the crawl when a line is read from stdin.")
    boolean cancelOnInput;

    @Option(names = {"--max-size"}, paramLabel = "SIZE", converter = ByteSize.class,
            description = "Skip pages larger than SIZE (bytes, or with k, M, G). Default: 10M.")
    long maxSize = 10L << 20;

    @Option(names = {"--max-redirects"}, paramLabel = "N", description = "Redirects followed per URL. Default: ${DEFAULT-VALUE}.")
    int maxRedirects = 10;

    @Mixin
    CrawlLimits limits;

    @Mixin
    PolitenessOptions politeness;

    @Mixin
    IdentityOptions identity;

    @Mixin
    NetworkOptions network = new NetworkOptions();

    @Mixin
    RobotsOption robots;

    @Option(names = {"--user-agent", "-U"}, paramLabel = "AGENT", description = "User-Agent header. Default: " + "gopl-crawler/VERSION.")
    String userAgent = Crawler.DEFAULT_USER_AGENT;

    @Parameters(paramLabel = "URL", arity = "1..*", description = "Where to start (http:// is assumed when there is no scheme).")
    List<String> urls;

    public static void main(String[] args) {
        Cli.exit(new CrawlerCommand(), args);
    }

    @Override
    public Integer call() {
        var starts = urls.stream().map(this::startUri).toList();
        checkRanges();
        politeness.check();
        var out = spec.commandLine().getOut();
        // URLs printed on the same terminal would garble a status line: then none is drawn.
        var err = Terminal.stdoutIsTerminal() ? StatusLine.off(spec.commandLine().getErr())
                : StatusLine.stderr(spec.commandLine().getErr());
        var failedStarts = ConcurrentHashMap.<URI>newKeySet();
        var builder = network.applyTo(identity.applyTo(politeness.applyTo(Crawler.builder()))).robots(robots.honour())
                .maxDepth(depth).concurrency(concurrency).timeout(timeout).maxPageSize(maxSize)
                .maxRedirects(maxRedirects).userAgent(userAgent).maxPages(limits.maxPages()).quota(limits.quota())
                .onLimit(message -> err.println("crawler: " + message))
                .onError(failure -> {
                    err.println("crawler: " + failure.uri() + ": " + failure.message());
                    if (failure.depth() == 0) {
                        failedStarts.add(failure.uri());
                    }
                });
        builder.scope(scope(starts));
        if (format == Format.jsonl) {
            builder.onResult(result -> print(out, JsonLines.of(result)));
        } else {
            builder.onFound(uri -> print(out, uri.toString()));
        }
        return crawl(builder.build(), starts, failedStarts, err);
    }

    /** --same-host, --include and --exclude. */
    private Predicate<URI> scope(List<URI> starts) {
        var included = include.stream().map(this::pattern).toList();
        var excluded = exclude.stream().map(this::pattern).toList();
        var hosts = starts.stream().map(uri -> uri.getHost().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        return uri -> (!sameHost || hosts.contains(uri.getHost().toLowerCase(Locale.ROOT)))
                && (included.isEmpty() || included.stream().anyMatch(p -> p.find(uri.toString())))
                && excluded.stream().noneMatch(p -> p.find(uri.toString()));
    }

    private UrlPattern pattern(String regex) {
        try {
            return UrlPattern.compile(regex);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private int crawl(Crawler crawler, List<URI> starts, Set<URI> failedStarts, StatusLine err) {
        if (cancelOnInput) {
            Thread.ofVirtual().name("cancel-on-input").start(() -> cancelOnLine(crawler));
        }
        try (var signals = Interrupts.onSignal(crawler::cancel)) {
            Crawler.Stats stats;
            try (var _ = err.refreshEvery(Duration.ofMillis(250), () -> progress(crawler.stats()))) {
                stats = crawler.crawl(starts);
            } // the status line is erased: the summary takes its place
            signals.finish();
            if (stats.cancelled()) {
                err.println("crawler: cancelled: " + stats.summary());
                return Cli.INTERRUPTED;
            }
            err.println("crawler: " + stats.summary());
            return failedStarts.size() == starts.size() ? Cli.FAILURE : 0;
        } catch (OutputClosed e) {
            return 0; // stdout was closed (crawler | head): stop quietly, as a pipe expects
        }
    }

    private static String progress(Crawler.Stats stats) {
        return String.format(Locale.ROOT, "crawler: %d found, %d fetched, %d failed, %d pending",
                stats.found(), stats.fetched(), stats.failed(), stats.pending());
    }

    private static void print(PrintWriter out, String line) {
        out.println(line);
        // A PrintWriter over System.out cannot see EPIPE: System.out itself records it.
        if (out.checkError() || System.out.checkError()) {
            throw new OutputClosed();
        }
    }

    /** Thrown from the found callback to stop the crawl when nobody reads the output any more. */
    private static final class OutputClosed extends RuntimeException {
        OutputClosed() {
            super("output closed", null, false, false);
        }
    }

    private static void cancelOnLine(Crawler crawler) {
        try {
            var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            if (in.readLine() != null) {
                crawler.cancel();
            }
        } catch (IOException e) {
            // No stdin to read: nothing can cancel through it.
        }
    }

    private URI startUri(String text) {
        return Links.normalize(Http.withScheme(text)).orElseThrow(() ->
                new ParameterException(spec.commandLine(), "'" + text + "' is not an http(s) URL"));
    }

    private void checkRanges() {
        if (concurrency < 1) {
            throw new ParameterException(spec.commandLine(), "--concurrency must be at least 1");
        }
        if (timeout.isZero()) {
            throw new ParameterException(spec.commandLine(), "--timeout must be more than 0");
        }
        if (maxRedirects < 0) {
            throw new ParameterException(spec.commandLine(), "--max-redirects must not be negative");
        }
    }
}
