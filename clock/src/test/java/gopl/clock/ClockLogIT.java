package gopl.clock;

import static gopl.common.testing.ServerAttacks.firstLine;
import static org.assertj.core.api.Assertions.assertThat;

import gopl.common.testing.ToolProcess;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The servers' shared logging options (issue 18), on the real clock jar. */
@Timeout(120)
class ClockLogIT {
    private static int freePort() throws Exception {
        try (var probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }

    /** Runs clock with these options, has one client read one tick, stops it; its stderr. */
    private static String logOf(Predicate<String> until, String... options) throws Exception {
        int port = freePort();
        var args = new ArrayList<>(List.of("-port", String.valueOf(port)));
        args.addAll(List.of(options));
        try (var clock = ToolProcess.start(args.toArray(String[]::new))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            try (var client = connect(port, clock, deadline)) {
                client.setSoTimeout(20_000);
                assertThat(firstLine(client)).matches("\\d\\d:\\d\\d:\\d\\d");
                while (!until.test(clock.stderrText())) {
                    assertThat(System.nanoTime()).as("logged in time; stderr: " + clock.stderrText()).isLessThan(deadline);
                    Thread.sleep(20);
                }
            }
            return clock.terminate(Duration.ofSeconds(20)).stderr();
        }
    }

    /** Connects as soon as the server listens (with -q it does not say when). */
    private static Socket connect(int port, ToolProcess clock, long deadline) throws Exception {
        while (true) {
            try {
                return new Socket("localhost", port);
            } catch (ConnectException e) {
                assertThat(System.nanoTime()).as("clock started; stderr: " + clock.stderrText()).isLessThan(deadline);
                Thread.sleep(20);
            }
        }
    }

    @Test
    void infoByDefault() throws Exception {
        var log = logOf(text -> text.contains(" connected"));
        assertThat(log).contains(" INFO clock listening on ", " INFO 127.0.0.1:").doesNotContain(" DEBUG ");
    }

    @Test
    void quietLogsOnlyWarningsAndErrors() throws Exception {
        var log = logOf(text -> true, "-q");
        assertThat(log).doesNotContain(" INFO ", " DEBUG ");
    }

    @Test
    void verboseAndLogLevelDebugShowEachConnection() throws Exception {
        for (var option : new String[][] {{"--verbose"}, {"--log-level", "debug"}}) {
            var log = logOf(text -> text.contains(" DEBUG 127.0.0.1:"), option);
            assertThat(log).containsPattern(" DEBUG 127\\.0\\.0\\.1:\\d+ connected \\(1 open\\)");
        }
    }

    @Test
    void statsLineEveryInterval() throws Exception {
        var log = logOf(text -> text.contains("stats: 1 open"), "--stats", "200ms");
        assertThat(log).containsPattern(" INFO stats: 1 open, 1 accepted \\(\\+[01]\\), 0 refused \\(\\+0\\), \\d+ bytes in");
    }
}
