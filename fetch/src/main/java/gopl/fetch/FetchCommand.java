package gopl.fetch;

import gopl.common.Cli;
import gopl.common.GoDuration;
import gopl.common.Http;
import gopl.common.ManifestVersion;
import gopl.common.StandardOptions;
import gopl.common.ToolException;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import gopl.common.ByteSize;
import gopl.common.Proxies;
import gopl.common.http.Connections;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The fetch tool: first response wins (exercise 8.11), or fetchall with {@code --all}; curl's options where curl has them. */
@Command(name = "fetch", versionProvider = ManifestVersion.class, sortOptions = false,
        description = {"Requests every URL at once and writes the body of the first 2xx response to stdout (or -o FILE, -O); "
                + "the other requests are cancelled the moment it arrives.",
                "With --all, fetches every URL and prints SECONDS BYTES URL for each as it completes, then the total time."},
        footer = {"", "Exit status: 0 on success, 1 if every URL failed (with --all: if any failed), 2 on a usage error."})
public final class FetchCommand implements Callable<Integer> {
    static final String USER_AGENT = "gopl-fetch/"
            + Objects.requireNonNullElse(FetchCommand.class.getPackage().getImplementationVersion(), "dev");

    @Mixin
    StandardOptions standard;

    @Spec
    CommandSpec spec;

    @Option(names = {"-all", "--all"}, description = "Fetch every URL and time each (the book's fetchall).")
    boolean all;

    @Option(names = {"-timeout", "--timeout"}, paramLabel = "D", converter = GoDuration.class,
            description = "Per URL: time to answer (and, with --all, to send the whole body); "
                    + "the winner's body may stall this long at most. Default: 30s.")
    Duration timeout = Duration.ofSeconds(30);

    @Option(names = {"-concurrency", "--concurrency"}, paramLabel = "C",
            description = "With --all, requests in flight at most. Default: ${DEFAULT-VALUE}.")
    int concurrency = 20;

    @Option(names = {"-input", "--input"}, paramLabel = "FILE", description = "Read more URLs from FILE, one a line ('-': stdin).")
    String input;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the body to FILE (whole, or not at all), as curl -o.")
    Path output;

    @Option(names = {"-O", "--remote-name"}, description = "Write the body to a file named as the URL's last segment, as curl -O; "
            + "with --all, each body.")
    boolean remoteName;

    @Option(names = {"--dir", "--output-dir"}, paramLabel = "DIR", description = "Where -O (and a relative -o) write, as curl --output-dir.")
    Path dir;

    @Option(names = {"-H", "--header"}, paramLabel = "'NAME: VALUE'",
            description = "Send this header (repeatable); 'NAME:' drops one of ours, as curl -H.")
    List<String> headers = new ArrayList<>();

    @Option(names = {"-I", "--head"}, description = "Send HEAD and print the response's status line and headers, as curl -I.")
    boolean head;

    @Option(names = {"-i", "--include"}, description = "Write the status line and headers before the body, as curl -i.")
    boolean include;

    @Option(names = "--retry", paramLabel = "N",
            description = "Try again up to N times after a timeout or a 408, 429, 500, 502, 503 or 504, as curl --retry.")
    int retries;

    @Option(names = "--retry-delay", paramLabel = "SECONDS",
            description = "Wait this long between tries (default: 1s, doubling each time, or the server's Retry-After).")
    String retryDelay;

    @Option(names = "--retry-connrefused", description = "With --retry, a refused connection is tried again too.")
    boolean retryRefused;

