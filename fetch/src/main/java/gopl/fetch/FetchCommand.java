package gopl.fetch;

import gopl.common.Cli;
import gopl.common.GoDuration;
import gopl.common.Http;
import gopl.common.ManifestVersion;
import gopl.common.StandardOptions;
import gopl.common.StatusLine;
import gopl.common.Terminal;
import gopl.common.ToolException;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

/** The fetch tool: first response wins (exercise 8.11), or fetchall with {@code --all}. */
@Command(name = "fetch", versionProvider = ManifestVersion.class, sortOptions = false,
        description = {"Requests every URL at once and writes the body of the first 2xx response to stdout; "
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

    @Option(names = {"-concurrency", "--concurrency", "-c"}, paramLabel = "C",
            description = "With --all, requests in flight at most. Default: ${DEFAULT-VALUE}.")
    int concurrency = 20;

    @Option(names = {"-i", "--input"}, paramLabel = "FILE", description = "Read more URLs from FILE, one a line ('-': stdin).")
    String input;

    @Option(names = {"-v", "--verbose"}, description = "When a URL wins, also tell what became of the others.")
    boolean verbose;

    @Parameters(paramLabel = "URL", arity = "0..*", description = "http(s) URLs (http:// is assumed when there is no scheme).")
    List<String> urls = new ArrayList<>();

    /** Where the winner's body goes: the real stdout as bytes, so a closed pipe is an error we see. */
    OutputStream body = new FileOutputStream(FileDescriptor.out);

    public static void main(String[] args) {
        Cli.exit(new FetchCommand(), args);
    }

    @Override
    public Integer call() throws Exception {
        if (timeout.isZero() || concurrency < 1) {
            throw new ParameterException(spec.commandLine(), timeout.isZero() ? "--timeout must be more than 0" : "--concurrency must be at least 1");
        }
        if (urls.isEmpty() && input == null) {
            throw new ParameterException(spec.commandLine(), "no URL given (as arguments or with -i FILE)");
        }
        var client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(timeout).build();
        try (var lines = lines()) {
            var uris = Stream.concat(urls.stream().map(this::argumentUri), lines);
            return all ? fetchAll(client, uris.iterator()) : firstResponse(client, uris.toList());
        } finally {
            client.shutdownNow();
        }
    }

    private int fetchAll(HttpClient client, Iterator<URI> uris) throws InterruptedException {
        var out = spec.commandLine().getOut();
        int failed = new FetchAll(client, timeout, concurrency, out, spec.commandLine().getErr()).fetchAll(uris);
        return failed == 0 ? 0 : Cli.FAILURE;
    }

    private int firstResponse(HttpClient client, List<URI> uris) throws InterruptedException, IOException {
        var err = spec.commandLine().getErr();
        FirstResponse.Winner winner;
        try {
            winner = new FirstResponse(client, timeout).race(uris);
        } catch (FirstResponse.AllFailed e) {
            e.errors.forEach(message -> err.println("fetch: " + message));
            return Cli.FAILURE;
        }
        var time = GoDuration.format(Duration.ofMillis(winner.elapsed().toMillis()));
        int losers = winner.losers();
        err.printf("fetch: %s won in %s (status %d; %d other%s cancelled)%n",
                winner.uri(), time, winner.response().statusCode(), losers, losers == 1 ? "" : "s");
        if (verbose) {
            winner.others().forEach(other -> err.println("fetch: " + other));
        }
        // The body on the same terminal would garble a status line: then none is drawn.
        var status = Terminal.stdoutIsTerminal() ? StatusLine.off(err) : StatusLine.stderr(err);
        new BodyCopy(timeout, status).copy(winner, body);
        return 0;
    }

    /** URLs from -i FILE or -i -, lazily, so a long list is read as it is fetched. */
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
            throw new ToolException("cannot read " + input + ": " + describe(e, timeout));
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

    static HttpRequest request(URI uri, Duration timeout) {
        return HttpRequest.newBuilder(uri).timeout(timeout).header("User-Agent", USER_AGENT).GET().build();
    }

    /** One line for the user, without the exception class when the message says it all. */
    static String describe(Throwable e, Duration timeout) {
        return switch (e) {
            case HttpConnectTimeoutException t -> "connect timed out after " + GoDuration.format(timeout);
            case HttpTimeoutException t -> "timed out after " + GoDuration.format(timeout);
            case ConnectException c when unresolved(c) -> "unknown host";
            case ConnectException c when c.getMessage() == null || c.getMessage().isBlank() -> "connection refused";
            case IOException io when io.getMessage() != null && !io.getMessage().isBlank() -> io.getMessage();
            default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
        };
    }

    private static boolean unresolved(Throwable e) {
        for (var cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.nio.channels.UnresolvedAddressException) {
                return true;
            }
        }
        return false;
    }

    private static void closeQuietly(BufferedReader reader) {
        try {
            reader.close();
        } catch (IOException ignored) {
            // Only read from.
        }
    }
}
