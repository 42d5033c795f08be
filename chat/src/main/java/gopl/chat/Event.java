package gopl.chat;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What the connection handlers tell the broadcaster: the book's three channels ({@code entering},
 * {@code leaving}, {@code messages}) folded into one queue of one sealed type, so the
 * broadcaster's {@code select} becomes a {@code switch} over the event.
 */
sealed interface Event {
    /** A connection opened; the client has no name yet, its first lines are name attempts. */
    record Arrived(Client client) implements Event {}

    /** A line of chat, or a name attempt while the client has no name. */
    record Said(Client client, String text) implements Event {}

    /** {@code /me waves}. */
    record Acted(Client client, String action) implements Event {}

    /** {@code /nick bob}. */
    record Renamed(Client client, String name) implements Event {}

    /** {@code /who}. */
    record Who(Client client) implements Event {}

    /** {@code /msg bob see you at 5}: a line for one other client only. */
    record Whispered(Client client, String to, String text) implements Event {}

    /** An answer for the client alone (help, an unknown command), in order with the chat's lines to it. */
    record Told(Client client, String line) implements Event {}

    /**
     * The connection is ending; the broadcaster forgets the client and announces it, then sends
     * the client's {@code farewell} (if not null) as its last line: after every answer to what it
     * sent before it went.
     */
    record Left(Client client, Reason reason, String farewell) implements Event {}

    /** Say goodbye to everyone; {@code told} receives the clients that were told. */
    record Shutdown(CompletableFuture<List<Client>> told) implements Event {}

    /** Why a client left: for the log, and what the others are told besides "alice has left". */
    enum Reason {
        QUIT("quit", ""),
        IDLE("idle", " (idle)"),
        FLOODING("flooding", " (flooding)"),
        DISCONNECTED("disconnected", "");

        final String label;
        final String announced;

        Reason(String label, String announced) {
            this.label = label;
            this.announced = announced;
        }
    }
}
