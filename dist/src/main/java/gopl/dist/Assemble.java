package gopl.dist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.stream.Stream;

/**
 * Builds the release archive, run by Maven in the dist module's package phase:
 * {@code Assemble ROOT VERSION STAGE ARCHIVE}. STAGE becomes the unpacked archive, ARCHIVE its
 * {@code .tar.gz}:
 * <pre>
 * gopl-tools-VERSION-linux-x64/
 *   bin/gopl-TOOL               launchers
 *   lib/TOOL.jar, lib/aot/TOOL.aot, lib/libgopl-du.so   (du's JNI library)
 *   runtime/                    jlink'd Java runtime
 *   share/man/man1/gopl-TOOL.1, share/bash-completion/completions/gopl-TOOL, share/zsh/site-functions/_gopl-TOOL
 *   install.sh  LICENSE  INSTALL  README.md
 * </pre>
 */
public final class Assemble {
    private Assemble() {}

    public static void main(String[] args) throws Exception {
        var root = Path.of(args[0]).toRealPath();
        var version = args[1];
        var stage = Path.of(args[2]);
        var archive = Path.of(args[3]);
        var tools = Tool.find(root);
        if (tools.isEmpty()) {
            throw new IllegalStateException("no tool jars under " + root + "; build the tool modules first");
        }
        deleteTree(stage);
        Files.createDirectories(stage);
        var packageDir = root.resolve("dist/src/package");
        var work = stage.resolveSibling("work");
        deleteTree(work);
        Files.createDirectories(work);

        var jars = timed("jars", () -> jars(tools, root, work, stage));
        step("runtime", () -> RuntimeImage.link(RuntimeImage.modules(jars), stage.resolve("runtime")));
        var launchers = new Launchers(packageDir, version);
        for (var tool : tools) {
            launchers.write(tool, Files.createDirectories(stage.resolve("bin")));
        }
        step("docs", () -> docs(tools, root, stage));
        copy(packageDir.resolve("install.sh"), stage.resolve("install.sh"), "rwxr-xr-x");
        copy(root.resolve("bin/lib/incubator-notice.sh"), stage.resolve("lib/incubator-notice.sh"), "rw-r--r--");
        copy(packageDir.resolve("INSTALL"), stage.resolve("INSTALL"), "rw-r--r--");
        Files.writeString(stage.resolve("LICENSE"), Files.readString(root.resolve("LICENSE")) + "\n"
                + Files.readString(packageDir.resolve("THIRD-PARTY")));
        copy(root.resolve("README.md"), stage.resolve("README.md"), "rw-r--r--");
        step("aot caches", () -> train(tools, stage, work));
        step("archive", () -> tar(stage, archive));
        System.out.printf("dist: %s (%,d bytes)%n", archive, Files.size(archive));
    }

    private static List<Path> jars(List<Tool> tools, Path root, Path work, Path stage) throws Exception {
        var picocli = Jars.compilePicocli(root.resolve("dist/target/picocli-sources.jar"), work);
        var lib = Files.createDirectories(stage.resolve("lib"));
        var jars = new ArrayList<Path>();
        for (var tool : tools) {
            var extra = Docs.prerenderedHelp(tool);
            var model = Models.prebuilt(tool);
            if (model != null) {
                extra.put(Models.entryName(tool), model);
            } else {
                System.out.println("dist: " + tool.name() + " keeps picocli's reflection (its model cannot be prebuilt)");
            }
            jars.add(Jars.repack(tool, picocli, extra, lib));
            Jars.copyLibrary(tool, lib);
        }
        return jars;
    }

    private static void docs(List<Tool> tools, Path root, Path stage) throws Exception {
        var share = stage.resolve("share");
        try (var docs = new Docs(Files.readString(root.resolve("README.md")))) {
            for (var tool : tools) {
                var line = Docs.commandLine(tool);
                var bash = Docs.bashCompletion(tool, line);
                Docs.write(share.resolve("bash-completion/completions").resolve(tool.command()), bash);
                Docs.write(share.resolve("zsh/site-functions").resolve("_" + tool.command()), Docs.zshCompletion(tool, bash));
                Docs.write(share.resolve("man/man1").resolve(tool.command() + ".1"), docs.manPage(tool, line));
            }
        }
    }

    /** Each tool's job through its own launcher, with the launcher asked to record a cache. */
    private static void train(List<Tool> tools, Path stage, Path work) throws Exception {
        var env = new HashMap<>(System.getenv());
        env.put("GOPL_AOT_TRAINING", "1");
        env.remove("JAVA_TOOL_OPTIONS");
        env.remove("JDK_JAVA_OPTIONS");
        Files.createDirectories(stage.resolve("lib/aot"));
        try (var fixtures = new Fixtures()) {
            var jobs = new Jobs(fixtures, work.resolve("training"));
            for (var tool : tools) {
                jobs.train(tool.name(), stage.resolve("bin").resolve(tool.command()), env);
                if (!Files.isRegularFile(stage.resolve("lib/aot").resolve(tool.name() + ".aot"))) {
                    throw new IllegalStateException(tool.name() + ": the training run wrote no AOT cache");
                }
            }
        }
    }

    /** GNU tar keeps the modes, the launchers' exec bits included, and the runtime's symlinks. */
    private static void tar(Path stage, Path archive) throws IOException, InterruptedException {
        Files.deleteIfExists(archive);
        var tar = new ProcessBuilder("tar", "-C", stage.getParent().toString(), "--owner=0", "--group=0",
                "--numeric-owner", "-czf", archive.toString(), stage.getFileName().toString()).inheritIO().start();
        if (tar.waitFor() != 0) {
            throw new IOException("tar failed to write " + archive);
        }
    }

    private interface Step<T> {
        T run() throws Exception;
    }

    private interface VoidStep {
        void run() throws Exception;
    }

    private static <T> T timed(String name, Step<T> step) throws Exception {
        long start = System.nanoTime();
        var result = step.run();
        System.out.printf("dist: %s in %.1f s%n", name, (System.nanoTime() - start) / 1e9);
        return result;
    }

    private static void step(String name, VoidStep step) throws Exception {
        timed(name, () -> {
            step.run();
            return null;
        });
    }

    private static void copy(Path from, Path to, String mode) throws IOException {
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(to, PosixFilePermissions.fromString(mode));
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (var file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
