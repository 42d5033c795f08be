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
import gopl.common.GoDuration;
import gopl.common.InputBudget;
import gopl.common.TcpServer;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The book's chat server: a virtual thread per connection reads its client's lines and turns
 * them into events for the one broadcaster thread, which fans messages out to every client's
 * own writer.
 */
public final class ChatServer implements AutoCloseable {
    /**
     * The server's limits: idle time (zero: none), queue and line sizes, lines a second (zero: any),
     * and how long a client may be held to that rate without a break before it is cut off.
     */
    public record Settings(Duration idle, int buffer, int maxLine, int rate, Duration flooding) {
        public Settings(Duration idle, int buffer, int maxLine, int rate) {
            this(idle, buffer, maxLine, rate, Duration.ofSeconds(30));
        }
    }

    static final String GOODBYE = "The server is shutting down. Goodbye.";
    static final String HELP = "Commands: /who lists who is here, /me ACTION, /msg NAME TEXT (to NAME only),"
            + " /nick NAME, /quit leaves; start a line with // to send one that begins with /.";
    private static final Duration GRACE = Duration.ofSeconds(1); // for writers to flush a last word
    private static final int EVENTS = 4096; // a full queue makes the readers wait: memory stays bounded
    private static final Logger log = LoggerFactory.getLogger(ChatServer.class);

    private final TcpServer listener;
    private final Settings settings;
    private InputBudget input = InputBudget.ofHeap(); // shared by every client's LineReader
    private final BlockingQueue<Event> events = new ArrayBlockingQueue<>(EVENTS);
    private final Thread broadcaster;
    private final AtomicBoolean shutDown = new AtomicBoolean();

    private ChatServer(TcpServer listener, Settings settings) {
        this.listener = listener;
        this.settings = settings;
        this.broadcaster = Thread.ofVirtual().name("broadcaster").unstarted(new Broadcaster(events));
    }

    /** Binds {@code host:port} (0: any free port); throws ToolException if it cannot. */
    public static ChatServer listen(String host, int port, Settings settings) {
        return new ChatServer(TcpServer.listen(host, port), settings);
    }

    public int port() {
        return listener.port();
    }

    /** Speaks TLS only, on the port. Before {@link #serve}. */
    public ChatServer tls(SSLContext context) {
        listener.tls(context);
        return this;
    }

    /** Speaks TLS on a second port (0: any free one), and plain text on the first. Before {@link #serve}. */
    public ChatServer tls(SSLContext context, String host, int port) {
        listener.listenTls(host, port, context);
        return this;
    }

    /** What all clients' input may hold together beyond their small read buffers ({@link InputBudget}). Before {@link #serve}. */
    public ChatServer inputMemory(long bytes) {
        input = new InputBudget(bytes);
        return this;
    }

    /** What is left of the input budget: all of it once every client has gone. */
    long inputMemoryLeft() {
        return input.left();
    }

    /** The accept loop, for its limits, stats and counters. */
    TcpServer listener() {
        return listener;
    }

    /** On SIGINT or SIGTERM, tells every client goodbye before the connections close. */
    public ChatServer closeOnShutdown() {
        listener.closeOnShutdown(this::shutdown);
        return this;
    }

    /** The book's main: start the broadcaster, then accept until closed. */
    public void serve() {
        broadcaster.start();
        var idle = settings.idle().isZero() ? "never" : "after " + GoDuration.format(settings.idle());
        var tls = listener.secondAddress() != null ? ", and with TLS on " + listener.secondAddress() : listener.isTls() ? " with TLS" : "";
        log.info("chat listening on {}{} (idle clients leave {})", listener.address(), tls, idle);
        listener.serve(this::handle);
    }

