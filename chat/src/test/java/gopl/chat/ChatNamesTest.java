package gopl.chat;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Names that cannot pose as someone else, and what else a client says that others see. */
@Timeout(60)
class ChatNamesTest {
    private static final String ASK = " What is your name?";
    private static final String INVISIBLE = "A name cannot contain invisible or direction-changing characters.";
    private final ChatServerTest chat = new ChatServerTest(); // its servers and peers, closed after each test

    @AfterEach
    void closeAll() throws Exception {
        chat.closeAll();
    }

    private int serve() {
        return chat.serve(ChatServerTest.SETTINGS);
    }

    private Peer named(int port, String name) {
        return chat.named(port, name);
    }

    private Peer newcomer(int port) {
        var peer = new Peer(port);
        chat.open.add(peer);
        peer.expect("Welcome!" + ASK);
        return peer;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "Cyrillic o                | b\u043Eb                            | b\u043Eb looks like bob, who is here.",
        "Cyrillic soft signs and o | \u042C\u043E\u042C                  | \u042C\u043E\u042C looks like bob, who is here.",
        "digit zero, upper case    | B0B                                 | B0B looks like bob, who is here.",
        "Cherokee and Latin        | \u13F4OB                            | \u13F4OB looks like bob, who is here.",
        "upper case                | BOB                                 | BOB is taken.",
        "fullwidth letters         | \uFF42\uFF4F\uFF42                  | bob is taken.",
        "mathematical bold         | \uD835\uDC1B\uD835\uDC28\uD835\uDC1B | bob is taken.",
        "zero-width space          | bob\u200B                           | " + INVISIBLE,
        "zero-width joiner         | b\u200Dob                           | " + INVISIBLE,
        "soft hyphen               | b\u00ADob                           | " + INVISIBLE,
        "right-to-left override    | \u202Ebob                           | " + INVISIBLE,
        "left-to-right isolate     | bob\u2066                           | " + INVISIBLE,
        "right-to-left mark        | bob\u200F                           | " + INVISIBLE,
        "Hangul filler             | bob\u3164                           | " + INVISIBLE,
        "variation selector        | bob\uFE0F                           | " + INVISIBLE,
        "tag letter                | bob\uDB40\uDC41                     | " + INVISIBLE,
    })
    void nobodyCanPoseAsBob(String what, String impostor, String refusal) {
        int port = serve();
        named(port, "bob");
        var client = newcomer(port);
        client.say(impostor);
        client.expect(refusal + ASK);
    }

    @Test
    void namesAreNormalisedToNfkc() {
        int port = serve();
        var client = newcomer(port);
        client.say("\uFF42\uFF4F\uFF42"); // fullwidth b o b
        assertThat(client.next()).startsWith("You are bob.");
        var zoe = newcomer(port);
        zoe.say("Zoe\u0308"); // e and a combining diaeresis: NFKC composes them
        assertThat(zoe.next()).startsWith("You are Zo\u00EB.");
        zoe.say("/who");
        zoe.skipTo("2 here: bob, Zo\u00EB");
    }

    @Test
    void aNameMayNotStartWithAMarkNorPileThemUp() {
        int port = serve();
        var client = newcomer(port);
        client.say("\u0301bob");
        client.expect("A name cannot start with an accent or pile accents on one letter." + ASK);
        client.say("bo\u0301\u0302\u0303\u0304\u0305b"); // ó and four more: NFKC composes only the first
        client.expect("A name cannot start with an accent or pile accents on one letter." + ASK);
    }

    @Test
    void nickIsHeldToTheSameRulesButMayChangeOnlyTheCaseOfOnesOwn() {
        int port = serve();
        var bob = named(port, "bob");
        var alice = named(port, "alice");
        alice.say("/nick b\u043Eb");
        alice.skipTo(line -> line.endsWith("looks like bob, who is here."));
        alice.say("/nick al\u200Bice");
        alice.expect("A name cannot contain invisible or direction-changing characters.");
        bob.skipTo("alice has arrived");
        bob.say("/nick Bob");
        alice.expect("bob is now Bob");
    }

    @Test
    void whoListsAtMostAHundredNamesHoweverManyAreHere() {
        int port = serve();
        var peers = IntStream.range(0, 150).mapToObj(i -> named(port, String.format("user%03d", i))).toList();
        var asker = peers.getLast();
        asker.say("/who");
        var who = asker.skipTo(line -> line.contains(" here: "));
        var listed = IntStream.range(0, 100).mapToObj(i -> String.format("user%03d", i)).toList();
        assertThat(who).isEqualTo("150 here: " + String.join(", ", listed) + " and 50 more.");
    }

    @Test
    void directionOverridesInLinesAreMadeHarmless() {
        int port = serve();
        var alice = named(port, "alice");
        var bob = named(port, "bob");
        alice.send("hi \u202Eevil\u2066 \u2028x\n".getBytes(UTF_8));
        bob.skipTo("alice: hi \uFFFDevil\uFFFD \uFFFDx");
    }

    @Test
    void anUnknownCommandIsNotEchoedBackAtLength() {
        int port = serve();
        var alice = named(port, "alice");
        alice.say("/" + "x".repeat(3000));
        assertThat(alice.next()).hasSizeLessThan(100).startsWith("Unknown command /xxxx").endsWith(". Type /help for commands.");
    }
}
