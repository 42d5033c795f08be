package gopl.chat;

import gopl.chat.Event.Acted;
import gopl.chat.Event.Arrived;
import gopl.chat.Event.Left;
import gopl.chat.Event.Reason;
import gopl.chat.Event.Renamed;
import gopl.chat.Event.Said;
import gopl.chat.Event.Shutdown;
import gopl.chat.Event.Told;
import gopl.chat.Event.Whispered;
import gopl.chat.Event.Who;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
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
    private static final String ASK_NAME = "What is your name?";
    private static final int GREETING_NAMES = 20; // a newcomer among thousands gets a sample
    // /who lists this many: a list of 10,000 names would cost the broadcaster 100 KB of work and the
    // asker's queue 100 KB a line, and a client could ask 20 times a second without reading.
    private static final int WHO_NAMES = 100;
    private static final Logger log = LoggerFactory.getLogger(Broadcaster.class);

    private final BlockingQueue<Event> events;
    private final Set<Client> clients = new HashSet<>(); // everyone connected, named or not
    private final NavigableMap<String, Client> names = new TreeMap<>(String.CASE_INSENSITIVE_ORDER); // who is here
    private final Map<String, Client> keys = new HashMap<>(); // Names.keys: bob, BOB, bоb and ЬоЬ clash
    private boolean closing;

    Broadcaster(BlockingQueue<Event> events) {
        this.events = events;
    }

    @Override
    public void run() {
        try {
            while (true) {
                var event = events.take();
                try {
                    handle(event);
                } catch (RuntimeException e) { // a bug: one event lost, not the whole chat
                    log.error("while handling {}", event, e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the server is closing
        }
    }

    /** The book's select: one event at a time, so nothing here needs a lock. */
    private void handle(Event event) {
        switch (event) {
            case Arrived(var client) -> arrive(client);
            case Left(var client, var reason, var farewell) -> {
                leave(client, reason);
                client.sendLast(farewell);
            }
            case Shutdown(var told) -> shutdown(told);
            case Told(var client, var line) -> client.send(line);
            case Who(var client) -> client.send(who());
            case Said(var client, var text) when client.name == null -> name(client, text);
            case Renamed(var client, var name) when client.name == null -> name(client, name);
            case Acted(var client, _) when client.name == null -> client.send(ASK_NAME);
            case Whispered(var client, _, _) when client.name == null -> client.send(ASK_NAME);
            case Said(var client, var text) -> {
                if (!text.isBlank()) {
                    broadcast(client.name + ": " + Client.flat(text));
                }
            }
            case Acted(var client, var action) -> broadcast("* " + client.name + " " + Client.flat(action));
            case Renamed(var client, var name) -> rename(client, name);
            case Whispered(var client, var to, var text) -> whisper(client, to, text);
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
    private void name(Client client, String typed) {
        var name = Names.normalize(typed);
        var refusal = refusal(name, client);
        if (refusal != null) {
            client.send(refusal + " " + ASK_NAME);
            return;
        }
        client.send("You are " + name + ". " + present() + " Type /help for commands.");
        broadcast(name + " has arrived");
        take(client, name);
        log.info("{} arrived from {} ({} here)", name, client.address(), names.size());
    }

    private void rename(Client client, String typed) {
        var name = Names.normalize(typed);
        var refusal = name.equals(client.name) ? "You are already " + name + "." : refusal(name, client);
        if (refusal != null) {
            client.send(refusal);
            return;
        }
        forget(client);
        broadcast(client.name + " is now " + name);
        log.info("{} is now {}", client.name, name);
        take(client, name);
    }

    private void take(Client client, String name) {
        client.name = name;
        names.put(name, client);
        Names.keys(name).forEach(key -> keys.put(key, client));
    }

    /** Forgets the client's name; false if it had none. */
    private boolean forget(Client client) {
        if (client.name == null || names.remove(client.name) == null) {
            return false;
        }
        Names.keys(client.name).forEach(keys::remove);
        return true;
    }

    /** Why {@code asker} cannot have this name, or null if it can (it may change the case of its own). */
    private String refusal(String name, Client asker) {
        var refusal = Names.refusal(name);
        if (refusal != null) {
            return refusal;
        }
        var holder = Names.keys(name).stream().map(keys::get).filter(c -> c != null && c != asker).findFirst().orElse(null);
        if (holder == null) {
            return null;
        }
        return name.equalsIgnoreCase(holder.name) ? name + " is taken." : name + " looks like " + holder.name + ", who is here.";
    }

    /**
     * {@code /msg}: the line goes to the one client, and back to the sender to show it went; nobody
     * else sees it, and the log does not say what it was. It is a line like any other for flood
     * control (the sender's rate) and for slow readers (dropped when the recipient's queue is full).
     */
    private void whisper(Client from, String to, String text) {
        if (to.isEmpty() || text.isBlank()) {
            from.send("Say /msg NAME TEXT to send TEXT to NAME alone.");
            return;
        }
        var target = named(to);
        if (target == null) {
            from.send("Nobody called " + Client.flat(ChatServer.shortened(to)) + " is here.");
        } else if (target == from) {
            from.send("That is you: /msg sends to someone else.");
        } else {
            var line = Client.flat(text);
            target.send(from.name + " (privately): " + line);
            from.send(from.name + " (privately to " + target.name + "): " + line);
        }
    }

    /**
     * Who a name typed by someone else means: the client of that name, in any case; else the one
     * whose name looks like it (the same confusable skeleton), since no two names here look
     * alike: {@code /msg bоb} with a Cyrillic {@code о}, or {@code /msg B0B}, reach bob. Null if
     * nobody here is called that.
     */
    private Client named(String typed) {
        var exact = names.get(typed);
        if (exact != null || typed.codePointCount(0, typed.length()) > Names.MAX) {
            return exact;
        }
        var holders = Names.keys(Names.normalize(typed)).stream().map(keys::get).filter(c -> c != null).distinct().toList();
        return holders.size() == 1 ? holders.getFirst() : null;
    }

    private void leave(Client client, Reason reason) {
        clients.remove(client);
        if (!forget(client)) {
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

    /** Who is here, alphabetically: the first {@link #WHO_NAMES}, and how many more. */
    private String who() {
        var first = names.keySet().stream().limit(WHO_NAMES).toList();
        var more = names.size() > first.size() ? " and " + (names.size() - first.size()) + " more." : "";
        return names.size() + " here: " + String.join(", ", first) + more;
    }

    /** 8.12: who a newcomer finds here. */
    private String present() {
        if (names.isEmpty()) {
            return "Nobody else is here yet.";
        }
        var sample = names.keySet().stream().limit(GREETING_NAMES).toList();
        var more = names.size() > sample.size() ? " and " + (names.size() - sample.size()) + " more" : "";
        return (names.size() == 1 ? "1 other is here: " : names.size() + " others are here: ")
                + String.join(", ", sample) + more + ".";
    }
}
