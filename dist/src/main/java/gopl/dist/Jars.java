package gopl.dist;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.tools.ToolProvider;

/**
 * The archive's jars: each tool's jar with picocli's classes compiled anew for Java 25, and the JNI
 * library beside a tool's jar that has one (du's).
 *
 * <p>picocli publishes Java 5 class files, which an AOT cache cannot hold ("Old class has been
 * linked"), nor any class that implements one of its interfaces, such as our converters. Loaded
 * from the jar and checked by the old verifier on every run, they cost about 60 ms of a
 * {@code --help}; compiled from picocli's own sources (same version, same code) they come from
 * the cache.
 */
final class Jars {
    private Jars() {}

    /** Compiles the sources in picocli's {@code -sources.jar} into {@code classes}; returns it. */
    static Path compilePicocli(Path sourcesJar, Path work) throws IOException {
        var sources = work.resolve("picocli-src");
        var classes = work.resolve("picocli-classes");
        Files.createDirectories(classes);
        var files = new ArrayList<String>();
        try (var zip = new ZipFile(sourcesJar.toFile())) {
            for (var entry : zip.stream().filter(e -> e.getName().endsWith(".java")).toList()) {
                var target = sources.resolve(entry.getName());
                Files.createDirectories(target.getParent());
                try (var in = zip.getInputStream(entry)) {
                    Files.copy(in, target);
                }
                files.add(target.toString());
            }
        }
        var options = new ArrayList<>(List.of("--release", "25", "-proc:none", "-nowarn", "-Xlint:none",
                "-encoding", "UTF-8", "-d", classes.toString()));
        options.addAll(files);
        int status = ToolProvider.getSystemJavaCompiler().run(null, null, System.err, options.toArray(String[]::new));
        if (status != 0) {
            throw new IOException("javac could not compile picocli's sources (" + sourcesJar + ")");
        }
        return classes;
    }

    /**
     * Writes {@code lib/<tool>.jar}: the tool's jar with {@code picocli/} taken from {@code picocli},
     * and the extra entries (its prerendered help).
     */
    static Path repack(Tool tool, Path picocli, Map<String, byte[]> extra, Path lib) throws IOException {
        var target = lib.resolve(tool.name() + ".jar");
        try (var in = new JarFile(tool.jar().toFile());
             var out = new JarOutputStream(Files.newOutputStream(target), in.getManifest())) {
            for (var entry : in.stream().toList()) {
                var name = entry.getName();
                if (name.startsWith("picocli/") || name.equals(JarFile.MANIFEST_NAME) || name.equals("META-INF/")) {
                    continue;
                }
                out.putNextEntry(new ZipEntry(name));
                try (var data = in.getInputStream(entry)) {
                    data.transferTo(out);
                }
                out.closeEntry();
            }
            addTree(picocli, out);
            for (var entry : extra.entrySet()) {
                out.putNextEntry(new ZipEntry(entry.getKey()));
                out.write(entry.getValue());
                out.closeEntry();
            }
        }
        return target;
    }

    /**
     * Copies the tool's JNI library, if it has one ({@code libgopl-TOOL.so} beside its jar, as du's
     * build makes it), beside {@code lib/<tool>.jar}, where the tool looks for it.
     */
    static void copyLibrary(Tool tool, Path lib) throws IOException {
        var library = tool.jar().resolveSibling("libgopl-" + tool.name() + ".so");
        if (Files.isRegularFile(library)) {
            Files.copy(library, lib.resolve(library.getFileName()), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.COPY_ATTRIBUTES);
        }
    }

    private static void addTree(Path dir, JarOutputStream out) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (var file : files.sorted().toList()) {
                var name = dir.relativize(file).toString().replace('\\', '/');
                if (name.isEmpty()) {
                    continue;
                }
                boolean directory = Files.isDirectory(file);
                out.putNextEntry(new ZipEntry(directory ? name + "/" : name));
                if (!directory) {
                    Files.copy(file, out);
                }
                out.closeEntry();
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
