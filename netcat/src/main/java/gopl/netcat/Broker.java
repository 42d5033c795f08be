package gopl.netcat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * ncat's {@code --broker}: every client that connects hears what every other client sends, and
 * what arrives on stdin; the broker's own stdout stays quiet. It is the book's chat server (8.12)
 * without names: a virtual thread reads each client and one writes to it from a bounded queue, so
 * a client that stops reading is dropped instead of holding up the others.
 */
final class Broker {
    /** Chunks waiting for one client before it counts as too slow and is dropped. */
    private static final int BACKLOG = 256;
    /** How long a TLS client may take over its handshake. */
    private static final Duration HANDSHAKE = Duration.ofSeconds(10);
    private static final int CHUNK = 16 * 1024;

    private final Listener listener;
    private final int maxClients;
    private final Consumer<String> verbose;
    private final Consumer<String> warn;
    private final Set<Client> clients = ConcurrentHashMap.newKeySet();

    /**
     * @param verbose nc's -v lines (connections)
     * @param warn what every user should see (a client dropped, a failed TLS handshake)
     */
    Broker(Listener listener, int maxClients, Consumer<String> verbose, Consumer<String> warn) {
        this.listener = listener;
        this.maxClients = maxClients;
        this.verbose = verbose;
        this.warn = warn;
    }

    /** One connected client and what is still to be sent to it. */
    private final class Client {
        final Listener.Client connection;
        final BlockingQueue<byte[]> outbox = new ArrayBlockingQueue<>(BACKLOG);

        Client(Listener.Client connection) {
            this.connection = connection;
        }

        /** Reads the client and hands each chunk to the others, until it leaves. */
        void handle() {
            Thread writer = null;
            try (var link = connection.link()) {
                link.handshake(HANDSHAKE);
                writer = Thread.ofVirtual().name("broker-write").start(this::write);
                var buffer = ByteBuffer.allocate(CHUNK);
                for (int n; (n = link.read(buffer.clear())) >= 0; ) {
                    broadcast(this, Arrays.copyOf(buffer.array(), n));
                }
            } catch (IOException e) {
                if (clients.contains(this)) { // not dropped already, which closed the link under us
                    warn.accept(connection.name() + ": " + Report.describe(e));
                }
            } finally {
                leave(this);
                if (writer != null) {
                    writer.interrupt();
                }
            }
        }

        private void write() {
            try {
                while (true) {
                    connection.link().write(ByteBuffer.wrap(outbox.take()));
                }
            } catch (IOException | InterruptedException e) {
                leave(this); // gone, or dropped: closing the link ends the reader too
            }
        }
    }

    /**
     * Serves clients until the listener closes, sending stdin to all of them. As with ncat, stdin
     * is read only once the first client is there to hear it.
     */
    void run(InputStream stdin) throws IOException {
        boolean relaying = false;
        while (true) {
            var connection = listener.accept(null);
            if (clients.size() >= maxClients) {
                warn.accept(connection.name() + ": refused: --max-conns " + maxClients + " reached");
                connection.link().close();
                continue;
            }
            var client = new Client(connection);
            clients.add(client); // before saying so: from then on it hears the others
            verbose.accept(connection.received());
            Thread.ofVirtual().name("broker-read").start(client::handle);
            if (!relaying) {
                Thread.ofPlatform().daemon().name("broker-stdin").start(() -> relay(stdin));
                relaying = true;
            }
        }
    }

    private void relay(InputStream stdin) {
        var buffer = new byte[CHUNK];
        try {
            for (int n; (n = stdin.read(buffer)) >= 0; ) {
                broadcast(null, Arrays.copyOf(buffer, n));
            }
        } catch (IOException e) {
            // Stdin gone: the clients still talk among themselves, as with ncat.
        }
    }

    private void broadcast(Client from, byte[] chunk) {
        for (var client : clients) {
            if (client != from && !client.outbox.offer(chunk)) {
                warn.accept(client.connection.name() + ": dropped, it stopped reading");
                leave(client);
            }
        }
    }

    private void leave(Client client) {
        if (clients.remove(client)) {
            try {
                client.connection.link().close();
            } catch (IOException ignored) {
                // Already gone.
            }
        }
    }
}
