package gopl.du;

import gopl.common.Cli;
import gopl.common.GoDuration;
import gopl.common.Interrupts;
import gopl.common.ManifestVersion;
import gopl.common.SizeFormat;
import gopl.common.StandardOptions;
import gopl.common.StatusLine;
import gopl.common.Terminal;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** du: the disk usage of each root, exactly as GNU {@code du -s} counts it, walked in parallel. */
@Command(name = "du", versionProvider = ManifestVersion.class, sortOptions = false, usageHelpWidth = 100,
        description = {"Print the disk usage of each ROOT (default: the current directory), one line per root:",
                "SIZE, a tab, ROOT; the same numbers as GNU du -s, counted by walking directories in parallel.",
                "Hard-linked files count once, symlinks are not followed, and a root inside an earlier root",
                "is not printed again."},
        footer = {"", "Examples:", "  du -sh ~/src ~/Downloads       human-readable totals of two directories",
                "  du -v --files /var             live totals on stderr, then size, file count and root",
                "  du -cb *.iso                   apparent sizes in bytes, and a grand total",
                "", "Exit status: 0 if all was read, 1 if something could not be (a warning names it),",
                "2 for a usage error, 130 if interrupted (the totals printed are then marked partial)."})
public final class DuCommand implements Callable<Integer> {
    private enum Unit { KIB, MIB, BYTES, HUMAN }

    @Mixin
    StandardOptions standard;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ROOT", description = "Files or directories to measure (default: .).")
    List<String> roots = List.of(".");

    private Unit unit = Unit.KIB;
    private boolean apparent;

    @Option(order = 1, names = {"-s", "--summarize"},
            description = "Accepted for GNU du habits: totals are all du prints.")
    boolean summarize;

    @Option(order = 2, names = {"-h", "--human-readable"},
            description = "Sizes like 1.5K, 234M, 2.0G (powers of 1024).")
    void human(boolean on) {
        unit = on ? Unit.HUMAN : unit;
    }

    @Option(order = 3, names = "-k", description = "Sizes in 1024-byte units, rounded up (the default).")
    void kibibytes(boolean on) {
        unit = on ? Unit.KIB : unit;
    }

    @Option(order = 4, names = "-m", description = "Sizes in 1 MiB units, rounded up.")
    void mebibytes(boolean on) {
        unit = on ? Unit.MIB : unit;
    }

    @Option(order = 5, names = {"-b", "--bytes"}, description = "Apparent sizes in bytes, as du -b.")
    void bytes(boolean on) {
        unit = on ? Unit.BYTES : unit;
        apparent |= on;
    }

    @Option(order = 6, names = "--apparent-size",
            description = "Apparent sizes (bytes of content) instead of disk usage.")
    void apparentSize(boolean on) {
        apparent |= on;
    }

    @Option(order = 7, names = {"-c", "--total"}, description = "Add a grand total line.")
    boolean total;

    @Option(order = 8, names = "--files", description = "Add each root's count of files (non-directories) before ROOT.")
    boolean files;

    @Option(order = 9, names = {"-x", "--one-file-system"}, description = "Skip directories on other file systems.")
    boolean oneFileSystem;

    @Option(order = 10, names = {"-0", "--null"}, description = "End each output line with NUL, not newline.")
    boolean nul;

    @Option(order = 11, names = {"-v", "--verbose"}, description = "Show running totals on stderr while walking.")
    boolean verbose;

    @Option(order = 12, names = {"-interval", "--interval"}, paramLabel = "DURATION", converter = GoDuration.class,
            description = "How often -v updates (default: ${DEFAULT-VALUE}).", defaultValue = "500ms")
    Duration interval;

    private final Inodes inodes;
    private volatile Progress progress;

    public DuCommand() {
        this(null);
    }

    /** For tests: walk with these file system calls instead of the best available. */
    DuCommand(Inodes inodes) {
        this.inodes = inodes;
    }

    public static void main(String[] args) {
        // Linking the C library's functions takes a tenth of a second: do it while picocli parses
        // (not for a lone --help or --version, which need none of it).
        if (args.length != 1 || !args[0].matches("--?help|--version")) {
            Thread.ofPlatform().start(NativeInodes::link);
        }
        Cli.exit(new DuCommand(), args);
    }

    @Override
    public Integer call() {
        if (interval.toMillis() < 1) {
            throw new ParameterException(spec.commandLine(), "--interval must be at least 1ms");
        }
        var err = spec.commandLine().getErr();
        var du = new DiskUsage(inodes != null ? inodes : Inodes.best(m -> err.println("du: " + m)), oneFileSystem,
                this::warn);
        var walked = du.roots(roots);
        var main = Thread.currentThread();
        // Ctrl-C or SIGTERM cancels the walk; the partial totals are printed before the JVM exits.
        try (var signals = Interrupts.onSignal(() -> {
            du.cancel();
            main.interrupt();
        })) {
            walk(du, walked);
            boolean interrupted = signals.finish();
            report(du, walked, interrupted);
            if (interrupted) {
                err.println("du: interrupted: the totals marked (partial) are incomplete");
                err.flush();
                return Cli.INTERRUPTED;
            }
        }
        return du.errors() > 0 ? Cli.FAILURE : 0;
    }

    /** Walks with progress, if asked, until done or cancelled by a signal. */
    private void walk(DiskUsage du, List<Roots.Root> walked) {
        if (verbose) {
            var err = spec.commandLine().getErr();
            var status = new StatusLine(err, StatusLine.mode(Terminal.stderrIsTerminal(), System.getenv()), columns());
            progress = new Progress(walked, apparent, interval, status);
        }
        try {
            du.walk();
        } catch (InterruptedException e) {
            // Ctrl-C: the signal cancelled the walk; report what was counted.
        }
        if (progress != null) {
            progress.close();
        }
    }

    private void report(DiskUsage du, List<Roots.Root> walked, boolean stopped) {
        var out = spec.commandLine().getOut();
        long totalBytes = 0, totalFiles = 0;
        boolean anyPartial = false;
        for (var root : walked) {
            if (du.reported(root)) {
                long bytes = apparent ? root.bytes.sum() : root.blocks.sum() * 512;
                boolean partial = stopped && !root.complete();
                line(out, bytes, root.files.sum(), root.name, partial);
                totalBytes += bytes;
                totalFiles += root.files.sum();
                anyPartial |= partial;
            }
        }
        if (total) {
            line(out, totalBytes, totalFiles, "total", anyPartial);
        }
        out.flush();
    }

    private void line(PrintWriter out, long bytes, long count, String name, boolean partial) {
        var line = new StringBuilder(size(bytes)).append('\t');
        if (files) {
            line.append(count).append('\t');
        }
        line.append(name).append(partial ? "\t(partial)" : "").append(nul ? '\0' : '\n');
        out.print(line);
    }

    private String size(long bytes) {
        return switch (unit) {
            case KIB -> Long.toString(Math.ceilDiv(bytes, 1024));
            case MIB -> Long.toString(Math.ceilDiv(bytes, 1024 * 1024));
            case BYTES -> Long.toString(bytes);
            case HUMAN -> SizeFormat.human(bytes);
        };
    }

    private void warn(String message) {
        var shown = progress;
        if (shown != null) {
            shown.warn("du: " + message);
        } else {
            spec.commandLine().getErr().println("du: " + message);
        }
    }

    /** The terminal's width for the progress line: asked of the terminal, else $COLUMNS, else 80. */
    private static int columns() {
        return NativeInodes.columns(2).orElseGet(() -> StatusLine.columns(System.getenv()));
    }
}
