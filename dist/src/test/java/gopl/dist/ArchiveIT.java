package gopl.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The release archive as a user gets it: unpacked into a temp dir and run with a PATH that has
 * no {@code java} and no JAVA_HOME, so only the runtime inside the archive can run the tools.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ArchiveIT {
    /** What the launchers and install.sh call; PATH holds links to these and nothing else. */
    private static final List<String> COMMANDS = List.of("bash", "env", "readlink", "dirname", "mkdir", "cp", "ln",
            "rm", "cat", "printf", "stat");

    @TempDir
    static Path temp;
    static Path home;
    static Map<String, String> env;

    @BeforeAll
    static void unpack() throws Exception {
        var archive = Path.of(System.getProperty("archive.file"));
        var tar = new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", temp.toString()).inheritIO().start();
        assertThat(tar.waitFor()).isZero();
        home = temp.resolve(System.getProperty("archive.name"));
        var bin = Files.createDirectories(temp.resolve("path"));
        for (var command : COMMANDS) {
            Files.createSymbolicLink(bin.resolve(command), which(command));
        }
        env = new HashMap<>();
        env.put("PATH", bin.toString());
        env.put("HOME", temp.resolve("home").toString());
        env.put("LANG", "C.UTF-8");
    }

    /** JUnit warns of links to outside its temp dir when it deletes them: they go first, quietly. */
    @AfterAll
    static void removeLinks() throws IOException {
        for (var command : COMMANDS) {
            Files.deleteIfExists(temp.resolve("path").resolve(command));
        }
    }

    @Test
    void pathHasNoJava() throws Exception {
        var run = run(List.of("bash", "-c", "command -v java || echo none"), env);
        assertThat(run.stdout().strip()).isEqualTo("none");
    }

    @Test
    void theArchiveHoldsAJarARuntimeAndDocsForEveryLauncher() throws Exception {
        assertThat(home.resolve("LICENSE")).content().contains("MIT License").contains("picocli 4.")
                .contains("jsoup").contains("SLF4J");
        assertThat(home.resolve("INSTALL")).content().contains("install.sh --uninstall");
        assertThat(home.resolve("install.sh")).isExecutable();
        assertThat(home.resolve("runtime/bin/java")).isExecutable();
        assertThat(home.resolve("runtime/bin/javac")).as("a runtime, not a JDK").doesNotExist();
        assertThat(launchers()).hasSize(11);
        for (var launcher : launchers()) {
            var name = launcher.getFileName().toString();
            var tool = name.substring("gopl-".length());
            assertThat(home.resolve("lib/" + tool + ".jar")).isRegularFile();
            assertThat(home.resolve("lib/aot/" + tool + ".aot")).isRegularFile();
            assertThat(home.resolve("share/man/man1/" + name + ".1")).isRegularFile();
            assertThat(home.resolve("share/bash-completion/completions/" + name)).isRegularFile();
            assertThat(home.resolve("share/zsh/site-functions/_" + name)).isRegularFile();
        }
    }

    @Test
    void everyToolPrintsItsHelp() throws Exception {
        for (var launcher : launchers()) {
            var name = launcher.getFileName().toString();
            var run = run(List.of(launcher.toString(), "--help"), env);
            assertThat(run.exitCode()).as(name).isZero();
            assertThat(run.stdout()).as(name).startsWith("Usage: ");
            assertThat(run.stderr()).as(name).isEmpty();
        }
    }

    /** picocli takes --flag=true for a boolean whose arity it derived; the prebuilt model must too. */
    @Test
    void aBooleanOptionTakesAnAttachedValueAsPicocliDoes() throws Exception {
        try (var server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            var netcat = home.resolve("bin/gopl-netcat").toString();
            var port = Integer.toString(server.getLocalPort());
            var reflective = new HashMap<>(env);
            reflective.put("GOPL_JAVA_OPTS", "-D" + gopl.common.PrebuiltModel.SWITCH + "=false");
            for (var environment : List.of(env, reflective)) {
                var run = run(List.of(netcat, "--zero-io=true", "127.0.0.1", port), environment);
                assertThat(run.stderr()).isEmpty();
                assertThat(run.exitCode()).isZero();
            }
        }
    }

    /**
     * Line for line, in any order: picocli lists options declared as methods (LogOptions' -q, -v) in
     * the order reflection gives, which the JVM does not fix, so two live runs may differ there too.
     */
    @Test
    void thePrerenderedHelpIsWhatPicocliPrints() throws Exception {
        var live = new HashMap<>(env);
        live.put("GOPL_JAVA_OPTS", "-D" + gopl.common.PrerenderedHelp.SWITCH + "=false -D"
                + gopl.common.PrebuiltModel.SWITCH + "=false");
        for (var launcher : launchers()) {
            var fast = run(List.of(launcher.toString(), "--help"), env);
            var rendered = run(List.of(launcher.toString(), "--help"), live);
            assertThat(fast.stdout()).as(launcher.toString()).isNotEmpty();
            assertThat(fast.stdout().lines().sorted().toList()).as(launcher.toString())
                    .isEqualTo(rendered.stdout().lines().sorted().toList());
        }
    }

    @Test
    void everyToolDoesItsJob() throws Exception {
        try (var fixtures = new Fixtures()) {
            var jobs = new Jobs(fixtures, temp.resolve("jobs"));
            for (var launcher : launchers()) {
                var tool = launcher.getFileName().toString().substring("gopl-".length());
                assertThat(Jobs.has(tool)).as("a job for " + tool + " in Jobs").isTrue();
                assertThat(jobs.run(tool, launcher, env)).as(tool).isNotEmpty();
            }
        }
    }

    @Test
    void everyToolStartsFromItsAotCache() throws Exception {
        var logged = new HashMap<>(env);
        logged.put("GOPL_JAVA_OPTS", "-Xlog:aot");
        for (var launcher : launchers()) {
            var run = run(List.of(launcher.toString(), "--version"), logged);
            // mandelbrot's --add-modules keeps the module graph out of the cache, so its classes
            // come from the cache without being linked ahead; every other tool's are linked too.
            assertThat(run.stdout()).as(launcher.toString()).contains("Opened AOT cache").doesNotContain("[error]")
                    .contains(launcher.endsWith("gopl-mandelbrot") ? "Using AOT-linked classes: false"
                            : "Using AOT-linked classes: true");
        }
    }

    /**
     * du's JNI library ships beside its jar, and gopl-du's walk goes through it: the JVM's library
     * log shows it loaded from the archive's lib/ and the system call function found in it.
     */
    @Test
    void duMakesItsSystemCallsThroughItsJniLibrary() throws Exception {
        assertThat(home.resolve("lib/libgopl-du.so")).isRegularFile();
        var tree = Files.createDirectories(temp.resolve("du-tree"));
        Files.writeString(tree.resolve("file"), "hello\n");
        var logged = new HashMap<>(env);
        logged.put("GOPL_JAVA_OPTS", "-Xlog:library=info");
        var run = run(List.of(home.resolve("bin/gopl-du").toString(), "-s", tree.toString()), logged);
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stderr()).isEmpty();
        // This archive's own library: the AOT cache keeps the class path of the build's training
        // run, and a code source read from it named the build directory's copy instead.
        assertThat(run.stdout()).contains("Loaded library " + home.toRealPath().resolve("lib/libgopl-du.so") + ",")
                .contains("Found Java_gopl_du_JniSyscalls_call in library")
                .contains("\t" + tree + "\n"); // the JVM may log more after du's line
    }

    @Test
    void aStaleOrBrokenCacheIsIgnoredInSilence() throws Exception {
        var aot = home.resolve("lib/aot");
        var saved = Files.readAllBytes(aot.resolve("du.aot"));
        try {
            Files.copy(aot.resolve("clock.aot"), aot.resolve("du.aot"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            var mismatched = run(List.of(home.resolve("bin/gopl-du").toString(), "--version"), env);
            Files.writeString(aot.resolve("du.aot"), "not a cache");
            var broken = run(List.of(home.resolve("bin/gopl-du").toString(), "--version"), env);
            for (var run : List.of(mismatched, broken)) {
                assertThat(run.exitCode()).isZero();
                assertThat(run.stdout()).startsWith("gopl-du ");
                assertThat(run.stderr()).isEmpty();
            }
        } finally {
            Files.write(aot.resolve("du.aot"), saved);
        }
    }

    @Test
    void installsIntoAPrefixAndUninstallsEverything() throws Exception {
        var prefix = temp.resolve("prefix with space");
        var install = run(List.of(home.resolve("install.sh").toString(), "--prefix", prefix.toString()), env);
        assertThat(install.exitCode()).as(install.stderr()).isZero();
        var logged = new HashMap<>(env);
        logged.put("GOPL_JAVA_OPTS", "-Xlog:aot");
        var du = run(List.of(prefix.resolve("bin/gopl-du").toString(), "--version"), logged);
        assertThat(du.exitCode()).isZero();
        assertThat(du.stdout()).contains("Using AOT-linked classes: true").contains("gopl-du ");
        assertThat(prefix.resolve("share/man/man1/gopl-du.1")).isRegularFile();
        assertThat(prefix.resolve("share/bash-completion/completions/gopl-du")).isRegularFile();
        assertThat(prefix.resolve("share/zsh/site-functions/_gopl-du")).isRegularFile();

        var uninstall = run(List.of(home.resolve("install.sh").toString(), "--uninstall", "--prefix", prefix.toString()), env);
        assertThat(uninstall.exitCode()).as(uninstall.stderr()).isZero();
        try (Stream<Path> left = Files.walk(prefix)) {
            assertThat(left.filter(Files::isRegularFile).map(Path::toString).toList()).isEmpty();
        }
        try (Stream<Path> left = Files.walk(prefix)) {
            assertThat(left.filter(Files::isSymbolicLink).map(Path::toString).toList()).isEmpty();
        }
    }

    @Test
    void installsIntoHomeDotLocalByDefault() throws Exception {
        var install = run(List.of(home.resolve("install.sh").toString()), env);
        assertThat(install.exitCode()).as(install.stderr()).isZero();
        var local = Path.of(env.get("HOME"), ".local");
        var du = run(List.of(local.resolve("bin/gopl-du").toString(), "--version"), env);
        assertThat(du.stdout()).startsWith("gopl-du ");
        assertThat(local.resolve("share/man/man1/gopl-du.1")).isRegularFile();

        var uninstall = run(List.of(home.resolve("install.sh").toString(), "--uninstall"), env);
        assertThat(uninstall.exitCode()).as(uninstall.stderr()).isZero();
        assertThat(local.resolve("bin/gopl-du")).doesNotExist();
        assertThat(local.resolve("lib/gopl-tools")).doesNotExist();
    }

    @Test
    void manPagesRenderWithoutWarningsAndShowTheReadmesExamples() throws Exception {
        assumeTrue(which("man") != null, "man is not installed (apt-get install man-db)");
        try (Stream<Path> pages = Files.list(home.resolve("share/man/man1"))) {
            for (var page : pages.sorted().toList()) {
                var manEnv = new HashMap<>(System.getenv());
                manEnv.put("MANWIDTH", "80");
                var run = run(List.of("man", "--warnings", "-l", page.toString()), manEnv);
                assertThat(run.exitCode()).as(page.toString()).isZero();
                assertThat(run.stderr()).as(page.toString()).isEmpty();
                assertThat(run.stdout()).as(page.toString()).contains("SYNOPSIS", "OPTIONS", "EXAMPLES");
            }
        }
        var du = run(List.of("man", "-l", home.resolve("share/man/man1/gopl-du.1").toString()), System.getenv());
        assertThat(du.stdout()).contains("--apparent-size").contains("gopl-du -v -h ~/src /var/log");
        var netcat = run(List.of("man", "-l", home.resolve("share/man/man1/gopl-netcat.1").toString()), System.getenv());
        assertThat(netcat.stdout()).as("a custom synopsis, as written").contains("[PORT...]");
    }

    @Test
    void bashCompletesAnOptionFromItsPrefix() throws Exception {
        var script = home.resolve("share/bash-completion/completions/gopl-du");
        var run = run(List.of("bash", "-c", "source \"$1\"; COMP_WORDS=(gopl-du --ap); COMP_CWORD=1; COMP_LINE='gopl-du --ap';"
                + " COMP_POINT=${#COMP_LINE}; _complete_gopl-du; printf '%s\\n' \"${COMPREPLY[@]}\"", "bash", script.toString()), env);
        assertThat(run.stdout().lines()).containsExactly("--apparent-size");
    }

    @Test
    void zshLoadsTheCompletionFunction() throws Exception {
        assumeTrue(which("zsh") != null, "zsh is not installed (apt-get install zsh)");
        var functions = home.resolve("share/zsh/site-functions");
        var run = run(List.of("zsh", "-f", "-c", "fpath=(\"$1\" $fpath); autoload -U compinit && compinit -u"
                + " && autoload -U +X _gopl-du && whence -w _gopl-du && print -r -- ${_comps[gopl-du]}", "zsh", functions.toString()), env);
        assertThat(run.stdout()).contains("_gopl-du: function").contains("_gopl-du");
        assertThat(run.stderr()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"rsa:2048", "ec"})
    void theRuntimeDoesTlsHandshakes(String key) throws Exception {
        assumeTrue(which("openssl") != null, "openssl is not installed");
        var dir = Files.createTempDirectory(temp, "tls");
        var keyArgs = key.equals("ec") ? List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256") : List.of("-newkey", key);
        var req = new ArrayList<>(List.of("openssl", "req", "-x509", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString()));
        req.addAll(keyArgs);
        assertThat(run(req, System.getenv()).exitCode()).isZero();
        int port = Fixtures.freePort();
        var server = new ProcessBuilder("openssl", "s_server", "-quiet", "-accept", "127.0.0.1:" + port, "-www",
                "-key", dir.resolve("key.pem").toString(), "-cert", dir.resolve("cert.pem").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile()).start();
        try {
            awaitListening(port, server);
            var java = home.resolve("runtime/bin/java").toString();
            var classes = Path.of(TlsProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
            for (var protocol : List.of("TLSv1.3", "TLSv1.2")) {
                var probe = run(List.of(java, "-cp", classes, TlsProbe.class.getName(), Integer.toString(port), protocol), env);
                assertThat(probe.exitCode()).as(probe.stderr()).isZero();
                assertThat(probe.stdout()).startsWith(protocol + " ").contains(key.equals("ec") ? " EC" : " RSA");
            }
        } finally {
            server.destroy();
            server.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static List<Path> launchers() throws IOException {
        try (Stream<Path> files = Files.list(home.resolve("bin"))) {
            var all = files.sorted().toList();
            assertThat(all).isNotEmpty();
            return all;
        }
    }

    private static Run run(List<String> command, Map<String, String> environment) throws Exception {
        var run = Run.start(command, environment, temp.resolve("work"), "");
        run.finish(300);
        return run;
    }

    /** Polls the port until the server listens: the condition itself, bounded, given up if the server exits. */
    private static void awaitListening(int port, Process server) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (var socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (ConnectException e) {
                assertThat(server.isAlive()).as("openssl s_server is running").isTrue();
                assertThat(System.nanoTime()).as("openssl s_server listens within 60 s").isLessThan(deadline);
                Thread.sleep(20);
            }
        }
    }

    private static Path which(String command) {
        for (var dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            var file = Path.of(dir, command);
            if (Files.isExecutable(file)) {
                return file;
            }
        }
        return null;
    }
}
