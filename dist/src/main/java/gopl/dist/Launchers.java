package gopl.dist;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Properties;

/**
 * The archive's {@code bin/gopl-<tool>} scripts, from one template, each tool's JVM options, and
 * a tool's own shell lines where it needs more ({@code prelude-<tool>.sh}: mandelbrot's filter).
 */
final class Launchers {
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
        var quoted = Arrays.stream(options(tool).split("\\s+")).filter(o -> !o.isEmpty()).map(o -> "'" + o + "'").toList();
        var prelude = packageDir.resolve("prelude-" + tool.name() + ".sh");
        Files.writeString(script, template.replace("@TOOL@", tool.name()).replace("@VERSION@", version)
                .replace("@OPTIONS@", String.join(" ", quoted))
                .replace("@PRELUDE@", Files.exists(prelude) ? Files.readString(prelude).strip() : ""));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }
}
