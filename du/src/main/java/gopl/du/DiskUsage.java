package gopl.du;

import gopl.common.Cli;
import gopl.common.Interrupts;
import gopl.common.IoErrors;
import gopl.common.StatusLine;
import gopl.common.Terminal;
import gopl.common.ToolException;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * A run of du: the roots, one after the other as GNU du takes them, each walked by the
 * {@link Scan} and counted by the {@link Tally}; the grand total; -v progress; Ctrl-C, after
 * which the root being walked is printed with what it has counted so far, marked partial.
 */
final class DiskUsage {
    /** How many roots the walkers may read ahead of the one being counted. */
    private static final int ROOTS_AHEAD = 16;
    /** The longest name read from --files0-from: longer ones cannot be a path anyway. */
    private static final int MAX_NAME = 64 * 1024;

    private final Settings settings;
    private final Inodes inodes;
    private final int walkers;
    private final OutputStream stdout;
    private final PrintWriter err;
    private final List<Roots.Root> roots = Collections.synchronizedList(new ArrayList<>());
    private volatile Progress progress;
    private volatile Scan scan;
    private boolean ok = true;
    /** The root being counted, or the export being imported: what Ctrl-C marks partial. */
    private Roots.Root walking;
    private NcduImport importing;

    /** {@code walkers}: threads reading directories, the counting one included; 0 for one per core. */
    DiskUsage(Settings settings, Inodes inodes, int walkers, OutputStream stdout, PrintWriter err) {
        this.settings = settings;
        this.inodes = inodes;
        this.walkers = walkers;
        this.stdout = stdout;
        this.err = err;
    }

    int run() {
        var exportToStdout = "-".equals(settings.export());
        var lines = new Lines(exportToStdout ? OutputStream.nullOutputStream() : stdout, settings.format(),
                settings.sortBySize(), stdout == System.out && Terminal.stdoutIsTerminal());
        var tally = new Tally(settings.rules(), lines, this::warn);
        var main = Thread.currentThread();
        // The signal's hook is installed first and released last: once it is released, a signal's
        // shutdown halts the JVM, so the lines and the export (closed to valid JSON) must be out by then.
        Interrupts signals;
        try {
            signals = Interrupts.onSignal(() -> cancel(main));
        } catch (IllegalStateException shuttingDown) {
            return Cli.INTERRUPTED; // Ctrl-C before du could take it: the JVM is exiting, with nothing to print
        }
        try (signals;
                var export = NcduExport.open(settings.export(), exportToStdout ? stdout : null);
                var scan = new Scan(inodes, scanOptions(), helpers(walkers))) {
            this.scan = scan;
            startProgress();
            boolean cut = cutShort(scan, tally, lines, export);
            boolean signalled = signals.finish();
            stopProgress();
            return finish(tally, lines, cut, signalled);
        } catch (UncheckedIOException e) {
            return writeFailed(e.getCause());
        } catch (IOException e) {
            return writeFailed(e);
        }
    }

    /** Walks every root, or the import; true if Ctrl-C cut the walk short. */
    private boolean cutShort(Scan scan, Tally tally, Lines lines, NcduExport export) {
        try {
            walkAll(scan, tally, lines, export);
            return false;
        } catch (InterruptedException e) {
            return true;
        } catch (RuntimeException e) {
            if (!closedByInterrupt(e)) {
                throw e;
            }
            return true; // the signal's interrupt closed the channel an input was read from
        }
    }

    /** Ctrl-C: stops the walk, which prints what it has, and the walkers (if they have started). */
    private void cancel(Thread main) {
        main.interrupt(); // first: it cannot block, and DuIT takes a hook that waits for having done it
        var started = scan;
        if (started != null) {
            started.cancel();
        }
    }

    /**
     * The lines still due. {@code cut}: the walk stopped short, so the root being walked and the
     * total are marked partial; {@code signalled}: a signal came, if only after the walk (exit 130).
     */
    private int finish(Tally tally, Lines lines, boolean cut, boolean signalled) {
        boolean marked = false;
        var partial = cut ? partialRoot() : null;
        if (partial != null) {
            lines.line(tally.root(), partial + "\t(partial)");
            marked = true;
        }
        if (settings.total()) {
            lines.line(tally.total(), cut ? "total\t(partial)" : "total");
            marked |= cut;
        }
        lines.finish();
        if (cut) {
            err.println(marked ? "du: interrupted: the totals marked (partial) are incomplete" : "du: interrupted");
            err.flush();
        }
        return cut || signalled ? Cli.INTERRUPTED : ok && tally.ok() ? 0 : Cli.FAILURE;
    }

    /** The name of the root being counted when the walk stopped, or null between roots. */
    private String partialRoot() {
        if (importing != null) {
            var top = importing.top();
            return top == null ? null : new String(top, Inodes.fileNameCharset());
        }
        return walking == null ? null : walking.name;
    }

