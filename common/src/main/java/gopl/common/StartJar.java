package gopl.common;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.zip.ZipFile;

/**
 * An entry of the jar {@code java -jar} started (the release archive's prebuilt model and
 * prerendered help), read from that file directly. A class loader's resource lookup would first
 * search the runtime's modules (starting its jimage reader), then open the entry through a
 * {@code jar:} URL, whose protocol handler the JDK makes by reflection, spinning a method-handle
 * class no AOT cache holds: about 3 ms of a 60 ms {@code netcat -z}. On any other class path (a
 * test's, classes in directories) it is the class loader's lookup after all.
 */
public final class StartJar {
    private StartJar() {}

    /**
     * The jar {@code java -jar} started, as this run names it, or null on any other class path. Ask
     * this, not a class's code source, for where the tool's files are: a class that comes from an
     * AOT cache keeps the code source of the cache's training run, which named the build
     * directory's jar, not the installed one.
     */
    public static Path path() {
        var classPath = System.getProperty("java.class.path", "");
        return classPath.endsWith(".jar") && classPath.indexOf(File.pathSeparatorChar) < 0 ? Path.of(classPath) : null;
    }

    /** The entry's bytes ({@code META-INF/gopl/...}, no leading slash), or null if there is none. */
    static byte[] read(Class<?> owner, String entry) throws IOException {
        var started = path();
        if (started != null) {
            try (var jar = new ZipFile(started.toFile())) {
                var found = jar.getEntry(entry);
                if (found == null) {
                    return null;
                }
                try (var in = jar.getInputStream(found)) {
                    return in.readAllBytes();
                }
            }
        }
        try (var in = owner.getResourceAsStream("/" + entry)) {
            return in == null ? null : in.readAllBytes();
        }
    }
}
