package gopl.chat;

import static gopl.common.testing.Eventually.eventually;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each point of the chat's behaviour, over loopback, against a server in this JVM. */
class ChatServerTest {
    static final ChatServer.Settings SETTINGS = new ChatServer.Settings(Duration.ofMinutes(1), 256, 4096, 0);

    private static final String INPUT_FULL = "The server is short of memory for long lines; yours was not sent.";
    final ArrayList<AutoCloseable> open = new ArrayList<>();

    /** A server on a free port, serving on a virtual thread. */
    static ChatServer start(ChatServer.Settings settings) {
        var server = ChatServer.listen("localhost", 0, settings);
        Thread.ofVirtual().start(server::serve);
        return server;
    }

    int serve(ChatServer.Settings settings) {
        var server = start(settings);
        open.add(server);
        return server.port();
    }

    /** A server whose clients' input may hold {@code inputMemory} bytes together (InputBudget). */
    ChatServer serveWithInput(ChatServer.Settings settings, long inputMemory) {
        var server = ChatServer.listen("localhost", 0, settings).inputMemory(inputMemory);
        open.add(server);
        Thread.ofVirtual().start(server::serve);
        return server;
    }

    Peer named(int port, String name) {
        var peer = Peer.named(port, name);
        open.add(peer);
        return peer;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (var closeable : open.reversed()) {
            closeable.close();
        }
    }

    @Test
    void linesGoToEveryoneUnderTheSendersNameAndComingsAndGoingsAreAnnounced() {
        int port = serve(SETTINGS);
        var alice = named(port, "alice");
        var bob = named(port, "bob");
        alice.expect("bob has arrived");
        bob.say("hi, alice");
        alice.expect("bob: hi, alice");
        bob.expect("bob: hi, alice"); // as in the book, the sender sees its line in everyone's order
        bob.close();
        alice.expect("bob has left");
    }

    @Test
    void aNewcomerIsToldWhoIsHere() {
        int port = serve(SETTINGS);
        var first = new Peer(port);
        open.add(first);
        first.expect("Welcome! What is your name?");
        first.say("alice");
        first.expect("You are alice. Nobody else is here yet. Type /help for commands.");
        named(port, "bob");
        var carol = new Peer(port);
        open.add(carol);
        carol.expect("Welcome! What is your name?");
        carol.say("carol");
        carol.expect("You are carol. 2 others are here: alice, bob. Type /help for commands.");
    }

    @Test
    void emptyOverlongOddAndTakenNamesAreRefusedAndAskedAgain() {
        int port = serve(SETTINGS);
        var alice = named(port, "alice");
        var newcomer = new Peer(port);
        open.add(newcomer);
        newcomer.expect("Welcome! What is your name?");
        newcomer.say("   ");
        newcomer.expect("A name cannot be empty. What is your name?");
        newcomer.say("x".repeat(33));
        newcomer.expect("A name has at most 32 characters. What is your name?");
        newcomer.say("bob smith");
        newcomer.expect("A name cannot contain spaces or odd characters, nor start with /. What is your name?");
        newcomer.say("ALICE");
        newcomer.expect("ALICE is taken. What is your name?");
        newcomer.say("hello everyone"); // nothing reaches the others before a name is accepted
        newcomer.expect("A name cannot contain spaces or odd characters, nor start with /. What is your name?");
        newcomer.say(" Zoë ");
        newcomer.expect("You are Zoë. 1 other is here: alice. Type /help for commands.");
        alice.expect("Zoë has arrived");
    }

