package gopl.chat;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code /msg NAME TEXT}, and answers that come in the order of the lines they answer. */
@Timeout(60)
class ChatPrivateTest {
    private final ChatServerTest chat = new ChatServerTest(); // its servers and peers, closed after each test

    @AfterEach
    void closeAll() throws Exception {
        chat.closeAll();
    }

    @Test
    void aPrivateMessageReachesItsRecipientAloneAndNobodyElseSeesIt() {
        int port = chat.serve(ChatServerTest.SETTINGS);
        var alice = chat.named(port, "alice");
        var bob = chat.named(port, "bob");
        var carol = chat.named(port, "carol");
        alice.skipTo("carol has arrived");
        bob.skipTo("carol has arrived");

        alice.say("/msg bob the password is swordfish");
        bob.expect("alice (privately): the password is swordfish");
        alice.expect("alice (privately to bob): the password is swordfish");
        alice.say("back to everyone");
        // The broadcaster gives carol every line in one order: if the private line had reached
        // her, it would come before this one.
        carol.expect("alice: back to everyone");
        bob.expect("alice: back to everyone");
        alice.expect("alice: back to everyone");
        assertThat(carol.pending()).isZero();
    }

    @ParameterizedTest(name = "/msg {0} reaches bob")
    @ValueSource(strings = {"bob", "BOB", "B0B", "b\u043Eb", "\uFF42\uFF4F\uFF42"})
    void aNameReachesWhoeverLooksLikeIt(String typed) {
        // No two names here look alike (ChatNamesTest), so a look-alike can only mean bob.
        int port = chat.serve(ChatServerTest.SETTINGS);
        var alice = chat.named(port, "alice");
        var bob = chat.named(port, "bob");
        alice.skipTo("bob has arrived");
        alice.say("/msg " + typed + " hi");
        bob.expect("alice (privately): hi");
        alice.expect("alice (privately to bob): hi");
    }

    @Test
    void mistakesAreAnsweredToTheSenderAlone() {
        int port = chat.serve(ChatServerTest.SETTINGS);
        var alice = chat.named(port, "alice");
        var bob = chat.named(port, "bob");
        alice.skipTo("bob has arrived");
        alice.say("/msg dave hello");
        alice.expect("Nobody called dave is here.");
        alice.say("/msg " + "x".repeat(200) + " hello");
        alice.expect("Nobody called " + "x".repeat(24) + "... is here.");
        alice.say("/msg bob");
        alice.expect("Say /msg NAME TEXT to send TEXT to NAME alone.");
        alice.say("/msg bob    ");
        alice.expect("Say /msg NAME TEXT to send TEXT to NAME alone.");
        alice.say("/msg ALICE hello");
        alice.expect("That is you: /msg sends to someone else.");
        alice.say("done");
        bob.expect("alice: done"); // nothing before it
    }

    @Test
    void aClientWithoutANameCannotSendPrivately() {
        int port = chat.serve(ChatServerTest.SETTINGS);
        var bob = chat.named(port, "bob");
        var stranger = new Peer(port);
        chat.open.add(stranger);
        stranger.expect("Welcome! What is your name?");
        stranger.say("/msg bob hello");
        stranger.expect("What is your name?");
        bob.say("/who");
        bob.expect("1 here: bob");
    }

    @Test
    void privateMessagesAreHeldToTheFloodRate() {
        var settings = new ChatServer.Settings(Duration.ofMinutes(1), 256, 4096, 20, Duration.ofSeconds(1));
        int port = chat.serve(settings);
        var bob = chat.named(port, "bob");
        var mallory = chat.named(port, "mallory");
        bob.skipTo("mallory has arrived");
        var flood = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            flood.append("/msg bob spam ").append(i).append('\n');
        }
        long start = System.nanoTime();
        mallory.send(flood.toString().getBytes(UTF_8));
        mallory.skipTo("Disconnected: more than 20 lines a second for 1s.");
        double seconds = (System.nanoTime() - start) / 1e9;
        int heard = 0;
        for (String line; !(line = bob.next()).equals("mallory has left (flooding)"); ) {
            assertThat(line).startsWith("mallory (privately): spam ");
            heard++;
        }
        // The burst, then 20 a second for as long as it took (about a second on a quiet machine,
        // longer on a loaded one), never the 1,000: the bound holds however slow the machine is.
        assertThat(heard).isGreaterThanOrEqualTo(20).isLessThanOrEqualTo((int) (20 + 20 * seconds) + 1).isLessThan(1000);
    }

    @Test
    void aRecipientThatDoesNotReadLosesPrivateLinesWithoutSlowingTheSender() throws IOException {
        int port = chat.serve(new ChatServer.Settings(Duration.ofMinutes(1), 16, 4096, 0));
        var alice = chat.named(port, "alice");
        try (var stuck = new Socket("localhost", port)) {
            stuck.setReceiveBufferSize(4096); // bob never reads: the server's writes to him soon stall
            stuck.getOutputStream().write("bob\n".getBytes(UTF_8));
            alice.skipTo("bob has arrived");
            var text = "x".repeat(1000);
            for (int i = 0; i < 2000; i++) {
                alice.say("/msg bob " + text);
                alice.expect("alice (privately to bob): " + text); // each one answered at once
            }
            alice.say("/who");
            alice.expect("2 here: alice, bob");
        }
        alice.skipTo("bob has left");
    }

    @Test
    void answersComeInTheOrderOfTheLinesTheyAnswer() {
        int port = chat.serve(ChatServerTest.SETTINGS);
        var bob = chat.named(port, "bob");
        var alice = new Peer(port);
        chat.open.add(alice);
        // All at once, as from a script: before, "Bye." could overtake the answers, and the help
        // come before the name was accepted.
        alice.send("alice\n/help\nhi all\n/bogus\n/msg bob psst\n/quit\n".getBytes(UTF_8));
        alice.expect("Welcome! What is your name?");
        alice.expect("You are alice. 1 other is here: bob. Type /help for commands.");
        alice.expect(ChatServer.HELP);
        alice.expect("alice: hi all");
        alice.expect("Unknown command /bogus. Type /help for commands.");
        alice.expect("alice (privately to bob): psst");
        alice.expect("Bye.");
        alice.expect(Peer.EOF);
        bob.expect("alice has arrived");
        bob.expect("alice: hi all");
        bob.expect("alice (privately): psst");
        bob.expect("alice has left");
    }
}
