package gopl.dist;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.regex.Pattern;

/**
 * One tool of the archive: a module of the parent pom whose {@code target/<name>.jar} has a
 * Main-Class. Installed as {@code gopl-<name>}, a name no system tool has.
 */
record Tool(String name, String mainClass, Path jar) {
    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");

    /** The command users type: {@code gopl-du}, never {@code du}, so nothing on PATH is shadowed. */
    String command() {
        return "gopl-" + name;
    }

    /** Every tool module of the checkout at {@code root}, in the parent pom's order. */
    static List<Tool> find(Path root) throws IOException {
        var tools = new ArrayList<Tool>();
        var matcher = MODULE.matcher(Files.readString(root.resolve("pom.xml")));
        while (matcher.find()) {
            var name = matcher.group(1).strip();
            var jar = root.resolve(name).resolve("target").resolve(name + ".jar");
            var main = Files.isRegularFile(jar) ? mainClass(jar) : null;
            if (main != null) {
                tools.add(new Tool(name, main, jar));
            }
        }
        return tools;
    }

    private static String mainClass(Path jar) {
        try (var file = new JarFile(jar.toFile())) {
            var manifest = file.getManifest();
            return manifest == null ? null : manifest.getMainAttributes().getValue("Main-Class");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + jar, e);
        }
    }
}