    @Test
    void clientsRacingForOneNameGetItOnce() throws Exception {
        int port = serve(SETTINGS);
        var peers = IntStream.range(0, 20).mapToObj(i -> new Peer(port)).toList();
        open.addAll(peers);
        peers.forEach(peer -> peer.expect("Welcome! What is your name?"));
        var go = new CountDownLatch(1);
        var threads = peers.stream().map(peer -> Thread.ofVirtual().start(() -> {
            try {
                go.await();
                peer.say("sam");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        })).toList();
        go.countDown();
        for (var thread : threads) {
            thread.join();
        }
        var answers = peers.stream().map(Peer::next).toList();
        assertThat(answers).filteredOn(a -> a.startsWith("You are sam.")).hasSize(1);
        assertThat(answers).filteredOn(a -> a.equals("sam is taken. What is your name?")).hasSize(19);
    }

    @Test
    void anIdleClientIsDisconnectedAndItsDepartureAnnounced() throws Exception {
        int port = serve(new ChatServer.Settings(Duration.ofSeconds(1), 256, 4096, 0));
        var alice = named(port, "alice");
        var bob = named(port, "bob");
        var talking = Thread.ofVirtual().start(() -> {
            for (int i = 0; i < 25 && !Thread.currentThread().isInterrupted(); i++) {
                bob.say("tick " + i); // bob keeps talking, so only alice is idle
                sleep(100);
            }
        });
        alice.skipTo("Disconnected: nothing from you for 1s.");
        alice.expect(Peer.EOF);
        bob.skipTo("alice has left (idle)");
        bob.say("/who");
        assertThat(bob.skipTo(line -> line.contains(" here: "))).isEqualTo("1 here: bob");
        talking.interrupt();
        talking.join();

        var silent = new Peer(port); // never even gives a name
        open.add(silent);
        silent.expect("Welcome! What is your name?");
        silent.expect("Disconnected: nothing from you for 1s.");
        silent.expect(Peer.EOF);
    }

    @Test
    void whoMeNickHelpAndUnknownCommands() {
        int port = serve(SETTINGS);
        var alice = named(port, "alice");
        var bob = named(port, "bob");
        alice.expect("bob has arrived");
        bob.say("/who");
        bob.expect("2 here: alice, bob");
        bob.say("/me waves");
        alice.expect("* bob waves");
        bob.say("/nick alice");
        bob.expect("* bob waves");
        bob.expect("alice is taken.");
        bob.say("/nick Robert");
        alice.expect("bob is now Robert");
        bob.say("//etc/passwd is a path");
        alice.expect("Robert: /etc/passwd is a path");
        bob.say("/shrug");
        bob.skipTo("Unknown command /shrug. Type /help for commands.");
        bob.say("/help");
        bob.expect(ChatServer.HELP);
        alice.say("/quit");
        alice.expect("Bye.");
        alice.expect(Peer.EOF);
        bob.skipTo("alice has left");
    }

    @Test
    void overlongLinesAreRefusedWithoutHarmToAnyone() {
        int port = serve(new ChatServer.Settings(Duration.ofMinutes(1), 256, 100, 0));
        var alice = named(port, "alice");
        var bob = named(port, "bob");
        var huge = new byte[1 << 20];
        Arrays.fill(huge, (byte) 'x');
        alice.send(huge); // a megabyte with no newline: the server keeps at most 100 bytes of it
        alice.say("");
        alice.say("y".repeat(101));
        alice.say("z".repeat(100));
        alice.skipTo("Your line was longer than 100 bytes and was not sent.");
        alice.expect("Your line was longer than 100 bytes and was not sent.");
        alice.expect("alice: " + "z".repeat(100));
        bob.expect("alice: " + "z".repeat(100));
    }

    @Test
    void invalidUtf8AndTerminalControlsArriveHarmless() throws Exception {
        int port = serve(SETTINGS);
        var alice = named(port, "alice");
        var bob = named(port, "bob");
        var line = new ByteArrayOutputStream();
        line.write("café ".getBytes(UTF_8));
        line.write(new byte[] {(byte) 0xff, (byte) 0xfe, ' ', 0x1b});
        line.write("[2J\u0007\ttab\r\n".getBytes(UTF_8));
        alice.send(line.toByteArray());
        bob.skipTo("alice: café \uFFFD\uFFFD \uFFFD[2J\uFFFD\ttab");
    }

    @Test
    void vanishedAndHalfClosedClientsLeave() throws Exception {
        int port = serve(SETTINGS);
        var alice = named(port, "alice");
        var bob = named(port, "bob");
        var carol = named(port, "carol");
        bob.socket.setSoLinger(true, 0);
        bob.close(); // a reset, as when the client's machine goes away
        alice.skipTo("bob has left");
        carol.socket.shutdownOutput(); // Ctrl-D in netcat
        carol.skipToEnd();
        alice.expect("carol has left");
        alice.say("/who");
        alice.expect("1 here: alice");
    }

    @Test
    void shutdownSaysGoodbyeToEveryoneThenCloses() {
        var server = start(SETTINGS);
        var alice = named(server.port(), "alice");
        var nameless = new Peer(server.port());
        open.add(nameless);
        nameless.expect("Welcome! What is your name?");
        server.close();
        alice.skipTo(ChatServer.GOODBYE);
        alice.expect(Peer.EOF);
        nameless.expect(ChatServer.GOODBYE);
        nameless.expect(Peer.EOF);
    }

    @Test
    void withTheBudgetSpentLongLinesAreDroppedWithAWordAndShortOnesStillGo() {
        var server = serveWithInput(SETTINGS, 0);
        var alice = named(server.port(), "alice");
        alice.say("x".repeat(3000));
        alice.expect(INPUT_FULL);
        alice.say("short lines come whole in one read");
        alice.expect("alice: short lines come whole in one read");
    }

    @Test
    void longLinesGoWhileThereIsRoomAndTheBudgetIsWholeAgainWhenTheirSendersGo() {
        var server = serveWithInput(SETTINGS, 1 << 20);
        var alice = named(server.port(), "alice");
        var bob = named(server.port(), "bob");
        alice.skipTo("bob has arrived");
        var line = "y".repeat(4000);
        for (int i = 0; i < 5; i++) {
            bob.say(line);
            assertThat(alice.next()).isEqualTo("bob: " + line);
        }
        bob.send("z".repeat(3000).getBytes(UTF_8)); // a last line without its newline, sent as it goes
        bob.close();
        alice.skipTo("bob has left");
        alice.close();
        eventually(Duration.ofSeconds(20), "the whole budget given back", () -> server.inputMemoryLeft() == 1 << 20);
    }

    @Test
    void aClientIdleInTheMiddleOfALongLineGivesItsBudgetBack() throws Exception {
        var server = serveWithInput(new ChatServer.Settings(Duration.ofMillis(300), 256, 4096, 0), 1 << 20);
        try (var idle = new Socket("localhost", server.port())) {
            idle.getOutputStream().write("w".repeat(4000).getBytes(UTF_8));
            eventually(Duration.ofSeconds(20), "the line held", () -> server.inputMemoryLeft() < 1 << 20);
            var farewell = new String(idle.getInputStream().readAllBytes(), UTF_8);
            assertThat(farewell).endsWith("Disconnected: nothing from you for 300ms.\n");
        }
        eventually(Duration.ofSeconds(20), "the whole budget given back", () -> server.inputMemoryLeft() == 1 << 20);
    }
    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