    /** Whether an exception comes of an interrupt that closed the channel being read (Ctrl-C). */
    private static boolean closedByInterrupt(Throwable e) {
        for (var cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ClosedByInterruptException) {
                return true;
            }
        }
        return false;
    }

    /** Walks every root in order; the walkers may read a few roots ahead. */
    private void walkAll(Scan scan, Tally tally, Lines lines, NcduExport export) throws InterruptedException {
        if (settings.importFrom() != null) {
            try (var in = open(settings.importFrom())) {
                importing = new NcduImport(in, settings.importFrom(), settings.exclusions());
                tally.walk(export.wrap(importing));
            } catch (IOException e) {
                throw new ToolException("cannot read " + settings.importFrom() + ": " + IoErrors.reason(e), e);
            }
            return;
        }
        var names = names();
        var pending = new ArrayList<Roots.Root>();
        for (int index = 0; !pending.isEmpty() || names.hasNext(); ) {
            while (pending.size() < ROOTS_AHEAD && names.hasNext()) {
                var root = root(names.next(), index++);
                if (root != null) {
                    pending.add(root);
                    roots.add(root);
                    scan.addRoot(root);
                }
            }
            if (pending.isEmpty()) {
                break;
            }
            var root = pending.removeFirst();
            var walk = new ListingWalk(scan, root.slot, settings.export() != null, lines::flushIfStale);
            walking = root;
            tally.walk(export.wrap(walk));
            walking = null;
            root.countedSize = tally.root().size;
            root.countedFiles = tally.root().files;
            root.done = true;
        }
    }

    /** A root to walk, or null (with GNU's warning) for a name that cannot be one. */
    private Roots.Root root(byte[] name, int index) {
        var files0From = settings.files0From();
        if (files0From != null && files0From.equals("-") && name.length == 1 && name[0] == '-') {
            warn("when reading file names from stdin, no file name of " + Inodes.quote(name) + " allowed");
            return null;
        }
        if (name.length == 0) {
            warn(files0From == null ? "invalid zero-length file name"
                    : Inodes.quoteIfNeeded(files0From.getBytes()) + ":" + (index + 1) + ": invalid zero-length file name");
            return null;
        }
        return new Roots.Root(name, index);
    }

    private Iterator<byte[]> names() {
        if (settings.files0From() == null) {
            var charset = Inodes.fileNameCharset();
            return settings.operands().stream().map(name -> name.getBytes(charset)).iterator();
        }
        try {
            return new Files0From(open(settings.files0From()), settings.files0From(), MAX_NAME);
        } catch (IOException e) {
            throw new ToolException("cannot open " + Inodes.quote(settings.files0From().getBytes())
                    + " for reading: " + IoErrors.reason(e));
        }
    }

    /**
     * A file to read names or an export from, "-" for stdin. Read through a channel, which an
     * interrupt closes (ClosedByInterruptException): Ctrl-C stops a read that waits on a pipe.
     */
    private static InputStream open(String file) throws IOException {
        return file.equals("-") ? Channels.newInputStream(new FileInputStream(FileDescriptor.in).getChannel())
                : Files.newInputStream(Path.of(file));
    }

    private Scan.Options scanOptions() {
        var rules = settings.rules();
        var dereference = settings.dereference();
        boolean several = settings.operands().size() > 1;
        boolean hashEveryFile = dereference != DuCommand.Dereference.NONE && several || settings.files0From() != null
                || dereference == DuCommand.Dereference.ALL;
        var fileRootParents = several && !hashEveryFile && !rules.countAll()
                ? Roots.fileRootParents(settings.operands().stream().map(n -> n.getBytes(Inodes.fileNameCharset()))
                        .toList(), inodes)
                : Set.<Long>of();
        // With -a, files down to --max-depth get lines, so entries of their own; deeper ones are added up.
        long entriesUpTo = !rules.all() ? -1 : rules.maxDepth() < 0 ? Long.MAX_VALUE : rules.maxDepth();
        return new Scan.Options(settings.time(), dereference == DuCommand.Dereference.ALL,
                dereference != DuCommand.Dereference.NONE, settings.oneFileSystem(), settings.exclusions(),
                rules.apparent(), settings.export() != null, entriesUpTo, rules.countAll(), hashEveryFile,
                rules.hashAll() && !rules.countAll(), fileRootParents);
    }

    /** Helpers beside the thread that counts: one per other core, unless told (or -Dgopl.du.walkers=N). */
    private static int helpers(int walkers) {
        int wanted = walkers > 0 ? walkers : Integer.getInteger("gopl.du.walkers", 0);
        return wanted > 0 ? wanted - 1 : Math.max(0, Runtime.getRuntime().availableProcessors() - 1);
    }

    private void startProgress() {
        if (settings.verbose()) {
            var status = new StatusLine(err, StatusLine.mode(Terminal.stderrIsTerminal(), System.getenv()), columns());
            progress = new Progress(roots, settings.interval(), status);
        }
    }

    private void stopProgress() {
        if (progress != null) {
            progress.close();
        }
    }

    private int writeFailed(IOException e) {
        var reason = IoErrors.reason(e);
        if (reason.contains("Broken pipe")) {
            return 141; // as a shell reports GNU du killed by SIGPIPE
        }
        err.println("du: write error: " + reason);
        return Cli.FAILURE;
    }

    private void warn(String message) {
        ok = false;
        var shown = progress;
        if (shown != null) {
            shown.warn("du: " + message);
        } else {
            err.println("du: " + message);
        }
    }

    /** The terminal's width for the progress line: asked of the terminal, else $COLUMNS, else 80. */
    private static int columns() {
        return NativeInodes.columns(2).orElseGet(() -> StatusLine.columns(System.getenv()));
    }
}
