package gopl.du;

import static gopl.common.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import gopl.common.Interrupts;
import gopl.common.testing.ToolProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The real jar, end to end: native access from its manifest, progress, Ctrl-C, another user's view. */
class DuIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;

    /** A tree big enough that walking it takes a while: 20,000 files in 1,000 directories. */
    private static Path big;

    @BeforeAll
    static void bigTree() throws IOException {
        big = Files.createDirectories(dir.resolve("big"));
        var payload = new byte[300];
        for (int d = 0; d < 1000; d++) {
            var sub = Files.createDirectories(big.resolve("d" + d / 40).resolve("e" + d));
            for (int f = 0; f < 20; f++) {
                Files.write(sub.resolve("f" + f), f % 10 == 0 ? payload : new byte[0]);
            }
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            --bogus         | 2 | du: unrecognized option '--bogus' (see du --help)
            --interval=1    | 2 | du: Invalid value for option '--interval': '1' is not a duration (examples: 500ms, 10s, 1m30s, 2h) (see du --help)
            /no/such/root   | 1 | du: cannot access '/no/such/root': No such file or directory
            """)
    void failuresAreOneLine(String arg, int status, String message) {
        var run = ToolProcess.run(TIMEOUT, new byte[0], arg);
        assertThat(run.exitCode()).isEqualTo(status);
        assertThat(run.stderr()).isEqualTo(message + "\n");
    }

    @Test
    void theJarMatchesGnuDuWithoutAWordOnStderr() {
        Gnu.assumeDu();
        for (var options : List.of("-k", "-b", "-a", "-sh", "-d1")) {
            var run = ToolProcess.run(TIMEOUT, new byte[0], options, "-c", big.toString(), dir.toString());
            assertThat(run.stderr()).as("no native-access warning, no fallback notice").isEmpty();
            assertThat(run.stdout()).isEqualTo(Gnu.du(options, "-c", big, dir).stdout());
            assertThat(run.exitCode()).isZero();
        }
        assertThat(ToolProcess.run("--version").stdout()).matches("du \\d+\\.\\d+\\.\\d+.* \\(Java \\d+\\)\n");
    }

    @Test
    void withoutNativeAccessItFallsBackToNioWithANotice() {
        Gnu.assumeDu();
        // -cp instead of -jar: the manifest's Enable-Native-Access no longer applies, and deny refuses FFM.
        var command = List.of(ProcessHandle.current().info().command().orElse("java"), "--illegal-native-access=deny",
                "-cp", ToolProcess.jar().toString(), DuCommand.class.getName(), "-b", "-c", big.toString(), dir.toString());
        var run = Gnu.run(command);
        assertThat(run.stderr()).matches("du: cannot call the C library \\(.*\\); disk usage is estimated from apparent sizes\n");
        assertThat(run.stdout()).isEqualTo(Gnu.du("-b", "-c", big, dir).stdout());
        assertThat(run.exitCode()).isZero();
    }

    /**
     * The jar finds du's JNI library beside it and runs without FFM: no linker, arena, segment or
     * layout is loaded. Copied alone, or beside another library of that name, it falls
     * back to FFM, with the same output and not a word on stderr.
     */
    @Test
    void theJarUsesTheJniLibraryBesideItAndFallsBackToFfmWithoutOne() throws IOException {
        Gnu.assumeDu();
        assertThat(ToolProcess.jar().resolveSibling(JniSyscalls.LIBRARY)).isRegularFile();
        var alone = Files.createDirectories(dir.resolve("alone")).resolve("du.jar");
        Files.copy(ToolProcess.jar(), alone);
        // Beside a real shared library of that name without du's functions: the C math library,
        // which the JVM itself has loaded (a file that is no ELF at all makes the JVM warn).
        var broken = Files.createDirectories(dir.resolve("broken")).resolve("du.jar");
        Files.copy(ToolProcess.jar(), broken);
        var libm = Files.readAllLines(Path.of("/proc/self/maps")).stream().filter(line -> line.contains("/libm."))
                .map(line -> line.substring(line.indexOf('/'))).findFirst().orElseThrow();
        Files.copy(Path.of(libm), broken.resolveSibling(JniSyscalls.LIBRARY));
        var expected = Gnu.du("-a", "-c", big, dir.resolve("alone")).stdout();
        for (var jar : List.of(ToolProcess.jar(), alone, broken)) {
            var classes = dir.resolve("classes-" + jar.getParent().getFileName() + ".log");
            var command = List.of(ProcessHandle.current().info().command().orElse("java"),
                    "-Xlog:class+load=info:file=" + classes, "-jar", jar.toString(), "-a", "-c", big.toString(),
                    dir.resolve("alone").toString());
            var run = Gnu.run(command);
            assertThat(run.stderr()).as(jar.toString()).isEmpty();
            assertThat(run.stdout()).as(jar.toString()).isEqualTo(expected);
            assertThat(run.exitCode()).isZero();
            var loaded = Files.readString(classes);
            if (!jar.equals(ToolProcess.jar())) {
                assertThat(loaded).contains("gopl.du.FfmSyscalls ").contains("java.lang.foreign.Linker ");
            } else {
                // The one java.lang.foreign class a JVM loads without FFM: the JDK's own direct
                // buffers name MemorySegment.Scope (ScopedMemoryAccess) in a bulk copy.
                assertThat(loaded).contains("gopl.du.JniSyscalls ").doesNotContain("gopl.du.FfmSyscalls ");
                assertThat(loaded.lines().filter(line -> line.contains(" java.lang.foreign.")
                        && !line.contains(" java.lang.foreign.MemorySegment$Scope ")).toList()).isEmpty();
            }
        }
    }

    @Test
    void verboseProgressOnAPipeIsPlainLinesEndingWithTheTotals() {
        var run = ToolProcess.run(TIMEOUT, new byte[0], "-v", "--interval", "1ms", "--files", "-s", big.toString());
        assertThat(run.exitCode()).isZero();
        var lines = run.stderr().split("\n");
        assertThat(lines).allMatch(line -> line.matches("du: \\d+\\.\\ds  " + big + " \\S+ in [\\d,]+ files"));
        assertThat(run.stderr()).doesNotContain("\r", "\033");
        assertThat(lines[lines.length - 1]).endsWith(" in 20,000 files");
        assertThat(run.stdout()).matches("\\d+\t20000\t" + big + "\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-a -d2", "-ah --exclude=*f1*", "--inodes -S", "-at 1K --time --time-style=iso"})
    void verboseProgressLeavesTheOutputAsGnuDusWithEveryOption(String options) {
        Gnu.assumeDu();
        var args = new ArrayList<>(List.of(options.split(" ")));
        args.add(big.toString());
        var verbose = new ArrayList<>(List.of("-v", "--interval=1ms"));
        verbose.addAll(args);
        var run = ToolProcess.run(TIMEOUT, new byte[0], verbose.toArray(String[]::new));
        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).isEqualTo(Gnu.du(args.toArray()).stdout());
        assertThat(run.stderr().split("\n")).allMatch(line -> line.startsWith("du: ") && line.contains(" files"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            Asia/Kolkata     | --time --time-style=full-iso -s
            America/St_Johns | --time=ctime --time-style=+%Y-%m-%dT%H:%M:%S%:z_%Z_%::z_%:::z -s
            Europe/Berlin    | -a --time=atime --time-style=long-iso
            UTC              | --time -d1 --time-style=+%c
            America/Sao_Paulo | --time --time-style=+%Z%z_%#Z_%^a -s
            """)
    void timesAreShownInTheZoneOfTz(String zone, String options) {
        Gnu.assumeDu();
        var args = new ArrayList<>(List.of(options.split(" ")));
        args.add(dir.resolve("zoned").toString());
        Gnu.sh(dir, "mkdir -p zoned/sub && touch -d '2021-03-28 01:30:00 UTC' zoned/sub/f zoned/sub zoned");
        Gnu.du("-a", dir.resolve("zoned")); // reading the directories once sets their access times for good
        var env = java.util.Map.of("TZ", zone);
        var ours = Gnu.run(ToolProcess.command(args.toArray(String[]::new)), null, env);
        var gnu = Gnu.run(concat(List.of("du"), args), null, env);
        assertThat(ours.stdout()).isEqualTo(gnu.stdout()).isNotEmpty();
        assertThat(ours.exitCode()).isEqualTo(gnu.exitCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-sc", "-ac", "-d1 -c --exclude=nothing", "--inodes -hc", "-sc -o EXPORT"})
    void ctrlCStopsTheWalkAndPrintsPartialTotals(String options) throws Exception {
        // A walk that cannot end by itself: 3,000 directories it may not read (it runs as an
        // unprivileged user) make 250 KB of warnings, and we read only the first, so du blocks on
        // its full stderr pipe. However fast the machine, Ctrl-C lands mid-walk.
        var stuck = dir.resolve("stuck");
        if (!Files.exists(stuck)) {
            Files.createDirectories(stuck);
            for (int i = 0; i < 3000; i++) {
                Files.setPosixFilePermissions(Files.createDirectory(stuck.resolve("locked-" + i)), Set.of());
            }
        }
        Gnu.sh(dir, "chmod 755 . && mkdir -p exports && chmod 777 exports"); // nobody writes the export
        var export = dir.resolve("exports/cut-short.json");
        var args = new ArrayList<>(List.of(options.replace("EXPORT", export.toString()).split(" ")));
        args.add(stuck.toString());
        var du = new ProcessBuilder(concat(asUnprivilegedUser(), ToolProcess.command(args.toArray(String[]::new))))
                .start();
        try {
            // Read all along: lines of directories walked after the signal must not fill the pipe.
            var stdout = CompletableFuture.supplyAsync(() -> readAll(du.getInputStream()));
            var stderr = new BufferedReader(new InputStreamReader(du.getErrorStream()));
            assertThat(stderr.readLine()).startsWith("du: cannot read directory"); // the walk has begun
            Gnu.run(List.of("kill", "-INT", Long.toString(du.pid())));
            // Stderr stays unread until du has taken the signal: on a loaded machine the JVM may
            // take a while to run its hook, and du must not walk to the end meanwhile.
            eventually(TIMEOUT, "du's signal hook has interrupted the walk",
                    () -> !du.isAlive() || signalHookWaits(du.pid()));
            var unread = CompletableFuture.supplyAsync(() -> stderr.lines().toList()); // ends when du does
            if (!du.waitFor(Interrupts.GRACE.toSeconds() / 2, TimeUnit.SECONDS)) {
                // Stuck (once in a loaded run: the JVM halted at the end of the grace, nothing
                // printed): a thread dump on stdout, to fail with, shows where.
                Gnu.run(List.of("kill", "-QUIT", Long.toString(du.pid())));
            }
            assertThat(du.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            var output = stdout.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            var rest = unread.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(du.exitValue()).as("stderr: %s", rest).isEqualTo(130);
            assertThat(output).as("stdout").doesNotContain("Full thread dump").contains("total\t(partial)");
            var lines = output.lines().toList();
            assertThat(lines.subList(0, lines.size() - 2)).as("the lines of directories done before")
                    .allMatch(line -> line.matches("\\S+\t" + stuck + "/locked-\\d+"));
            assertThat(lines.subList(lines.size() - 2, lines.size())).satisfiesExactly(
                    line -> assertThat(line).matches("\\S+\t" + stuck + "\t\\(partial\\)"),
                    line -> assertThat(line).matches("\\S+\ttotal\t\\(partial\\)"));
            assertThat(rest).contains("du: interrupted: the totals marked (partial) are incomplete");
            assertThat(rest.size()).as("warnings printed").isLessThan(2999);
            if (options.contains("EXPORT")) { // cut short, the export is still one ncdu reads
                Gnu.assume("ncdu", "ncdu");
                var ncdu = Gnu.run(List.of("ncdu", "-f", export.toString(), "-o", "-"));
                // ncdu exits 0 even on a file it cannot read, but says why on stderr (an empty file
                // once: the JVM halted, on the signal, before du had closed the export)
                assertThat(ncdu.stderr()).as("ncdu -f").isEmpty();
                assertThat(ncdu.exitCode()).isZero();
                assertThat(ncdu.stdout()).startsWith("[1,2,").contains("\"name\":\"" + stuck + "\"");
            }
        } finally {
            du.destroyForcibly();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"-s", "-ac"})
    void ctrlCStopsAnImportAndPrintsPartialTotals(String options) throws Exception {
        // An import that cannot end by itself: the export comes on du's stdin, which stays open.
        // Once du has taken 2 MB of it (more than a pipe holds), Ctrl-C lands mid-import.
        var args = new ArrayList<>(List.of(options.split(" ")));
        args.add("--import=-");
        var du = new ProcessBuilder(ToolProcess.command(args.toArray(String[]::new))).start();
        try (var stdin = du.getOutputStream()) {
            var stdout = CompletableFuture.supplyAsync(() -> readAll(du.getInputStream()));
            var stderr = CompletableFuture.supplyAsync(() -> readAll(du.getErrorStream()));
            var export = new StringBuilder("[1,2,{\"progname\":\"test\"},\n[{\"name\":\"/imported/top\"}");
            for (int i = 0; i < 50_000; i++) {
                export.append(",\n{\"name\":\"f").append(i).append("\",\"asize\":100,\"dsize\":4096}");
            }
            stdin.write(export.toString().getBytes());
            stdin.flush(); // returns once du has read all but what the pipe holds
            Gnu.run(List.of("kill", "-INT", Long.toString(du.pid())));
            assertThat(du.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            var output = stdout.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).lines().toList();
            assertThat(stderr.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                    .isEqualTo("du: interrupted: the totals marked (partial) are incomplete\n");
            assertThat(du.exitValue()).isEqualTo(130);
            assertThat(output).as("stdout").isNotEmpty();
            var partial = output.get(options.contains("c") ? output.size() - 2 : output.size() - 1);
            assertThat(partial).matches("[1-9]\\d*\t/imported/top\t\\(partial\\)");
            if (options.contains("c")) { // every file counted has its line, and nothing else is counted yet
                var files = output.subList(0, output.size() - 2);
                assertThat(files).isNotEmpty().allMatch(line -> line.matches("4\t/imported/top/f\\d+"))
                        .hasSizeLessThanOrEqualTo(50_000);
                assertThat(partial).startsWith(4 * files.size() + "\t");
                assertThat(output.getLast()).isEqualTo(4 * files.size() + "\ttotal\t(partial)");
            }
        } finally {
            du.destroyForcibly();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"-c", "-s"})
    void ctrlCWhileWaitingForTheNextNameStopsAtOnce(String options) throws Exception {
        // --files0-from=- from a pipe that stays open: du walks the names it has, then waits for
        // more, and Ctrl-C lands in that read, between roots (none of them partial).
        var roots = Files.createDirectories(dir.resolve("roots"));
        var names = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            names.append(Files.writeString(roots.resolve("r" + i), "x".repeat(5000))).append('\0');
        }
        var du = new ProcessBuilder(ToolProcess.command(options, "--files0-from=-")).start();
        try (var stdin = du.getOutputStream()) {
            var stdout = CompletableFuture.supplyAsync(() -> readAll(du.getInputStream()));
            var stderr = CompletableFuture.supplyAsync(() -> readAll(du.getErrorStream()));
            stdin.write(names.toString().getBytes());
            stdin.flush();
            eventually(TIMEOUT, "du waits in a read of stdin", () -> readsStdin(du.pid()));
            Gnu.run(List.of("kill", "-INT", Long.toString(du.pid())));
            assertThat(du.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            var output = stdout.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).lines().toList();
            var rest = stderr.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(du.exitValue()).as("stderr: %s", rest).isEqualTo(130);
            assertThat(output.isEmpty()).as("stdout empty").isEqualTo(!options.contains("c"));
            var walked = options.contains("c") ? output.subList(0, output.size() - 1) : output;
            assertThat(walked).as("the roots walked before").allMatch(line -> line.matches("\\d+\t" + roots + "/r\\d"));
            if (options.contains("c")) {
                long sum = walked.stream().mapToLong(line -> Long.parseLong(line.split("\t")[0])).sum();
                assertThat(output.getLast()).isEqualTo(sum + "\ttotal\t(partial)");
                assertThat(rest).isEqualTo("du: interrupted: the totals marked (partial) are incomplete\n");
            } else {
                assertThat(rest).isEqualTo("du: interrupted\n"); // nothing is marked partial
            }
        } finally {
            du.destroyForcibly();
        }
    }

    /**
     * The hostile tree root cannot build in process: directories another user may not read
     * (000), may list but not enter (r--: every entry fails to stat), or may enter but not list
     * (--x), beside readable files and hard links to them. du runs as that user.
     */
    @ParameterizedTest(name = "du {0} on unreadable directories")
    @ValueSource(strings = {"-k", "-a", "-s", "-d1", "-S", "-c", "-sc", "-ac --exclude=inside", "-t 4K", "-ah",
            "--si", "-ab", "--inodes -a", "--time", "-a --time=ctime", "-L", "-aL", "-H", "-l", "-la", "-0", "-x",
            "-aSct 2K", "-d2 --apparent-size -BM"})
    void unreadableDirectoriesAreWarnedAboutAsGnuDuDoes(String options) throws Exception {
        assertUnreadableAsGnuDu(List.of(), options);
    }

    /** The same messages (EACCES) when the system calls go through FFM instead of du's JNI library. */
    @ParameterizedTest(name = "du {0} on unreadable directories, through FFM")
    @ValueSource(strings = {"-a", "-x", "-aL", "-la", "-a --time"})
    void unreadableDirectoriesAreWarnedAboutAlikeThroughFfm(String options) throws Exception {
        assertUnreadableAsGnuDu(List.of("-D" + Syscalls.PROPERTY + "=ffm"), options);
    }

    private static void assertUnreadableAsGnuDu(List<String> jvmOptions, String options) throws Exception {
        Gnu.assumeDu();
        var locks = dir.resolve("locks");
        if (!Files.exists(locks)) {
            Gnu.sh(dir, """
                    mkdir -p locks/locked/inside locks/listonly/sub locks/searchonly locks/open/deeper
                    head -c 20000 /dev/zero > locks/locked/inside/secret
                    head -c 3000 /dev/zero > locks/open/file; ln locks/open/file locks/open/deeper/link
                    ln -s ../locked locks/open/to-locked
                    head -c 9000 /dev/zero > locks/listonly/f; ln locks/open/file locks/listonly/link
                    head -c 5000 /dev/zero > locks/searchonly/g
                    chmod 755 . && chmod 000 locks/locked && chmod 444 locks/listonly && chmod 111 locks/searchonly
                    """);
        }
        var args = new ArrayList<>(List.of(options.split(" ")));
        args.add(locks.toString());
        var asUser = asUnprivilegedUser();
        var gnu = Gnu.run(concat(asUser, concat(List.of("du"), args)));
        var ours = Gnu.run(concat(asUser, ToolProcess.command(jvmOptions, args.toArray(String[]::new))));
        assertThat(gnu.stderr()).contains("cannot read directory");
        assertThat(ours.stdout()).isEqualTo(gnu.stdout()).isNotEmpty();
        assertThat(ours.stderr()).isEqualTo(gnu.stderr());
        assertThat(ours.exitCode()).isEqualTo(gnu.exitCode()).isEqualTo(1);
    }

    @AfterAll
    static void unlock() {
        if (Files.exists(dir.resolve("locks"))) { // for the temporary directory's clean-up
            Gnu.sh(dir, "chmod -R u+rwx locks");
        }
    }

    /**
     * Whether the JVM of a process runs common's Interrupts hook (its thread is named "interrupt")
     * and that thread now sleeps: it waits for du's report, so it has interrupted the walk.
     */
    private static boolean signalHookWaits(long pid) {
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            return tasks.anyMatch(task -> {
                try {
                    var stat = Files.readString(task.resolve("stat"));
                    return Files.readString(task.resolve("comm")).equals("interrupt\n")
                            && stat.charAt(stat.lastIndexOf(')') + 2) == 'S';
                } catch (IOException e) {
                    return false; // that thread has ended
                }
            });
        } catch (IOException | UncheckedIOException e) {
            return false; // the process has ended: du.isAlive() tells
        }
    }

    /** Whether a thread of the process is blocked in read(2) on its stdin (Linux, x86-64 or arm64). */
    private static boolean readsStdin(long pid) {
        var read = System.getProperty("os.arch").equals("aarch64") ? "63" : "0";
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            return tasks.anyMatch(task -> {
                try {
                    return Files.readString(task.resolve("syscall")).startsWith(read + " 0x0 ");
                } catch (IOException e) {
                    return false; // that thread has ended
                }
            });
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    private static String readAll(InputStream in) {
        try {
            return new String(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Nothing if we are not root; else setpriv to nobody, since root may read any directory. */
    private static List<String> asUnprivilegedUser() throws IOException {
        if ((Integer) Files.getAttribute(dir, "unix:uid") != 0) {
            return List.of();
        }
        var setpriv = Gnu.run(List.of("sh", "-c", "command -v setpriv"));
        assumeTrue(setpriv.exitCode() == 0, "running as root and no setpriv (util-linux) to drop privileges");
        return List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups");
    }

    private static List<String> concat(List<String> a, List<String> b) {
        var all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
