package gopl.du;

import static gopl.du.GnuSyntax.quote;

import gopl.common.Cli;
import gopl.common.GoDuration;
import gopl.common.ManifestVersion;
import gopl.common.StandardOptions;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** du: GNU du's options and output, walked in parallel; an ncdu export; running totals per root. */
@Command(name = "du", versionProvider = ManifestVersion.class, sortOptions = false, usageHelpWidth = 100,
        description = {"Summarize the disk usage of each FILE (default: the current directory), recursively for",
            "directories: the same lines, numbers and order as GNU du, read by several threads at once."},
        footer = {"", "SIZE (-B, -t) is a number with an optional unit: K, M, G, T, P, E (powers of 1024) or KB, MB...",
            "(powers of 1000); -BM prints the unit too. DU_BLOCK_SIZE, BLOCK_SIZE and BLOCKSIZE set the default.",
            "", "Examples:", "  du -h -d1 | sort -h             each top directory, human-readable, smallest first",
            "  du -ah dir --sort=size | tail   the biggest files and directories in dir",
            "  du -sh --exclude=node_modules *  totals without node_modules",
            "  du -v -s ~/src /var/log         live totals of both on stderr while walking",
            "  du -o tree.json dir && ncdu -f tree.json   browse the walk in ncdu (or gdu -f)",
            "", "Exit status: 0 if all was read, 1 if something could not be (a warning names it),",
            "2 for a usage error, 130 if interrupted (the totals printed then are marked partial)."})
public final class DuCommand implements Callable<Integer> {
    /** How symlinks are followed: -P (never), -H/-D (on the command line), -L (always). */
    enum Dereference { NONE, ARGUMENTS, ALL }

