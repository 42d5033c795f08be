package gopl.mirror;

import gopl.common.IoErrors;
import gopl.common.StatusLine;
import gopl.common.ToolException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import picocli.CommandLine.Option;

/**
 * wget's flags that mean nothing new to mirror, accepted so that a {@code wget -m -k -p -np -N -c}
 * habit does here what it does there, and wget's output flags: {@code -q}, {@code -o FILE},
 * {@code -a FILE}. A picocli mixin; {@link #messages} gives the line the tool's messages go to.
 */
final class WgetFlags {
    @Option(names = {"-m", "--mirror"}, description = "Accepted as wget's: mirror always mirrors (recursive, -l inf, -N).")
    boolean mirror;

    @Option(names = {"-r", "--recursive"}, description = "Accepted as wget's: mirror is always recursive (-l inf unless -l says).")
    boolean recursive;

    @Option(names = {"-k", "--convert-links"}, description = "Accepted as wget's: links always point to the local copies.")
    boolean convertLinks;

    @Option(names = {"-p", "--page-requisites"}, description = "Accepted as wget's: requisites are always fetched.")
    boolean pageRequisites;

    @Option(names = {"-c", "--continue"}, description = "Accepted as wget's: files are written whole or not at all, so "
            + "nothing is ever half-downloaded, and a re-run fetches what is missing or changed.")
    boolean resume;

    @Option(names = {"-nv", "--no-verbose", "-v", "--verbose"}, description = "Accepted as wget's: one line per failure and a summary.")
    boolean verbosity;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing (the exit status tells), as wget -q.")
    boolean quiet;

    @Option(names = {"-o", "--output-file"}, paramLabel = "FILE", description = "Write the messages to FILE, as wget -o.")
    Path log;

    @Option(names = {"-a", "--append-output"}, paramLabel = "FILE", description = "Append the messages to FILE, as wget -a.")
    Path appendLog;

    /**
     * Where messages go: stderr with a live progress line on a terminal; nowhere with -q; or the
     * log file of -o or -a, without progress (closed when the JVM exits).
     */
    StatusLine messages(PrintWriter stderr) {
        if (quiet) {
            return StatusLine.off(new PrintWriter(OutputStream.nullOutputStream()));
        }
        var file = log != null ? log : appendLog;
        if (file == null) {
            return StatusLine.stderr(stderr);
        }
        try {
            var writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    log != null ? StandardOpenOption.TRUNCATE_EXISTING : StandardOpenOption.APPEND);
            return StatusLine.off(new PrintWriter(writer, true));
        } catch (IOException e) {
            throw new ToolException("cannot write " + file + ": " + IoErrors.reason(e));
        }
    }
}
