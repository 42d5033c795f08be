package gopl.chat;

import static gopl.common.testing.ServerAttacks.assertCapsHold;
import static gopl.common.testing.ServerAttacks.awaitBytesIn;
import static gopl.common.testing.ServerAttacks.closeAll;
import static gopl.common.testing.ServerAttacks.firstLine;
import static gopl.common.testing.ServerAttacks.listeningPort;
import static gopl.common.testing.ServerAttacks.stallWithPartialLines;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import gopl.common.testing.ToolProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Issue 13's attacks on the real chat jar: each must fail. */
@Timeout(120)
class ChatSecurityIT {
    private static final String ASK = " What is your name?";

    @Test
    void connectionFloodsAreRefusedWithOneLineAndLoggedOnce() throws Exception {
        try (var chat = ToolProcess.start("-port", "0", "--max-per-ip", "3", "--max-connections", "5")) {
            int port = listeningPort(chat, "chat");
            var account = assertCapsHold(chat, port, 3, 5, 200, socket -> {
                var line = firstLine(socket);
                assertThat(line).isIn("Welcome!" + ASK, "A name cannot be empty." + ASK);
                socket.getOutputStream().write("\n".getBytes(UTF_8)); // asks again: served
            });
            System.out.println("chat, connection flood: " + account);
        }
    }

    @Test
    void clientsStallingOnLongLinesCannotRunTheServerOutOfMemory() throws Exception {
        // Issue 20's heap cap scaled down: 3,000 clients (50 addresses) each hold a 4,000-byte
        // line without its newline, about 14 KiB apiece without an input budget: 40 MB in a 32 MB heap.
        int clients = Integer.getInteger("chat.stallers", 3000);
        var partial = "x".repeat(4000).getBytes(UTF_8);
        try (var chat = ToolProcess.start(List.of("-Xmx32m", "-XX:+UseSerialGC"), "-port", "0", "--stats", "100ms")) {
            int port = listeningPort(chat, "chat");
            var stalled = stallWithPartialLines(port, clients, 60, partial);
            try {
                awaitBytesIn(chat, (long) clients * partial.length, Duration.ofSeconds(60));
                try (var bob = Peer.named(port, "bob"); var alice = Peer.named(port, "alice")) {
                    bob.skipTo("alice has arrived");
                    alice.say("still here?");
                    assertThat(bob.skipTo(line -> line.contains("still here?"))).isEqualTo("alice: still here?");
                }
                assertThat(chat.stderrText()).doesNotContain("OutOfMemoryError");
                System.out.printf("chat -Xmx32m, %,d clients stalled on a %,d-byte line: others still chat%n", clients, partial.length);
            } finally {
                closeAll(stalled);
            }
        }
    }

    @Test
    void nobodyCanPoseAsSomeoneElse() throws Exception {
        try (var chat = ToolProcess.start("-port", "0")) {
            int port = listeningPort(chat, "chat");
            try (var bob = Peer.named(port, "bob"); var impostor = new Peer(port)) {
                impostor.expect("Welcome!" + ASK);
                var attempts = new String[] {"b\u043Eb", "\u042C\u043E\u042C", "bob\u200B", "\u202Ebob", "B0B", "\uFF42\uFF4F\uFF42"};
                var refusals = new ArrayList<String>();
                for (var name : attempts) {
                    impostor.say(name);
                    refusals.add(impostor.next());
                }
                System.out.println("chat, impostors of bob: " + refusals);
                assertThat(refusals).allSatisfy(refusal -> assertThat(refusal).doesNotStartWith("You are").endsWith(ASK));
                impostor.say("robert");
                assertThat(impostor.next()).startsWith("You are robert.");
            }
        }
    }

    @Test
    void whoIsBoundedHoweverManyAreHere() throws Exception {
        int users = Integer.getInteger("chat.users", 300);
        try (var chat = ToolProcess.start("-port", "0", "--max-per-ip", "0", "--rate", "0")) {
            int port = listeningPort(chat, "chat");
            var peers = new ArrayList<Peer>();
            try {
                IntStream.range(0, users).forEach(i -> peers.add(Peer.named(port, "user%05d".formatted(i))));
                var asker = peers.getLast();
                asker.say("/who");
                var who = asker.skipTo(line -> line.contains(" here: "));
                System.out.printf("chat, /who among %d users: a reply of %,d bytes%n", users, who.getBytes(UTF_8).length);
                assertThat(who).startsWith(users + " here: user00000, user00001, ")
                        .endsWith("user00099 and " + (users - 100) + " more.");
            } finally {
                peers.forEach(Peer::close);
            }
        }
    }
}
