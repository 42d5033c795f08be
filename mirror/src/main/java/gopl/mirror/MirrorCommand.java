package gopl.mirror;

import gopl.common.ByteSize;
import gopl.common.Cli;
import gopl.common.GoDuration;
import gopl.common.Http;
import gopl.common.Interrupts;
import gopl.common.IoErrors;
import gopl.common.ManifestVersion;
import gopl.common.SizeFormat;
import gopl.common.StandardOptions;
import gopl.common.StatusLine;
import gopl.common.ToolException;
import gopl.crawler.Crawler;
import gopl.crawler.DepthConverter;
import gopl.crawler.Links;
import gopl.crawler.CrawlLimits;
import gopl.crawler.IdentityOptions;
import gopl.crawler.NetworkOptions;
import gopl.crawler.PolitenessOptions;
import gopl.crawler.RobotsOption;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mirror [-o DIR] [-depth N] [--concurrency C] URL}: the command line of exercise 8.7. */
@Command(name = "mirror", versionProvider = ManifestVersion.class, sortOptions = false,
        description = {
            "Mirrors the web site at URL into DIR/HOST[:PORT]/PATH, laid out as wget --mirror lays it out, fetching "
                    + "concurrently. Only URL's host and port are fetched. The images, stylesheets, scripts and icons "
                    + "that pages need are saved too (as wget -p), and the links in saved pages and stylesheets "
                    + "point to "
                    + "the local copies, so the mirror browses from disk.",
            "Re-running over a mirror updates it. Ctrl-C stops at once, keeping every file saved so far whole.", ""},
        footer = {"", "Exit status: 0 when the start page was saved (failed URLs are listed on stderr), "
                + "1 if nothing could be mirrored, 2 on bad usage, 130 when interrupted."})
