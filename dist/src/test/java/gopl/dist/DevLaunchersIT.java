package gopl.dist;

import static org.assertj.core.api.Assertions.assertThat;

import gopl.common.testing.Eventually;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checkout's own launchers (bin/TOOL, bin/lib/launch.sh), run from a copy of the checkout whose
 * path has a space in it. Maven is replaced by a stand-in bin/build that logs each build, notes a
 * build that overlaps another, and "builds" a module by copying the jar the reactor made: what is
 * under test is the launcher's choice of when to build, not Maven.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DevLaunchersIT {
    private static final Path CHECKOUT = Path.of(System.getProperty("checkout.dir")).toAbsolutePath().normalize();
    private static final List<String> MODULES = List.of("common", "clock", "crawler", "mirror");
    private static final String FAKE_BUILD = """
            #!/usr/bin/env bash
            # Stands in for Maven in DevLaunchersIT: logs, notes an overlap, copies the real jar.
            set -euo pipefail
            root=$(cd "$(dirname "$0")/.." && pwd)
            mkdir -p "$root/target"
            echo "$*" >> "$root/target/builds.log"
            mkdir "$root/target/building" 2>/dev/null || echo "overlapping build" >> "$root/target/builds.log"
            # The test holds the build here (a bounded poll) while it starts a second launcher.
            for _ in $(seq 1200); do [ -e "$root/target/hold" ] || break; sleep 0.05; done
            module=""
            while [ $# -gt 0 ]; do [ "$1" = -pl ] && module=$2; shift; done
            mkdir -p "$root/$module/target"
            cp "$GOPL_REAL_CHECKOUT/$module/target/$module.jar" "$root/$module/target/$module.jar"
            rmdir "$root/target/building"
            """;

    @TempDir
    Path temp;
    Path root;
    Map<String, String> env;

    @BeforeEach
    void copyTheCheckout() throws IOException {
        root = Files.createDirectories(temp.resolve("check out"));
        Files.createDirectories(root.resolve("bin/lib"));
        try (var libs = Files.list(CHECKOUT.resolve("bin/lib"))) {
            for (var lib : libs.toList()) {
                Files.copy(lib, root.resolve("bin/lib").resolve(lib.getFileName()));
            }
        }
        for (var tool : List.of("clock", "mirror")) {
            Files.copy(CHECKOUT.resolve("bin").resolve(tool), root.resolve("bin").resolve(tool));
        }
        Files.writeString(root.resolve("bin/build"), FAKE_BUILD);
        root.resolve("bin/build").toFile().setExecutable(true);
        Files.copy(CHECKOUT.resolve("pom.xml"), root.resolve("pom.xml"));
        for (var module : MODULES) {
            var sources = Files.createDirectories(root.resolve(module).resolve("src/main/java"));
            Files.copy(CHECKOUT.resolve(module).resolve("pom.xml"), root.resolve(module).resolve("pom.xml"));
            Files.writeString(sources.resolve("Source.java"), "class Source {}\n");
        }
        // Everything as if checked out an hour ago, so a jar built now is newer than all of it.
        try (var files = Files.walk(root)) {
            for (var file : files.toList()) {
                Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(3600)));
            }
        }
        env = new HashMap<>(System.getenv());
        env.put("GOPL_REAL_CHECKOUT", CHECKOUT.toString());
    }

    @Test
    void theFirstLaunchBuildsAndLaterOnesRunTheJarFromAPathWithASpace() throws Exception {
        var first = launch("clock", "--version");
        var second = launch("clock", "--version");

        for (var run : List.of(first, second)) {
            assertThat(run.exitCode()).as(run.stderr()).isZero();
            assertThat(run.stdout()).startsWith("clock ");
        }
        assertThat(first.stderr()).contains("clock: building clock/target/clock.jar");
        assertThat(second.stderr()).isEmpty();
        assertThat(builds()).containsExactly("-q -pl clock -am package -DskipTests");
    }

    @Test
    void aChangeInAModuleTheToolDependsOnRebuildsIt() throws Exception {
        assertThat(launch("mirror", "--version").exitCode()).isZero();
        touch("clock");
        assertThat(launch("mirror", "--version").exitCode()).isZero();
        assertThat(builds()).as("a change in a module mirror does not use").hasSize(1);

        touch("crawler");
        var afterCrawler = launch("mirror", "--version");
        assertThat(afterCrawler.exitCode()).isZero();
        assertThat(afterCrawler.stdout()).startsWith("mirror ");
        assertThat(builds()).as("a change in crawler, which mirror uses").hasSize(2);

        touch("common");
        assertThat(launch("mirror", "--version").exitCode()).isZero();
        assertThat(builds()).as("a change in common").hasSize(3).doesNotContain("overlapping build");
    }

    @Test
    void twoFirstLaunchesAtOnceBuildOnce() throws Exception {
        var hold = Files.createDirectories(root.resolve("target")).resolve("hold");
        Files.createFile(hold);
        var first = start("clock", "--version");
        Run second = null;
        try {
            Eventually.eventually(Duration.ofSeconds(60), "the first launcher's build starts", () -> builds().size() == 1);
            var waiting = start("clock", "--version");
            second = waiting;
            Eventually.eventually(Duration.ofSeconds(60), "the second launcher waits for the first one's build", () -> {
                assertThat(builds()).as("builds so far").hasSize(1);
                return waitsOnTheLock(waiting.process());
            });
        } finally {
            Files.deleteIfExists(hold); // lets the held build finish, whatever happened
        }

        for (var run : List.of(first, second)) {
            run.finish(120);
            assertThat(run.exitCode()).as(run.stderr()).isZero();
            assertThat(run.stdout()).startsWith("clock ");
        }
        assertThat(builds()).containsExactly("-q -pl clock -am package -DskipTests");
    }

    private static boolean waitsOnTheLock(Process launcher) {
        return launcher.descendants().anyMatch(p -> p.info().command().orElse("").endsWith("/flock"));
    }

    private Run launch(String tool, String... args) throws Exception {
        var run = start(tool, args);
        run.finish(120);
        return run;
    }

    private Run start(String tool, String... args) throws IOException {
        var command = new ArrayList<>(List.of(root.resolve("bin").resolve(tool).toString()));
        command.addAll(List.of(args));
        return Run.start(command, env, temp.resolve("work"), "");
    }

    /** A source of the module changes now, after every jar so far was built. */
    private void touch(String module) throws IOException {
        var source = root.resolve(module).resolve("src/main/java/Source.java");
        Files.writeString(source, "class Source { int changed; }\n");
    }

    private List<String> builds() {
        var log = root.resolve("target/builds.log");
        try {
            return Files.exists(log) ? Files.readAllLines(log) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