    /** The book's handleConn. */
    private void handle(Socket socket) throws IOException, InterruptedException {
        var client = new Client(socket, settings, input);
        events.put(new Arrived(client));
        var reason = Reason.DISCONNECTED;
        try {
            reason = converse(client);
        } catch (SocketTimeoutException e) {
            reason = Reason.IDLE;
        } catch (LineReader.Flooding e) {
            reason = Reason.FLOODING;
        } catch (IOException e) {
            // The client vanished: it leaves like any other.
        } finally {
            client.releaseInput();
            events.put(new Left(client, reason, farewell(reason)));
            client.finish(GRACE);
        }
    }

    /**
     * Reads the client's lines until it quits or goes, each turned into an event: even the
     * answers that need no state go through the broadcaster, so that they come in the order of
     * the lines they answer.
     */
    private Reason converse(Client client) throws IOException, InterruptedException {
        for (String line; (line = client.readLine()) != null; ) {
            if (line == LineReader.TOO_LONG) {
                events.put(new Told(client, "Your line was longer than " + settings.maxLine() + " bytes and was not sent."));
                continue;
            }
            if (line == LineReader.NO_ROOM) {
                events.put(new Told(client, "The server is short of memory for long lines; yours was not sent."));
                continue;
            }
            int space = line.indexOf(' ');
            var command = line.startsWith("/") && !line.startsWith("//") ? line.substring(0, space < 0 ? line.length() : space) : "";
            var argument = space < 0 ? "" : line.substring(space + 1).strip();
            if (command.equals("/quit")) {
                return Reason.QUIT;
            }
            events.put(switch (command) {
                case "" -> new Said(client, line.startsWith("//") ? line.substring(1) : line);
                case "/who" -> new Who(client);
                case "/me" -> new Acted(client, argument);
                case "/msg" -> whisper(client, argument);
                case "/nick" -> new Renamed(client, argument);
                case "/help" -> new Told(client, HELP);
                default -> new Told(client, "Unknown command " + shortened(command) + ". Type /help for commands.");
            });
        }
        return Reason.DISCONNECTED;
    }

    /** {@code /msg NAME TEXT}. */
    private static Event whisper(Client client, String argument) {
        int space = argument.indexOf(' ');
        return space < 0 ? new Whispered(client, argument, "") : new Whispered(client, argument.substring(0, space), argument.substring(space + 1).strip());
    }

    /** What a leaving client is told last; null if it is gone. */
    private String farewell(Reason reason) {
        return switch (reason) {
            case QUIT -> "Bye.";
            case IDLE -> "Disconnected: nothing from you for " + GoDuration.format(settings.idle()) + ".";
            case FLOODING -> "Disconnected: more than " + settings.rate() + " lines a second for "
                    + GoDuration.format(settings.flooding()) + ".";
            case DISCONNECTED -> null;
        };
    }

    /** A command or name as much as a reply needs of it: a client cannot have its 4 KB back for each line it sends. */
    static String shortened(String text) {
        return text.codePointCount(0, text.length()) <= 24 ? text : text.substring(0, text.offsetByCodePoints(0, 24)) + "...";
    }

    /**
     * Tells every client goodbye and gives their writers a moment to deliver it. Idempotent; the
     * connections stay open until {@link #close()}.
     */
    public void shutdown() {
        if (!shutDown.compareAndSet(false, true) || !broadcaster.isAlive()) {
            return;
        }
        long deadline = System.nanoTime() + GRACE.toNanos();
        try {
            var told = new CompletableFuture<List<Client>>();
            events.put(new Shutdown(told));
            var clients = told.get(GRACE.toMillis(), TimeUnit.MILLISECONDS);
            for (var client : clients) {
                client.awaitWriter(deadline);
            }
            log.info("shut down: said goodbye to {} clients", clients.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("shutting down without saying goodbye: {}", e.toString());
        }
    }

    /** Says goodbye, closes every connection, stops the broadcaster. */
    @Override
    public void close() {
        shutdown();
        listener.close(); // the handlers end, and the broadcaster hears them leave
        broadcaster.interrupt();
    }
}