public final class MirrorCommand implements Callable<Integer> {
    @Mixin
    StandardOptions standard;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "URL", arity = "1..*",
            description = "The start page, e.g. https://example.com/docs/; without a scheme, http is assumed.")
    List<String> urls;

    private String url;

    @Option(names = {"-P", "--directory-prefix", "-output", "--output"}, paramLabel = "DIR",
            description = "Directory to mirror into (default: the current one).")
    Path dir = Path.of(".");

    @Option(names = {"-depth", "--depth", "-l", "--level"}, paramLabel = "N", converter = DepthConverter.class,
            description = "Follow links at most N pages deep from URL (0: URL and its requisites only); default inf.")
    int depth = Crawler.UNLIMITED;

    @Option(names = {"-concurrency", "--concurrency"}, paramLabel = "C",
            description = "Requests in flight at most, all hosts together (default ${DEFAULT-VALUE}).")
    int concurrency = 20;

    @Option(names = {"-timeout", "--timeout", "-T"}, paramLabel = "D", converter = GoDuration.class,
            description = "Time allowed for each URL, e.g. 10s or 1m30s (default 30s).")
    Duration timeout = Duration.ofSeconds(30);

    @Option(names = {"--max-size"}, paramLabel = "SIZE", converter = ByteSize.class,
            description = "Skip, with an error, any file larger than SIZE, e.g. 500k, 64M, 1G (default 64M).")
    long maxSize = 64L << 20;

    @Mixin
    CrawlLimits limits;

    @Mixin
    PolitenessOptions politeness;

    @Mixin
    ScopeOptions scope;

    @Mixin
    IdentityOptions identity;

    @Mixin
    NetworkOptions network = new NetworkOptions();

    @Mixin
    WgetFlags wget;

    @Option(names = {"-E", "--adjust-extension"}, negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Append .html or .css to pages and stylesheets whose names lack it, so they open from disk "
                    + "(as wget -E; on by default, --no-adjust-extension for wget's plain names).")
    boolean adjustExtension;

    @Mixin
    RobotsOption robots;

    @Option(names = {"-N", "--timestamping"}, negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "On a re-run into the same DIR, ask for each file saved last time only if it changed "
                    + "(If-Modified-Since, If-None-Match), as wget --mirror does (on by default).")
    boolean timestamping;

    @Option(names = {"-U", "--user-agent"}, paramLabel = "AGENT", description = "User-Agent header to send.")
    String userAgent = "gopl-mirror/" + Objects.requireNonNullElse(
            MirrorCommand.class.getPackage().getImplementationVersion(), "dev");

    private StatusLine status; // stderr (or -o's file): the progress line, and every message above it

    public static void main(String[] args) {
        Cli.exit(new MirrorCommand(), args);
    }

    @Override
    public Integer call() {
        var start = startUrl();
        if (concurrency < 1) {
            throw new ParameterException(spec.commandLine(), "--concurrency must be at least 1");
        }
        politeness.check();
        boolean robots = this.robots.honour();
        var paths = new LocalPaths(prepare(dir), adjustExtension);
        var settings = new Mirror.Settings(start, depth, concurrency, timeout, maxSize, userAgent, robots, limits.maxPages(),
                limits.quota(), timestamping, scope.rules(),
                engine -> network.applyTo(identity.applyTo(politeness.applyTo(engine))));
        status = wget.messages(spec.commandLine().getErr());
        var mirror = new Mirror(settings, paths, this::say);
        // Ctrl-C interrupts the mirror, which cancels the crawl; the JVM exits once the workers have
        // stopped and the summary is out, so every file saved is whole and no temporary file is left.
        try (var signals = Interrupts.interruptingCurrentThread()) {
            Mirror.Result result;
            try (var _ = status.refreshEvery(Duration.ofMillis(200), () -> progress(mirror.progress()))) {
                result = mirror.run();
            }
            signals.finish();
            return summarize(result);
        }
    }

    private URI startUrl() {
        if (urls.size() > 1) {
            throw new ParameterException(spec.commandLine(), "one URL only, not " + String.join(" ", urls)
                    + (wget.resume ? " (-c is wget's --continue here: for the requests in flight, --concurrency N)" : ""));
        }
        url = urls.getFirst();
        return Links.normalize(Http.withScheme(url)).orElseThrow(() ->
                new ParameterException(spec.commandLine(), "'" + url + "' is not an http(s) URL"));
    }

    private static Path prepare(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            throw new ToolException("cannot write to " + dir + ": Not a directory");
        } catch (IOException e) {
            throw new ToolException("cannot write to " + dir + ": " + IoErrors.reason(e));
        }
    }

    private int summarize(Mirror.Result result) {
        var totals = result.totals();
        var seconds = String.format(Locale.ROOT, "%.1fs", result.elapsed().toMillis() / 1000.0);
        var line = "saved " + totals.saved() + (totals.saved() == 1 ? " file" : " files") + " (" + SizeFormat.iec(totals.bytes())
                + ") in " + seconds + (totals.errors() > 0 ? ", " + totals.errors() + " failed" : "") + changes(result);
        if (result.cancelled()) {
            say("interrupted: " + line + "; run it again to complete the mirror");
            return Cli.INTERRUPTED;
        }
        if (!result.startFetched()) {
            throw new ToolException("could not mirror " + url + ": " + line);
        }
        say(line + (result.startFile() == null ? "" : "; start page: " + relative(result.startFile())));
        return 0;
    }

    /** On a re-run: {@code ; 2250 unchanged, 3 updated, 2 new, 1 gone}. */
    private static String changes(Mirror.Result result) {
        if (!result.rerun()) {
            return "";
        }
        var totals = result.totals();
        return "; " + totals.unchanged() + " unchanged, " + (totals.saved() - totals.added()) + " updated, " + totals.added()
                + " new" + (result.cancelled() ? "" : ", " + result.gone() + " gone");
    }

    private static Path relative(Path file) {
        var here = Path.of("").toAbsolutePath();
        return file.startsWith(here) ? here.relativize(file) : file;
    }

    private static String progress(Mirror.Progress p) {
        return "mirror: " + p.saved() + " saved, " + (p.unchanged() > 0 ? p.unchanged() + " unchanged, " : "") + p.queued()
                + " queued, " + SizeFormat.iec(p.bytes())
                + (p.errors() > 0 ? ", " + p.errors() + " failed" : "");
    }

    /** A line for the user (a failed URL, the summary), above the progress line if one is drawn. */
    private void say(String line) {
        status.println("mirror: " + line);
    }
}
