package gopl.chat;

import gopl.chat.Event.Acted;
import gopl.chat.Event.Arrived;
import gopl.chat.Event.Left;
import gopl.chat.Event.Reason;
import gopl.chat.Event.Renamed;
import gopl.chat.Event.Said;
import gopl.chat.Event.Shutdown;
import gopl.chat.Event.Who;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The book's broadcaster: the only owner of who is connected and who is called what, so no lock
 * guards them and two clients can never take the same name. It never waits for a client: it
 * offers each line to each client's queue, and a full queue loses the line (Client.send).
 */
final class Broadcaster implements Runnable {
    private static final int MAX_NAME = 32;
    private static final String ASK_NAME = "What is your name?";
    private static final int GREETING_NAMES = 20; // a newcomer among thousands gets a sample, /who has all
    private static final Logger log = LoggerFactory.getLogger(Broadcaster.class);

    private final BlockingQueue<Event> events;
    private final Set<Client> clients = new HashSet<>(); // everyone connected, named or not
    private final Map<String, Client> names = new TreeMap<>(String.CASE_INSENSITIVE_ORDER); // Alice is alice
    private boolean closing;

    Broadcaster(BlockingQueue<Event> events) {
        this.events = events;
    }

    @Override
    public void run() {
        try {
            while (true) {
                handle(events.take());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the server is closing
        }
    }

    /** The book's select: one event at a time, so nothing here needs a lock. */
    private void handle(Event event) {
        switch (event) {
            case Arrived(var client) -> arrive(client);
            case Left(var client, var reason) -> leave(client, reason);
            case Shutdown(var told) -> shutdown(told);
            case Who(var client) -> client.send(who());
            case Said(var client, var text) when client.name == null -> name(client, text);
            case Renamed(var client, var name) when client.name == null -> name(client, name);
            case Acted(var client, _) when client.name == null -> client.send(ASK_NAME);
            case Said(var client, var text) -> {
                if (!text.isBlank()) {
                    broadcast(client.name + ": " + text);
                }
            }
            case Acted(var client, var action) -> broadcast("* " + client.name + " " + action);
            case Renamed(var client, var name) -> rename(client, name);
        }
    }

    private void arrive(Client client) {
        clients.add(client);
        if (closing) {
            client.sendLast(ChatServer.GOODBYE);
        } else {
            client.send("Welcome! " + ASK_NAME);
        }
    }

    /** Everyone's last line; from now on, newcomers get only that. */
    private void shutdown(CompletableFuture<List<Client>> told) {
        closing = true;
        clients.forEach(client -> client.sendLast(ChatServer.GOODBYE));
        told.complete(List.copyOf(clients));
    }

    /** 8.14: a name attempt; the first acceptable one admits the client to the chat. */
    private void name(Client client, String name) {
        name = name.strip();
        var refusal = refusal(name, client);
        if (refusal != null) {
            client.send(refusal + " " + ASK_NAME);
            return;
        }
        client.send("You are " + name + ". " + present() + " Type /help for commands.");
        broadcast(name + " has arrived");
        client.name = name;
        names.put(name, client);
        log.info("{} arrived from {} ({} here)", name, client.address(), names.size());
    }

    private void rename(Client client, String name) {
        name = name.strip();
        var refusal = name.equals(client.name) ? "You are already " + name + "." : refusal(name, client);
        if (refusal != null) {
            client.send(refusal);
            return;
        }
        names.remove(client.name);
        broadcast(client.name + " is now " + name);
        log.info("{} is now {}", client.name, name);
        client.name = name;
        names.put(name, client);
    }

    /** Why {@code asker} cannot have this name, or null if it can (it may change the case of its own). */
    private String refusal(String name, Client asker) {
        if (name.isEmpty()) {
            return "A name cannot be empty.";
        }
        if (name.codePointCount(0, name.length()) > MAX_NAME) {
            return "A name has at most " + MAX_NAME + " characters.";
        }
        if (name.chars().anyMatch(c -> Character.isWhitespace(c) || c == '\uFFFD') || name.startsWith("/")) {
            return "A name cannot contain spaces or odd characters, nor start with /.";
        }
        var holder = names.get(name);
        if (holder != null && holder != asker) {
            return name + " is taken.";
        }
        return null;
    }

    private void leave(Client client, Reason reason) {
        clients.remove(client);
        if (client.name == null || names.remove(client.name) == null) {
            return; // never named: nobody knew it was here
        }
        if (closing) {
            return; // everyone is leaving: the server logs one line for all
        }
        var lost = client.dropped() > 0 ? ", " + client.dropped() + " messages dropped" : "";
        log.info("{} left: {} ({} here{})", client.name, reason.label, names.size(), lost);
        broadcast(client.name + " has left" + reason.announced);
    }

    /** Encodes once, then offers to everyone: a stuck client costs one failed offer. */
    private void broadcast(String line) {
        var bytes = Client.encode(line);
        for (var client : names.values()) {
            client.send(bytes);
        }
    }

    private String who() {
        return names.size() + " here: " + String.join(", ", names.keySet());
    }

    /** 8.12: who a newcomer finds here. */
    private String present() {
        if (names.isEmpty()) {
            return "Nobody else is here yet.";
        }
        var sample = names.keySet().stream().limit(GREETING_NAMES).toList();
        var more = names.size() > sample.size() ? " and " + (names.size() - sample.size()) + " more (/who lists all)" : "";
        return (names.size() == 1 ? "1 other is here: " : names.size() + " others are here: ")
                + String.join(", ", sample) + more + ".";
    }
}
