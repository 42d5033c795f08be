package gopl.ftp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Dispatch, the pre-login check, HELP and FEAT all come from the one command table, so they agree. */
@Timeout(60)
class CommandsTest {
    /** Commands that would end or change the login under the test's feet. */
    private static final Set<String> LOGIN_CHANGING = Set.of("QUIT", "REIN", "USER", "PASS");

    @TempDir
    Path root;

    TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start(root);
    }

    @AfterEach
    void stop() throws InterruptedException {
        server.close();
    }

    private RawControl writer() throws IOException {
        var control = RawControl.open(server.port());
        control.expect("USER " + TestServer.USER, 331);
        control.expect("PASS " + TestServer.PASSWORD, 230);
        return control;
    }

    @Test
    void helpNamesEveryCommandTheServerRunsAndNoOther() throws IOException {
        try (var control = writer()) {
            var help = control.send("HELP").lines().filter(l -> l.startsWith(" "))
                    .flatMap(l -> Arrays.stream(l.strip().split(" "))).toList();
            var listed = Commands.listed(false).stream().map(Commands.Command::verb).toList();
            assertThat(help).isEqualTo(listed).contains("RETR", "XPWD", "MLSD");
            for (var command : Commands.all()) {
                if (!LOGIN_CHANGING.contains(command.verb())) {
                    assertThat(control.send(command.verb() + " x")).as(command.verb()).doesNotStartWith("500");
                }
            }
            assertThat(control.send("XYZZY")).startsWith("500");
            assertThat(control.send("HELP XYZZY")).startsWith("502");
            assertThat(control.send("HELP AUTH")).startsWith("502");
            assertThat(control.send("HELP mlsd")).startsWith("214");
        }
    }

    @Test
    void beforeLoginOnlyThePreLoginCommandsRun() throws IOException {
        try (var control = RawControl.open(server.port())) {
            for (var command : Commands.all()) {
                if (LOGIN_CHANGING.contains(command.verb())) {
                    continue;
                }
                var reply = control.send(command.verb());
                if (command.has(Commands.Rule.BEFORE_LOGIN)) {
                    assertThat(reply).as(command.verb()).doesNotStartWith("530");
                } else {
                    assertThat(reply).as(command.verb()).startsWith("530");
                }
            }
            assertThat(control.send("XYZZY")).startsWith("500");
        }
    }

    @Test
    void featListsTheFeaturesOfTheTable() throws IOException {
        try (var control = RawControl.open(server.port())) {
            var feat = control.send("FEAT").lines().filter(l -> l.startsWith(" ")).map(String::strip).toList();
            var fromTable = Commands.listed(false).stream().map(Commands.Command::feature).filter(Objects::nonNull).toList();
            assertThat(feat).containsAll(fromTable).containsAll(List.of("TVFS", "UTF8")).hasSize(fromTable.size() + 2).isSorted();
        }
    }
}
