package gopl.ftp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoginTest {
    @TempDir
    Path root;

    @Test
    void accountsOpenWithTheRightPasswordOnly() {
        var accounts = new Accounts(true, "bob", "pw");
        assertThat(accounts.login("bob", "pw")).contains(new Accounts.Account("bob", true));
        assertThat(accounts.login("bob", "PW")).isEmpty();
        assertThat(accounts.login("bob", "")).isEmpty();
        assertThat(accounts.login("alice", "pw")).isEmpty();
        assertThat(accounts.login("anonymous", "x@y")).contains(new Accounts.Account("anonymous", false));
        assertThat(accounts.login("FTP", "")).contains(new Accounts.Account("anonymous", false));
        var closed = new Accounts(false, "bob", "pw");
        assertThat(closed.login("anonymous", "x")).isEmpty();
        assertThat(closed.login("ftp", "x")).isEmpty();
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
