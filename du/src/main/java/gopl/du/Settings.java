package gopl.du;

import static gopl.du.GnuSyntax.quote;

import gopl.common.IoErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.function.Consumer;

/**
 * Everything a run needs, read from the command line with GNU du's checks and in GNU du's order:
 * its warnings ({@code warning: summarizing is the same as using --max-depth=0}), its usage
 * errors ({@code cannot both summarize and show all entries}), and its defaults.
 */
record Settings(Tally.Rules rules, Lines.Format format, Inodes.Time time, DuCommand.Dereference dereference,
        boolean oneFileSystem, Exclusions exclusions, List<String> operands, String files0From, boolean total,
        boolean sortBySize, boolean verbose, Duration interval, String export, String importFrom) {

    /** Checks a parsed command line; throws a usage error, or warns through {@code warn}. */
    static Settings of(DuCommand du, Consumer<String> warn) {
        var exclusions = exclusions(du);
        if (du.all && du.summarize) {
            throw du.usage("cannot both summarize and show all entries");
        }
        long maxDepth = du.maxDepth();
        if (du.summarize && du.maxDepthGiven()) {
            if (maxDepth != 0) {
                throw du.usage("warning: summarizing conflicts with --max-depth=" + Long.toUnsignedString(maxDepth));
            }
            warn.accept("du: warning: summarizing is the same as using --max-depth=0");
        }
        if (du.summarize) {
            maxDepth = 0;
        }
        if (du.inodes && du.apparent()) {
            warn.accept("du: warning: options --apparent-size and -b are ineffective with --inodes");
        }
        String timeFormat = null;
        if (du.time() != Inodes.Time.NONE) {
            try {
                timeFormat = TimeStyle.format(du.timeStyle == null ? null : GnuArgs.value(du.timeStyle), System.getenv());
            } catch (IllegalArgumentException e) {
                throw du.usage(e.getMessage());
            }
        }
        checkOperands(du);
        if (du.interval.toMillis() < 1) {
            throw du.usage("--interval must be at least 1ms");
        }
        var files0From = du.files0From == null ? null : GnuArgs.value(du.files0From);
        boolean hashAll = du.files.size() > 1 || du.dereference() == DuCommand.Dereference.ALL || files0From != null;
        var rules = new Tally.Rules(du.all, du.separateDirs, du.countLinks, hashAll, maxDepth, du.threshold(),
                du.inodes, du.apparent() && !du.inodes);
        // The zone only for --time: finding it reads the time zone database, a few ms of every start.
        var zone = timeFormat == null ? null : ZoneId.systemDefault();
        var format = new Lines.Format(du.unit(), du.inodes, du.fileCounts, timeFormat, zone, du.nul);
        return new Settings(rules, format, du.time(), du.dereference(), du.oneFileSystem, exclusions,
                du.files.isEmpty() && files0From == null && du.importFrom == null ? List.of(".") : du.files,
                files0From, du.total, du.sortBySize(), du.verbose, du.interval,
                du.export == null ? null : GnuArgs.value(du.export),
                du.importFrom == null ? null : GnuArgs.value(du.importFrom));
    }

    private static void checkOperands(DuCommand du) {
        if (du.files0From != null && !du.files.isEmpty()) {
            throw du.usage("extra operand " + quote(du.files.getFirst())
                    + "; file operands cannot be combined with --files0-from");
        }
        if (du.importFrom != null && (!du.files.isEmpty() || du.files0From != null)) {
            throw du.usage("--import reads its tree from the export: no FILE operands or --files0-from");
        }
        if (du.export != null && (du.files.size() > 1 || du.files0From != null)) {
            throw du.usage("--export writes one tree: give one FILE (ncdu and gdu browse one directory)");
        }
    }

    /** --exclude and -X, in the locale's terms; an -X file that cannot be read is a usage error, as in GNU du. */
    private static Exclusions exclusions(DuCommand du) {
        var exclusions = new Exclusions(GnuSyntax.isUtf8(System.getenv()));
        for (var pattern : du.exclude) {
            exclusions.add(GnuArgs.value(pattern).getBytes(Inodes.fileNameCharset()));
        }
        for (var encoded : du.excludeFrom) {
            var file = GnuArgs.value(encoded);
            try {
                if (file.equals("-")) {
                    exclusions.addLines(System.in);
                } else {
                    try (InputStream in = Files.newInputStream(Path.of(file))) {
                        exclusions.addLines(in);
                    }
                }
            } catch (IOException e) {
                throw du.usage(Inodes.quoteIfNeeded(file.getBytes(StandardCharsets.UTF_8)) + ": " + IoErrors.reason(e));
            }
        }
        return exclusions;
    }
}
