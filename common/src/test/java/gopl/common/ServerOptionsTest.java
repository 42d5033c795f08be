package gopl.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The servers' shared options: logging, stats and connection limits. */
@Timeout(30)
@ResourceLock(Resources.SYSTEM_PROPERTIES)
class ServerOptionsTest {
    private static final String LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";

    @Command(name = "server")
    static final class Server implements Callable<Integer> {
        @Mixin
        LogOptions logging;

        @Mixin
        LimitOptions limits;

        TcpServer configured;

        @Override
        public Integer call() {
            try (var server = TcpServer.listen("localhost", 0)) {
                configured = limits.apply(logging.apply(server));
            }
            return 0;
        }
    }

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final String levelBefore = System.getProperty(LEVEL);

    @AfterEach
    void restoreLevel() {
        if (levelBefore == null) {
            System.clearProperty(LEVEL);
        } else {
            System.setProperty(LEVEL, levelBefore);
        }
    }

    private int run(Server server, String... args) {
        System.clearProperty(LEVEL);
        return Cli.run(server, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true), args);
    }

    @Test
    void theLogLevelIsSetWhileParsingBeforeAnyLoggerExists() {
        assertThat(run(new Server())).isZero();
        assertThat(System.getProperty(LEVEL)).as("untouched without an option").isNull();
        run(new Server(), "--log-level", "DEBUG");
        assertThat(System.getProperty(LEVEL)).isEqualTo("debug");
        run(new Server(), "-q");
        assertThat(System.getProperty(LEVEL)).isEqualTo("warn");
        run(new Server(), "--verbose");
        assertThat(System.getProperty(LEVEL)).isEqualTo("debug");
        run(new Server(), "-v", "--quiet");
        assertThat(System.getProperty(LEVEL)).as("the last one wins").isEqualTo("warn");
        run(new Server(), "-log-level=error");
        assertThat(System.getProperty(LEVEL)).isEqualTo("error");
    }

    @Test
    void anUnknownLevelIsAUsageError() {
        assertThat(run(new Server(), "--log-level", "loud")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("server: Invalid value for option '--log-level'").hasLineCount(1);
    }

    @Test
    void statsAreOffUnlessAskedForAndEveryMinuteByDefault() {
        var quiet = new Server();
        run(quiet);
        assertThat(quiet.logging.statsEvery()).isEqualTo(Duration.ZERO);
        var plain = new Server();
        run(plain, "--stats");
        assertThat(plain.logging.statsEvery()).isEqualTo(Duration.ofMinutes(1));
        var often = new Server();
        run(often, "-stats", "10s");
        assertThat(often.logging.statsEvery()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void limitsHaveSafeDefaultsAndRefuseNegatives() {
        var server = new Server();
        assertThat(run(server)).isZero();
        assertThat(server.limits.maxConnections()).isEqualTo(10_000);
        assertThat(server.limits.maxPerIp()).isEqualTo(64);
        assertThat(server.limits.writeTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(run(new Server(), "--max-per-ip", "-1")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("server: --max-per-ip cannot be negative (0: no cap) (see server --help)" + System.lineSeparator());
        var open = new Server();
        assertThat(run(open, "--max-connections=0", "-max-per-ip", "0", "--write-timeout", "0")).isZero();
        assertThat(open.limits.maxConnections()).isZero();
    }
}
