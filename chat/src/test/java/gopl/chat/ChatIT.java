package gopl.chat;

import static org.assertj.core.api.Assertions.assertThat;

import gopl.common.testing.ToolProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The real jar, as a user runs it. */
class ChatIT {
    private static final Pattern LISTENING = Pattern.compile("chat listening on localhost:(\\d+)");

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "-port abc          | chat: Invalid value for option '--port': 'abc' is not an int",
        "--port 70000       | chat: port 70000 is out of range (0-65535)",
        "--idle 10parsecs   | chat: Invalid value for option '--idle': '10parsecs' is not a duration",
        "--buffer 0         | chat: --buffer must be at least 1",
        "--rate -1          | chat: --rate cannot be negative",
        "--max-line 10      | chat: --max-line must be at least 64",
        "--input-memory 1k  | chat: --input-memory must be at least 64K",
        "--bogus            | chat: Unknown option: '--bogus'",
        "everyone           | chat: Unmatched argument at index 0: 'everyone'",
    })
    void usageErrorsAreOneLineAndExitTwo(String args, String message) {
        ToolProcess.assertUsageError(args, message);
    }

    @Test
    void portInUseIsOneLineAndExitOne() throws Exception {
        ToolProcess.assertPortInUse("chat");
    }

    @Test
    void helpAndVersion() {
        ToolProcess.assertHelpAndVersion("chat", "-port", "--idle", "--buffer", "--max-line", "--rate", "--help", "--version");
    }

    @Test
    void ctrlCTellsEveryoneGoodbyeAndTheLogHasOneLinePerComingAndGoing() throws Exception {
        chatThenStop(ToolProcess::sendInterrupt); // skipped where SIGINT cannot reach the tool
    }

    @Test
    void sigtermTellsEveryoneGoodbyeToo() throws Exception {
        // Not Process.destroy(): it also closes our end of the tool's stderr, losing its last log lines.
        chatThenStop(chat -> signal(chat, "TERM"));
    }

    private interface Stop {
        void stop(ToolProcess chat);
    }

    private static void chatThenStop(Stop stop) throws Exception {
        try (var chat = ToolProcess.start("-port", "0", "--idle", "1m")) {
            int port = awaitPort(chat);
            try (var alice = Peer.named(port, "alice"); var bob = Peer.named(port, "bob"); var carol = Peer.named(port, "carol")) {
                alice.expect("bob has arrived");
                alice.expect("carol has arrived");
                bob.say("hi");
                alice.expect("bob: hi");
                carol.say("/quit");
                carol.skipTo("Bye.");
                alice.expect("carol has left");

                stop.stop(chat);
                for (var peer : new Peer[] {alice, bob}) {
                    peer.skipTo(ChatServer.GOODBYE);
                    peer.expect(Peer.EOF);
                }
            }
            var result = chat.waitFor(Duration.ofSeconds(20));
            assertThat(result.exitCode()).isIn(0, 130, 143); // a JVM stopped by a signal exits 128 + its number
            var log = result.stderr();
            for (var name : new String[] {"alice", "bob", "carol"}) {
                assertThat(count(log, " INFO " + name + " arrived from 127.0.0.1:")).as(name + " arrived").isOne();
            }
            assertThat(count(log, " left: ")).isOne();
            assertThat(log).contains(" INFO carol left: quit (2 here)", " INFO shut down: said goodbye to 2 clients");
        }
    }

    private static int awaitPort(ToolProcess chat) {
        return Integer.parseInt(chat.awaitStderr(LISTENING, Duration.ofSeconds(20)).group(1));
    }

    private static long count(String text, String part) {
        return text.lines().filter(line -> line.contains(part)).count();
    }

    private static void signal(ToolProcess chat, String signal) {
        try {
            new ProcessBuilder("kill", "-" + signal, Long.toString(chat.process().pid())).inheritIO().start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