    @Mixin
    StandardOptions standard;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "Files or directories to measure (default: .).")
    List<String> files = new ArrayList<>();

    private BlockSize unit = BlockSize.fromEnvironment(System.getenv());
    private boolean apparent, maxDepthGiven, sortBySize;
    private long maxDepth = -1; // unsigned: no limit
    private long threshold;
    private Inodes.Time time = Inodes.Time.NONE;
    private Dereference dereference = Dereference.NONE;
    private final Map<String, ArrayDeque<String>> spellings = new HashMap<>();

    @Option(order = 1, names = {"-0", "--null"}, description = "End each output line with NUL, not newline.")
    boolean nul;

    @Option(order = 2, names = {"-a", "--all"}, description = "Write counts for all files, not just directories.")
    boolean all;

    @Option(order = 3, names = "--apparent-size",
            description = "Print apparent sizes (bytes of content) rather than disk usage.")
    void apparentSize(boolean on) {
        apparent |= on;
    }

    @Option(order = 4, names = {"-B", "--block-size"}, paramLabel = "SIZE",
            description = "Scale sizes by SIZE before printing them: -BM prints units of 1,048,576 bytes.")
    void blockSize(String value) {
        try {
            unit = BlockSize.parse(GnuArgs.value(value), spelled("--block-size"));
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    @Option(order = 5, names = {"-b", "--bytes"}, description = "Same as --apparent-size --block-size=1.")
    void bytes(boolean on) {
        apparent |= on;
        unit = on ? BlockSize.BYTES : unit;
    }

    @Option(order = 6, names = {"-c", "--total"}, description = "Produce a grand total.")
    boolean total;

    @Option(order = 7, names = {"-D", "--dereference-args"},
            description = "Dereference only symlinks that are listed on the command line.")
    void dereferenceArguments(boolean on) {
        dereference = on ? Dereference.ARGUMENTS : dereference;
    }

    @Option(order = 8, names = {"-d", "--max-depth"}, paramLabel = "N",
            description = "Print the total for a directory (or file, with -a) only if it is N or fewer levels "
                    + "below the command line argument; -d 0 is the same as -s.")
    void maxDepth(String value) {
        var text = GnuArgs.value(value);
        var number = GnuSyntax.unsigned(text, "");
        if (!number.ok()) {
            throw usage("invalid maximum depth " + quote(text));
        }
        maxDepth = number.value();
        maxDepthGiven = true;
    }

    @Option(order = 9, names = "--files0-from", paramLabel = "F",
            description = "Summarize the NUL-terminated file names in F; - reads them from standard input.")
    String files0From;

    @Option(order = 10, names = "-H", description = "Same as --dereference-args (-D).")
    void dereferenceH(boolean on) {
        dereferenceArguments(on);
    }

    @Option(order = 11, names = {"-h", "--human-readable"}, description = "Print sizes like 1K 234M 2G.")
    void human(boolean on) {
        unit = on ? BlockSize.HUMAN : unit;
    }

    @Option(order = 12, names = "--inodes", description = "List inode usage instead of block usage.")
    boolean inodes;

    @Option(order = 13, names = "-k", description = "Like --block-size=1K.")
    void kibibytes(boolean on) {
        unit = on ? BlockSize.KIB : unit;
    }

    @Option(order = 14, names = {"-L", "--dereference"}, description = "Dereference all symbolic links.")
    void dereferenceAll(boolean on) {
        dereference = on ? Dereference.ALL : dereference;
    }

    @Option(order = 15, names = {"-l", "--count-links"}, description = "Count sizes many times if hard linked.")
    boolean countLinks;

    @Option(order = 16, names = "-m", description = "Like --block-size=1M.")
    void mebibytes(boolean on) {
        unit = on ? BlockSize.MIB : unit;
    }

    @Option(order = 17, names = {"-P", "--no-dereference"},
            description = "Don't follow any symbolic links (the default).")
    void noDereference(boolean on) {
        dereference = on ? Dereference.NONE : dereference;
    }

    @Option(order = 18, names = {"-S", "--separate-dirs"},
            description = "For directories, do not include the size of subdirectories.")
    boolean separateDirs;

    @Option(order = 19, names = "--si", description = "Like -h, but in powers of 1000, not 1024.")
    void si(boolean on) {
        unit = on ? BlockSize.SI_UNITS : unit;
    }

    @Option(order = 20, names = {"-s", "--summarize"}, description = "Display only a total for each argument.")
    boolean summarize;

    @Option(order = 21, names = {"-t", "--threshold"}, paramLabel = "SIZE",
            description = "Exclude entries smaller than SIZE if positive, or greater than SIZE if negative.")
    void threshold(String value) {
        var text = GnuArgs.value(value);
        var number = GnuSyntax.signed(text, GnuSyntax.THRESHOLD_SUFFIXES);
        if (!number.ok()) {
            throw usage(GnuSyntax.badNumber(number.error(), spelled("--threshold"), text));
        }
        if (number.value() == 0 && text.startsWith("-")) {
            throw usage("invalid --threshold argument '-0'");
        }
        threshold = number.value();
    }

    @Option(order = 22, names = "--time", arity = "0..1", paramLabel = "WORD",
            description = "Show the time of the last modification of anything in the directory; "
                    + "--time=WORD shows atime (access, use) or ctime (status) instead.")
    void time(String value) {
        var word = GnuArgs.value(value);
        var times = GnuSyntax.arguments(Map.entry("atime", Inodes.Time.ACCESS), Map.entry("access", Inodes.Time.ACCESS),
                Map.entry("use", Inodes.Time.ACCESS), Map.entry("ctime", Inodes.Time.STATUS_CHANGE),
                Map.entry("status", Inodes.Time.STATUS_CHANGE));
        time = word == null ? Inodes.Time.MODIFICATION : GnuSyntax.argmatch(word, times);
        if (time == null) {
            throw usage(GnuSyntax.badArgument(word, "--time", times));
        }
    }

    @Option(order = 23, names = "--time-style", paramLabel = "STYLE",
            description = "Show times as full-iso, long-iso (the default), iso, or +FORMAT (as date).")
    String timeStyle;

    @Option(order = 24, names = {"-X", "--exclude-from"}, paramLabel = "FILE",
            description = "Exclude files that match any pattern in FILE (one a line).")
    List<String> excludeFrom = new ArrayList<>();

    @Option(order = 25, names = "--exclude", paramLabel = "PATTERN",
            description = "Exclude files that match PATTERN (a shell glob, matched on the name and the path).")
    List<String> exclude = new ArrayList<>();

    @Option(order = 26, names = {"-x", "--one-file-system"}, description = "Skip directories on other file systems.")
    boolean oneFileSystem;

    @Option(order = 27, names = {"-o", "--export"}, paramLabel = "FILE",
            description = "Also write the walk to FILE in ncdu's export format, for ncdu -f or gdu -f (- for stdout).")
    String export;

    @Option(order = 28, names = "--import", paramLabel = "FILE",
            description = "Read the tree from an ncdu export instead of the file system.")
    String importFrom;

    @Option(order = 29, names = "--sort", paramLabel = "KEY",
            description = "size: print the lines smallest first, as | sort -h would (none: du's order).")
    void sort(String value) {
        var key = GnuArgs.value(value);
        var keys = GnuSyntax.arguments(Map.entry("size", true), Map.entry("none", false));
        var bySize = GnuSyntax.argmatch(key, keys);
        if (bySize == null) {
            throw usage(GnuSyntax.badArgument(key, "--sort", keys));
        }
        sortBySize = bySize;
    }

    @Option(order = 30, names = "--files", description = "Add each line's count of files (non-directories).")
    boolean fileCounts;

    @Option(order = 31, names = {"-v", "--verbose"}, description = "Show running totals on stderr while walking.")
    boolean verbose;

    @Option(order = 32, names = {"-interval", "--interval"}, paramLabel = "DURATION", converter = GoDuration.class,
            description = "How often -v updates (default: ${DEFAULT-VALUE}).", defaultValue = "500ms")
    Duration interval;

    private final Inodes fileSystem;
    private final int walkers;
    private OutputStream stdout = System.out;

    public DuCommand() {
        this(null, 0);
    }

    /**
     * For tests: walk with these file system calls instead of the best available (if not null),
     * and this many threads reading directories (if above 0) instead of one per core.
     */
    DuCommand(Inodes fileSystem, int walkers) {
        this.fileSystem = fileSystem;
        this.walkers = walkers;
    }

    public static void main(String[] args) {
        // The release archive's prerendered help and version, before any model is built (as Cli.exit does).
        var command = new DuCommand();
        if (Cli.printedWithoutModel(command, args)) {
            Cli.end(0);
            return;
        }
        // Load the system calls' backend while picocli parses: du's JNI library takes about a
        // millisecond, FFM's link (its fallback) a tenth of a second. Not for a lone --help or
        // --version, which need none of it.
        if (args.length != 1 || !List.of("--help", "-help", "--version").contains(args[0])) {
            Thread.ofPlatform().start(NativeInodes::link);
        }
        Cli.end(run(command, System.out, System.err, args));
    }

    /**
     * Runs du as Cli.run does, after reading the command line as GNU getopt_long reads it, and
     * with stdout as bytes (file names need not be text).
     */
    static int run(DuCommand command, PrintStream out, PrintStream err, String... args) {
        var cli = Cli.commandLine(command, out, err);
        cli.setOverwrittenOptionsAllowed(true);
        cli.setAllowOptionsAsOptionParameters(true);
        command.stdout = out;
        List<String> normalized;
        try {
            normalized = GnuArgs.normalize(cli.getCommandSpec(), args, System.getenv("POSIXLY_CORRECT") != null,
                    (canonical, typed) -> command.spellings.computeIfAbsent(canonical, c -> new ArrayDeque<>())
                            .add(typed));
        } catch (ParameterException e) {
            try {
                return cli.getParameterExceptionHandler().handleParseException(e, args);
            } catch (Exception unexpected) {
                throw new IllegalStateException(unexpected);
            }
        }
        return cli.execute(normalized.toArray(String[]::new));
    }

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        var settings = Settings.of(this, err::println);
        var found = fileSystem != null ? fileSystem : Inodes.best(time, m -> err.println("du: " + m));
        return new DiskUsage(settings, found, walkers, stdout, spec.commandLine().getErr()).run();
    }

    // What Settings reads.

    BlockSize unit() {
        return unit;
    }

    boolean apparent() {
        return apparent;
    }

    long maxDepth() {
        return maxDepth;
    }

    boolean maxDepthGiven() {
        return maxDepthGiven;
    }

    long threshold() {
        return threshold;
    }

    Inodes.Time time() {
        return time;
    }

    Dereference dereference() {
        return dereference;
    }

    boolean sortBySize() {
        return sortBySize;
    }

    ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** How the user typed the option whose value is being read: GNU names it so in messages. */
    private String spelled(String canonical) {
        var typed = spellings.get(canonical);
        return typed == null || typed.isEmpty() ? canonical : typed.poll();
    }
}
