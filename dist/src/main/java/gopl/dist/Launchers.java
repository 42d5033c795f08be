package gopl.dist;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;

/** The archive's {@code bin/gopl-<tool>} scripts, from one template and each tool's JVM options. */
final class Launchers {
    private final String template;
    private final Properties options = new Properties();
    private final String version;

    Launchers(Path packageDir, String version) throws IOException {
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
        Files.writeString(script, template.replace("@TOOL@", tool.name()).replace("@VERSION@", version)
                .replace("@OPTIONS@", options(tool)));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }
}
