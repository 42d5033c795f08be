package gopl.mirror;

import gopl.crawler.Crawler.Kind;
import gopl.crawler.Crawler.Link;
import gopl.crawler.Crawler.Page;
import gopl.crawler.Links;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a mirror run saved, kept for the next run into the same directory (wget's {@code -N}): for
 * each URL, its file, the {@code Last-Modified} and {@code ETag} it came with, and its links. The
 * next run asks with {@code If-Modified-Since} and {@code If-None-Match}, and on 304 keeps the
 * file and follows the links recorded here instead of parsing it again. One text file per start
 * URL, {@code DIR/.mirror/state-HASH}, a line per URL; a file that is not ours or is too large is
 * ignored (the run then fetches everything, as a first run does).
 */
final class State {
    /** A URL as saved: where, with which validators, and the links found in it. */
    record Entry(URI url, Path file, String lastModified, String etag, String contentType, List<Link> links) {}

    private static final String MAGIC = "gopl-mirror-state 1";
    /** The largest state file read: a mirror of 100,000 pages with 10 links each takes about 80 MiB. */
    static final long MAX_FILE = 256L << 20;

    private final Path root;
    private final Path file;
    private final Map<URI, Entry> previous;
    private final Map<URI, Entry> current = new ConcurrentHashMap<>();

    private State(Path root, Path file, Map<URI, Entry> previous) {
        this.root = root;
        this.file = file;
        this.previous = previous;
    }

    /** The state of the last run from this start URL into DIR, or an empty one; problems are told, not thrown. */
    static State load(OutputDir output, Path root, URI start, java.util.function.Consumer<String> warnings) {
        var file = root.resolve(".mirror").resolve("state-" + hash(start.toString()));
        var previous = new ConcurrentHashMap<URI, Entry>();
        try {
            if (Files.size(file) > MAX_FILE) {
                warnings.accept("ignored " + file + ": larger than " + (MAX_FILE >> 20) + " MiB");
                return new State(root, file, Map.of());
            }
            try (var in = new BufferedReader(new InputStreamReader(output.read(file), StandardCharsets.UTF_8))) {
                if (!MAGIC.equals(in.readLine())) {
                    warnings.accept("ignored " + file + ": not a mirror state file");
                    return new State(root, file, Map.of());
                }
                for (String line; (line = in.readLine()) != null; ) {
                    var entry = parse(root, line);
                    if (entry != null) {
                        previous.put(entry.url(), entry);
                    }
                }
            }
        } catch (NoSuchFileException e) {
            // A first run.
        } catch (IOException e) {
            warnings.accept("ignored " + file + ": " + LocalPaths.describe(e, file));
            return new State(root, file, Map.of());
        }
        return new State(root, file, previous);
    }

    /**
     * The conditional request headers for a URL saved last time whose file is still there: a
     * re-run then transfers only what changed.
     */
    Map<String, String> conditional(URI url) {
        var entry = previous.get(url);
        if (entry == null || entry.lastModified() == null && entry.etag() == null
                || !Files.isRegularFile(entry.file(), LinkOption.NOFOLLOW_LINKS)) {
            return Map.of();
        }
        if (entry.etag() == null) {
            return Map.of("If-Modified-Since", entry.lastModified());
        }
        return entry.lastModified() == null ? Map.of("If-None-Match", entry.etag())
                : Map.of("If-None-Match", entry.etag(), "If-Modified-Since", entry.lastModified());
    }

    /** What was saved for a URL last time, or null. */
    Entry previous(URI url) {
        return previous.get(url);
    }

    /** Whether a run before this one left its state. */
    boolean rerun() {
        return !previous.isEmpty();
    }

    /** The {@code Last-Modified} time this run saved a URL with, as the file's time; null if none. */
    FileTime modified(URI url) {
        var entry = current.get(url);
        return entry == null ? null : time(entry.lastModified());
    }

    /** An HTTP date ({@code Sun, 06 Nov 1994 08:49:37 GMT}) as a file time, or null. */
    static FileTime time(String httpDate) {
        if (httpDate == null) {
            return null;
        }
        var fixed = imfFixdate(httpDate);
        if (fixed != null) {
            return fixed;
        }
        try {
            return FileTime.from(ZonedDateTime.parse(httpDate, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";

    /**
     * RFC 9110's preferred form, the one servers send, read at its fixed positions: the formatter
     * took 7% of a zero-latency mirror's CPU. Null if the text is not in that form.
     */
    private static FileTime imfFixdate(String date) {
        if (date.length() != 29 || date.charAt(3) != ',' || !date.endsWith(" GMT")) {
            return null;
        }
        int month = MONTHS.indexOf(date.substring(8, 11));
        int day = digits(date, 5, 7), year = digits(date, 12, 16);
        int hour = digits(date, 17, 19), minute = digits(date, 20, 22), second = digits(date, 23, 25);
        if (month < 0 || month % 3 != 0 || day < 1 || day > 31 || year < 0 || hour > 23 || minute > 59 || second > 60
                || date.charAt(19) != ':' || date.charAt(22) != ':') {
            return null;
        }
        try {
            var time = LocalDateTime.of(year, month / 3 + 1, day, hour, minute, Math.min(second, 59));
            return FileTime.from(time.toInstant(ZoneOffset.UTC));
        } catch (DateTimeException e) {
            return null; // 31 Feb
        }
    }

    /** The decimal number at [from, to), or -1 if it is not all digits. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + c - '0';
        }
        return value;
    }

    /** Whether the URL was saved by a run before this one. */
    boolean known(URI url) {
        return previous.containsKey(url);
    }

    /** Records a page saved (or kept, on 304) by this run. */
    void saved(Page page, Path file, List<Link> links) {
        var headers = page.headers();
        current.put(page.finalUri(), new Entry(page.finalUri(), file, clean(headers.first("last-modified")),
                clean(headers.first("etag")), page.contentType(), links));
    }

    /** Records a URL whose copy from last time is still good (304). */
    void kept(Entry entry) {
        current.put(entry.url(), entry);
    }

    /** The URLs saved last time that this run did not save or keep (gone from the site, or not linked any more). */
    long gone() {
        return previous.keySet().stream().filter(url -> !current.containsKey(url)).count();
    }

    /**
     * Writes this run's state for the next. After an interrupted run, what the last one saved and
     * this one did not reach is kept, so that the next run still asks for it conditionally.
     */
    void save(OutputDir output, boolean complete) throws IOException {
        var entries = new ArrayList<>(current.values());
        if (!complete) {
            previous.forEach((url, entry) -> {
                if (!current.containsKey(url)) {
                    entries.add(entry);
                }
            });
        }
        var text = new StringBuilder(MAGIC).append('\n');
        for (var entry : entries) {
            format(text, entry);
        }
        output.write(file, text.toString().getBytes(StandardCharsets.UTF_8));
    }

    private void format(StringBuilder text, Entry entry) {
        text.append(entry.url()).append('\t').append(root.relativize(entry.file())).append('\t')
                .append(entry.lastModified() == null ? "" : entry.lastModified()).append('\t')
                .append(entry.etag() == null ? "" : entry.etag()).append('\t').append(clean(entry.contentType()) == null ? ""
                        : entry.contentType()).append('\t');
        for (var link : entry.links()) {
            text.append(link.kind() == Kind.REQUISITE ? 'r' : 'p').append(link.uri()).append(' ');
        }
        text.append('\n');
    }

    /** A line back into an entry; null if it is not one (a file changed by hand). */
    private static Entry parse(Path root, String line) {
        var fields = line.split("\t", -1);
        if (fields.length != 6) {
            return null;
        }
        var url = Links.normalize(fields[0]).orElse(null);
        var file = root.resolve(fields[1]).normalize();
        if (url == null || !file.startsWith(root) || file.equals(root)) {
            return null;
        }
        var links = new ArrayList<Link>();
        for (var word : fields[5].split(" ")) {
            if (word.length() > 1) {
                var kind = word.charAt(0) == 'r' ? Kind.REQUISITE : Kind.PAGE;
                Links.normalize(word.substring(1)).ifPresent(uri -> links.add(new Link(uri, kind)));
            }
        }
        return new Entry(url, file, empty(fields[2]), empty(fields[3]), fields[4], List.copyOf(links));
    }

    /** A header value fit for a line of the file: none with tabs or line ends, none absurdly long. */
    private static String clean(String value) {
        return value == null || value.isEmpty() || value.length() > 1024 || value.chars().anyMatch(c -> c == '\t' || c < ' ')
                ? null : value;
    }

    private static String empty(String field) {
        return field.isEmpty() ? null : field;
    }

    private static String hash(String text) {
        try {
            var digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }
}