    @Option(names = "--compressed", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Ask for gzip and deflate bodies and write them decoded (on by default; curl's --compressed; "
                    + "--no-compressed to ask for them as they are).")
    boolean compressed;

    @Option(names = {"--max-filesize", "--max-size"}, paramLabel = "SIZE", converter = ByteSize.class,
            description = "Fail a body larger than SIZE (curl --max-filesize); compressed ones are cut at 1G anyway.")
    long maxSize = -1;

    @Option(names = {"-x", "--proxy"}, paramLabel = "URL",
            description = "Use this proxy for every URL, whatever http_proxy, https_proxy and all_proxy say, as curl -x.")
    String proxy;

    @Option(names = "--noproxy", paramLabel = "LIST",
            description = "Hosts to reach directly (as no_proxy: names with their subdomains, IP addresses, CIDR blocks, *), as curl.")
    String noProxy;

    @Option(names = {"-s", "--silent"}, description = "Print nothing on stderr (no errors either, unless -S), as curl -s.")
    boolean silent;

    @Option(names = {"-S", "--show-error"}, description = "With -s, still print errors, as curl -S.")
    boolean showError;

    @Option(names = {"-f", "--fail"}, description = "Accepted as curl's: a non-2xx answer is always a failure here.")
    boolean fail;

    @Option(names = {"-L", "--location"}, description = "Accepted as curl's: redirects are always followed here.")
    boolean location;

    @Option(names = {"-v", "--verbose"}, description = "When a URL wins, also tell what became of the others.")
    boolean verbose;

    @Parameters(paramLabel = "URL", arity = "0..*", description = "http(s) URLs (http:// is assumed when there is no scheme).")
    List<String> urls = new ArrayList<>();

    /** The environment the proxies are read from: this process's, unless a test says otherwise. */
    Map<String, String> environment = System.getenv();

    /** Where the winner's body goes without -o or -O: the real stdout as bytes, so a closed pipe is an error we see. */
    OutputStream body = new FileOutputStream(FileDescriptor.out);

    public static void main(String[] args) {
        Cli.exit(new FetchCommand(), args);
    }

    @Override
    public Integer call() throws Exception {
        checkUsage();
        var fields = userHeaders();
        var retry = retry();
        try (var connections = new Connections(proxies()); var lines = lines()) {
            var requests = new Requests(connections, timeout, head, fields, compressed, retry, this::info);
            var uris = Stream.concat(urls.stream().map(this::argumentUri), lines);
            return all ? fetchAll(requests, uris.iterator()) : firstResponse(requests, uris.toList());
        } catch (ToolException e) {
            if (silent && !showError) {
                return e.status(); // -s: the exit status tells
            }
            throw e;
        }
    }

    private void checkUsage() {
        if (timeout.isZero() || concurrency < 1) {
            throw usage(timeout.isZero() ? "--timeout must be more than 0" : "--concurrency must be at least 1");
        }
        if (urls.isEmpty() && input == null) {
            throw usage("no URL given (as arguments or with --input FILE)");
        }
        if (all && output != null) {
            throw usage("-o FILE takes one body: with --all, -O saves each in --dir");
        }
        if (output != null && remoteName) {
            throw usage("-o and -O both name the file: one of them");
        }
        if (retries < 0) {
            throw usage("--retry must not be negative");
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private Map<String, String> userHeaders() {
        var fields = new LinkedHashMap<String, String>();
        for (var text : headers) {
            var field = Requests.header(text);
            if (field == null) {
                throw usage("-H '" + text + "' is not NAME: VALUE");
            }
            if (Requests.isRestricted(field.getKey())) {
                throw usage("-H: fetch cannot send " + field.getKey());
            }
            fields.put(field.getKey(), field.getValue());
        }
        return fields;
    }

    /** The proxies curl would use: the environment's, -x for every URL instead, --noproxy instead of no_proxy. */
    private Proxies proxies() {
        var env = new HashMap<>(environment);
        if (proxy != null) {
            List.of("http_proxy", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY").forEach(env::remove);
            env.put("http_proxy", proxy);
            env.put("https_proxy", proxy);
        }
        if (noProxy != null) {
            env.remove("NO_PROXY");
            env.put("no_proxy", noProxy);
        }
        try {
            return Proxies.of(env);
        } catch (IllegalArgumentException e) {
            throw new ToolException(e.getMessage());
        }
    }

    private Requests.Retry retry() {
        if (retryDelay == null) {
            return new Requests.Retry(retries, null, retryRefused);
        }
        try {
            var delay = retryDelay.strip().matches("\\d+") ? Duration.ofSeconds(Long.parseLong(retryDelay.strip())) : GoDuration.parse(retryDelay);
            return new Requests.Retry(retries, delay.isZero() ? null : delay, retryRefused);
        } catch (IllegalArgumentException e) {
            throw usage("--retry-delay: '" + retryDelay + "' is not seconds or a duration (2, 500ms, 1m)");
        }
    }

    private int fetchAll(Requests requests, Iterator<URI> uris) throws InterruptedException, IOException {
        var out = spec.commandLine().getOut();
        var saveTo = remoteName ? Files.createDirectories(dir == null ? Path.of(".") : dir) : null;
        int failed = new FetchAll(requests, concurrency, out, this::error, saveTo, maxSize, compressed).fetchAll(uris);
        return failed == 0 ? 0 : Cli.FAILURE;
    }

    private int firstResponse(Requests requests, List<URI> uris) throws InterruptedException, IOException {
        FirstResponse.Winner winner;
        try {
            winner = new FirstResponse(requests).race(uris);
        } catch (FirstResponse.AllFailed e) {
            e.errors.forEach(this::error);
            return Cli.FAILURE;
        }
        var time = GoDuration.format(Duration.ofMillis(winner.elapsed().toMillis()));
        int losers = winner.losers();
        info(String.format("%s won in %s (status %d; %d other%s cancelled)", winner.uri(), time, winner.response().status(), losers,
                losers == 1 ? "" : "s"));
        if (verbose) {
            winner.others().forEach(this::info);
        }
        new Winner(winner, this).save();
        return 0;
    }

    /** Where the winner's body goes: -o FILE, -O, or stdout; null for stdout. */
    Path outputFile(URI uri) {
        if (output != null) {
            return dir == null || output.isAbsolute() ? output : dir.resolve(output);
        }
        if (!remoteName) {
            return null;
        }
        var name = OutputFile.remoteName(uri);
        if (name == null) {
            throw new ToolException(uri + ": no file name in the URL for -O (use -o FILE)");
        }
        return (dir == null ? Path.of(".") : dir).resolve(name);
    }

    /** A line on stderr that -s silences: progress, the winner, retries. */
    void info(String line) {
        if (!silent) {
            spec.commandLine().getErr().println("fetch: " + line);
        }
    }

    /** An error on stderr: -s silences it, unless -S. */
    void error(String line) {
        if (!silent || showError) {
            spec.commandLine().getErr().println("fetch: " + line);
        }
    }

    /** URLs from --input FILE or --input -, lazily, so a long list is read as it is fetched. */
    private Stream<URI> lines() {
        if (input == null) {
            return Stream.empty();
        }
        try {
            var reader = input.equals("-")
                    ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                    : Files.newBufferedReader(Path.of(input), StandardCharsets.UTF_8);
            return reader.lines().map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .map(this::listedUri).onClose(() -> closeQuietly(reader));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ToolException("cannot read " + input + ": no such file");
        } catch (IOException e) {
            throw new ToolException("cannot read " + input + ": " + Connections.describe(e, timeout));
        }
    }

    private URI argumentUri(String text) {
        return parse(text).orElseThrow(() -> new ParameterException(spec.commandLine(), "'" + text + "' is not an http(s) URL"));
    }

    private URI listedUri(String text) {
        return parse(text).orElseThrow(() -> new ToolException("'" + text + "' in " + input + " is not an http(s) URL"));
    }

    /** An http(s) URL, with http:// assumed when there is no scheme (the book's exercise 1.8). */
    static java.util.Optional<URI> parse(String text) {
        try {
            var uri = new URI(Http.withScheme(text));
            var scheme = uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            boolean http = (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null;
            return http ? java.util.Optional.of(uri) : java.util.Optional.empty();
        } catch (URISyntaxException e) {
            return java.util.Optional.empty();
        }
    }

    private static void closeQuietly(BufferedReader reader) {
        try {
            reader.close();
        } catch (IOException ignored) {
            // Only read from.
        }
    }
}
