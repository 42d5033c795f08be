package gopl.dist;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The archive's {@code bin/gopl-<tool>} scripts, from one template (POSIX sh), each tool's JVM
 * options, and a tool's own shell lines where it needs more ({@code prelude-<tool>.sh}: mandelbrot's
 * filter, for which its launcher runs under bash).
 */
final class Launchers {
    /** A word the shell leaves as it is, unquoted (a * too, since the launcher turns globbing off). */
    private static final Pattern PLAIN_WORD = Pattern.compile("[A-Za-z0-9_.,:=+/*@%-]+");
    private final String template;
    private final Properties options = new Properties();
    private final String version;

    private final Path packageDir;

    Launchers(Path packageDir, String version) throws IOException {
        this.packageDir = packageDir;
        this.template = Files.readString(packageDir.resolve("launcher.sh"));
        options.load(new StringReader(Files.readString(packageDir.resolve("jvm-options.properties"))));
        this.version = version;
    }

    /** The JVM options the tool's launcher passes (the training run uses the launcher itself). */
    String options(Tool tool) {
        return options.getProperty(tool.name(), options.getProperty("default", "")).strip();
    }

    Path write(Tool tool, Path bin) throws IOException {
        var script = bin.resolve(tool.command());
        var options = Arrays.stream(options(tool).split("\\s+")).filter(o -> !o.isEmpty()).toList();
        for (var option : options) {
            // The POSIX sh launcher splits its options at blanks, unquoted: no option may need quotes.
            if (!PLAIN_WORD.matcher(option).matches()) {
                throw new IllegalArgumentException(tool.name() + ": a launcher option the shell would change: " + option);
            }
        }
        var prelude = packageDir.resolve("prelude-" + tool.name() + ".sh");
        boolean hasPrelude = Files.exists(prelude);
        var text = template.replace("@TOOL@", tool.name()).replace("@VERSION@", version)
                .replace("@OPTIONS@", String.join(" ", options))
                .replace("@PRELUDE@", hasPrelude ? Files.readString(prelude).strip() : "");
        // A tool's own shell lines may need bash (mandelbrot's process substitution).
        Files.writeString(script, hasPrelude ? text.replaceFirst("^#!/bin/sh\n", "#!/usr/bin/env bash\n") : text);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }
}
