package gopl.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

class CliTest {
    @Command(name = "demo", versionProvider = ManifestVersion.class)
    static final class Demo implements Callable<Integer> {
        @Mixin
        StandardOptions standard;

        @Option(names = {"-port", "--port"})
        int port = 8000;

        @Option(names = {"-h", "--human"})
        boolean human;

        @Option(names = "--wait", converter = GoDuration.class)
        Duration wait = Duration.ZERO;

        @Option(names = "--fail")
        String fail;

        int seenPort;

        @Override
        public Integer call() throws Exception {
            seenPort = port;
            if ("io".equals(fail)) {
                throw new IOException("disk on fire");
            }
            if ("tool".equals(fail)) {
                throw new ToolException("cannot listen on localhost:8010: Address already in use");
            }
            if ("bug".equals(fail)) {
                throw new IllegalStateException("oops\nsecond line");
            }
            return 0;
        }
    }

    @Command(name = "server")
    static final class Server implements Callable<Integer> {
        @Mixin
        StandardOptions standard;

        @Mixin
        ListenOptions listen = new ListenOptions(2121);

        String where;

        @Override
        public Integer call() {
            where = listen.host() + ":" + listen.port();
            return 0;
        }
    }

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Demo demo, String... args) {
        return Cli.run(demo, new PrintStream(out, true), new PrintStream(err, true), args);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void bookAndGnuSpellingsBothParse() {
        for (var args : new String[][] {{"-port", "8010"}, {"--port", "8010"}, {"-port=8010"}, {"--port=8010"}}) {
            var demo = new Demo();
            assertThat(run(demo, args)).isZero();
            assertThat(demo.seenPort).isEqualTo(8010);
        }
    }

    @Test
    void listenOptionsKeepTheServersDefaultAndTakeBothSpellings() {
        var server = new Server();
        assertThat(Cli.run(server, new PrintStream(out, true), new PrintStream(err, true))).isZero();
        assertThat(server.where).isEqualTo("localhost:2121");
        server = new Server();
        assertThat(Cli.run(server, new PrintStream(out, true), new PrintStream(err, true), "-port", "0", "--host=0.0.0.0")).isZero();
        assertThat(server.where).isEqualTo("0.0.0.0:0");
        assertThat(Cli.run(new Server(), new PrintStream(out, true), new PrintStream(err, true), "--help")).isZero();
        assertThat(out.toString()).contains("default: 2121", "default: localhost");
    }

    @Test
    void aPortOutOfRangeIsAUsageError() {
        assertThat(Cli.run(new Server(), new PrintStream(out, true), new PrintStream(err, true), "--port", "70000")).isEqualTo(2);
        assertThat(err()).isEqualTo("server: port 70000 is out of range (0-65535) (see server --help)" + System.lineSeparator());
    }

    @Test
    void helpWorksBesideAToolsOwnDashH() {
        assertThat(run(new Demo(), "--help")).isZero();
        assertThat(out.toString()).contains("--port", "--help", "--version");
    }

    @Test
    void versionNamesTheTool() {
        assertThat(run(new Demo(), "--version")).isZero();
        assertThat(out.toString()).startsWith("demo ");
    }

    @Test
    void aLoneVersionIsAnsweredWithoutTheModelAndReadsAsPicocliPrintsIt() {
        var fast = new ByteArrayOutputStream();
        var quiet = new PrintStream(fast, true);
        assertThat(ManifestVersion.print(new Demo(), new String[] {"--version"}, quiet)).as("no launcher's name").isFalse();
        System.setProperty(Cli.COMMAND_PROPERTY, "gopl-demo");
        try {
            assertThat(ManifestVersion.print(new Demo(), new String[] {"--version", "--port"}, quiet)).isFalse();
            assertThat(ManifestVersion.print(new Demo(), new String[] {"--help"}, quiet)).isFalse();
            assertThat(fast.size()).isZero();
            assertThat(ManifestVersion.print(new Demo(), new String[] {"--version"}, quiet)).isTrue();
            assertThat(run(new Demo(), "--version")).isZero();
        } finally {
            System.clearProperty(Cli.COMMAND_PROPERTY);
        }
        assertThat(out.toString()).startsWith("gopl-demo ");
        assertThat(fast.toString()).isEqualTo(out.toString());
    }

    @Test
    void usageErrorIsOneLineAndExitTwo() {
        assertThat(run(new Demo(), "--port", "abc")).isEqualTo(2);
        assertThat(err()).startsWith("demo: ").contains("'abc'").endsWith("(see demo --help)" + System.lineSeparator());
        assertThat(err().lines()).hasSize(1);
    }

    @Test
    void unknownOptionIsAUsageError() {
        assertThat(run(new Demo(), "--nope")).isEqualTo(2);
        assertThat(err().lines()).singleElement().asString().contains("Unknown option: '--nope'");
    }

    @Test
    void badDurationIsAUsageError() {
        assertThat(run(new Demo(), "--wait", "10 parsecs")).isEqualTo(2);
        assertThat(err()).contains("is not a duration");
    }

    @Test
    void runtimeFailureIsOneLineAndExitOne() {
        assertThat(run(new Demo(), "--fail", "tool")).isEqualTo(1);
        assertThat(err()).isEqualTo("demo: cannot listen on localhost:8010: Address already in use" + System.lineSeparator());
    }

    @Test
    void ioExceptionShowsItsMessageOnly() {
        assertThat(run(new Demo(), "--fail", "io")).isEqualTo(1);
        assertThat(err()).isEqualTo("demo: disk on fire" + System.lineSeparator());
    }

    @Test
    void unexpectedExceptionIsStillOneLine() {
        assertThat(run(new Demo(), "--fail", "bug")).isEqualTo(1);
        assertThat(err().lines()).singleElement().asString()
                .isEqualTo("demo: IllegalStateException: oops; second line");
    }
}
