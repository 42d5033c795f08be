package gopl.ftp;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoginTest {
    @TempDir
    Path root;

    @Test
    void accountsOpenWithTheRightPasswordOnly() throws Exception {
        var jail = new Jail(root);
        var bob = new Accounts.User("bob", new Accounts.Credential.Secret("pw".getBytes(UTF_8)), jail, "/", true);
        try (var accounts = new Accounts(true, jail, List.of(bob)); var closed = new Accounts(false, jail, List.of(bob))) {
            assertThat(accounts.login("bob", "pw")).hasValueSatisfying(a -> assertThat(a.canWrite()).isTrue());
            assertThat(accounts.login("bob", "PW")).isEmpty();
            assertThat(accounts.login("bob", "")).isEmpty();
            assertThat(accounts.login("alice", "pw")).isEmpty();
            assertThat(accounts.login("anonymous", "x@y")).hasValueSatisfying(a -> assertThat(a.name()).isEqualTo("anonymous"))
                    .hasValueSatisfying(a -> assertThat(a.canWrite()).isFalse());
            assertThat(accounts.login("FTP", "")).hasValueSatisfying(a -> assertThat(a.jail().root()).isEqualTo(jail.root()));
            assertThat(closed.login("anonymous", "x")).isEmpty();
            assertThat(closed.login("ftp", "x")).isEmpty();
        }
    }

    @Test
    void failedLoginsAreSlowedDownThenTheConnectionCloses() throws Exception {
        try (var server = TestServer.start(root); var control = RawControl.open(server.port())) {
            long[] took = new long[3];
            for (int i = 0; i < 3; i++) {
                control.expect("USER bob", 331);
                long start = System.nanoTime();
                var reply = control.send("PASS wrong");
                took[i] = System.nanoTime() - start;
                assertThat(reply).startsWith(i < 2 ? "530" : "421");
            }
            assertThat(control.reply()).isNull();
            // The test server pauses 200ms times the number of failures so far; only lower bounds are asserted.
            assertThat(Duration.ofNanos(took[0])).isGreaterThanOrEqualTo(Duration.ofMillis(200));
            assertThat(Duration.ofNanos(took[2])).isGreaterThanOrEqualTo(Duration.ofMillis(600));
        }
    }

    @Test
    void anUnknownUserIsAskedForAPasswordLikeAKnownOne() throws Exception {
        try (var server = TestServer.start(root); var control = RawControl.open(server.port())) {
            assertThat(control.send("USER nobody")).isEqualTo("331 Password required for nobody.");
            assertThat(control.send("PASS x")).startsWith("530");
            assertThat(control.send("USER bob")).isEqualTo("331 Password required for bob.");
            assertThat(control.send("PASS " + TestServer.PASSWORD)).isEqualTo("230 Login successful.");
            assertThat(control.send("REIN")).startsWith("220");
            assertThat(control.send("PWD")).startsWith("530");
        }
    }

    @Test
    void withoutAnonymousOnlyTheAccountGetsIn() throws Exception {
        try (var server = TestServer.start(root, "--no-anonymous"); var control = RawControl.open(server.port())) {
            assertThat(control.send("USER anonymous")).isEqualTo("331 Password required for anonymous.");
            assertThat(control.send("PASS guest")).startsWith("530");
            control.expect("USER bob", 331);
            assertThat(control.send("PASS " + TestServer.PASSWORD)).startsWith("230");
        }
    }
}
