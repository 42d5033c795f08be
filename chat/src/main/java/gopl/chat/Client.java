package gopl.chat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * One connection: its input, read a line at a time under the server's limits (idle time, line
 * length, flood rate), and its output, the book's {@code clientWriter}: a bounded queue drained by
 * its own virtual thread, so whoever sends to a client never waits for it.
 */
final class Client {
    /** Queued after a client's last line: the writer flushes what came before, then stops. */
    private static final byte[] END = new byte[0];
    /** What nextLine returns for a line over the cap; compared by identity. */
    private static final String TOO_LONG = new String("(too long)");
    private static final Pattern REORDERING = Pattern.compile("[\u202A-\u202E\u2066-\u2069\u2028\u2029]");
    private static final int READ_BUFFER = 1024; // chat lines are short; longer ones span reads

    private final Socket socket;
    private final InputStream in;
    private final ChatServer.Settings settings;
    private final String address;
    private final BlockingQueue<byte[]> outgoing;
    private final AtomicLong missed = new AtomicLong(); // dropped since the writer last said so
    private final AtomicLong dropped = new AtomicLong(); // dropped in all, for the log
    private final Thread writer;

    private final byte[] buffer = new byte[READ_BUFFER];
    private int start;
    private int end;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private long paceTime = System.nanoTime(); // flood control, see pace()
    private boolean throttled;
    private long throttledSince;

    /** Owned by the broadcaster: null until a name is accepted. */
    String name;

    Client(Socket socket, ChatServer.Settings settings) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.settings = settings;
        this.address = socket.getInetAddress().getHostAddress() + ":" + socket.getPort();
        this.outgoing = new ArrayBlockingQueue<>(settings.buffer());
        socket.setTcpNoDelay(true); // the writer batches lines itself; Nagle would only add delay
        this.writer = Thread.ofVirtual().name("writer " + address).start(this::write);
    }

    String address() {
        return address;
    }

    static byte[] encode(String line) {
        return (line + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Queues a line without waiting; when the queue is full the line is dropped and counted. */
    boolean send(byte[] line) {
        if (outgoing.offer(line)) {
            return true;
        }
        missed.incrementAndGet();
        dropped.incrementAndGet();
        return false;
    }

    /** Lines this client lost because it read too slowly. */
    long dropped() {
        return dropped.get();
    }

    boolean send(String line) {
        return send(encode(line));
    }

    /** Queues a last line; the writer stops after it. */
    void sendLast(String line) {
        send(line);
        outgoing.offer(END);
    }

    /**
     * Lets the writer flush what is queued, for at most {@code grace}; a client that is not
     * reading is cut off then (interrupting a virtual thread in a socket write closes the socket).
     */
    void finish(Duration grace) throws InterruptedException {
        outgoing.offer(END);
        awaitWriter(System.nanoTime() + grace.toNanos());
        writer.interrupt();
    }

    /** Waits until the writer has stopped or the deadline ({@link System#nanoTime()}) has passed. */
    void awaitWriter(long deadline) throws InterruptedException {
        long left = deadline - System.nanoTime();
        if (left > 0) {
            writer.join(Duration.ofNanos(left));
        }
    }

    /** The book's clientWriter, writing everything queued at once: one system call, not one per line. */
    private void write() {
        try {
            var out = socket.getOutputStream();
            while (true) {
                var first = outgoing.take();
                var batch = new ArrayList<byte[]>(); // not kept across waits: idle clients hold no batch
                batch.add(first);
                outgoing.drainTo(batch);
                long lost = missed.getAndSet(0);
                if (lost > 0) {
                    batch.add(encode("(you missed " + lost + " messages: you were reading too slowly)"));
                }
                int last = batch.indexOf(END);
                out.write(join(last < 0 ? batch : batch.subList(0, last)));
                if (last >= 0) {
                    return;
                }
            }
        } catch (IOException e) {
            close(); // the client vanished: wake its reader so that it leaves
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] join(List<byte[]> lines) {
        if (lines.size() == 1) {
            return lines.getFirst();
        }
        int length = 0;
        for (var line : lines) {
            length += line.length;
        }
        var joined = new byte[length];
        int at = 0;
        for (var line : lines) {
            System.arraycopy(line, 0, joined, at, line.length);
            at += line.length;
        }
        return joined;
    }

    void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing is all we wanted.
        }
    }

    /**
     * The next line the client sends, with invalid UTF-8 replaced and control characters made
     * harmless; null at the end of input. Lines over the length cap are refused here, without
     * ever holding more than the cap in memory.
     *
     * @throws SocketTimeoutException if no whole line comes within the idle time
     */
    String readLine() throws IOException, InterruptedException {
        while (true) {
            long deadline = settings.idle().isZero() ? 0 : System.nanoTime() + settings.idle().toNanos();
            var line = nextLine(deadline);
            if (line == null) {
                return null;
            }
            if (line != TOO_LONG) {
                pace();
                return clean(line);
            }
            send("Your line was longer than " + settings.maxLine() + " bytes and was not sent.");
        }
    }

    /** The next line as sent; {@link #TOO_LONG} if it was over the cap (and skipped); null at the end. */
    private String nextLine(long deadline) throws IOException {
        partial.reset();
        boolean tooLong = false;
        while (true) {
            if (start == end && !fill(deadline)) {
                return partial.size() > 0 && !tooLong ? partial.toString(StandardCharsets.UTF_8) : null;
            }
            int newline = indexOf('\n');
            int stop = newline < 0 ? end : newline;
            tooLong |= partial.size() + stop - start > settings.maxLine();
            if (!tooLong) {
                partial.write(buffer, start, stop - start);
            }
            start = newline < 0 ? end : newline + 1;
            if (newline >= 0) {
                return tooLong ? TOO_LONG : partial.toString(StandardCharsets.UTF_8);
            }
        }
    }

    private boolean fill(long deadline) throws IOException {
        if (deadline != 0) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                throw new SocketTimeoutException("idle");
            }
            socket.setSoTimeout((int) Math.min(left, Integer.MAX_VALUE));
        }
        int n = in.read(buffer);
        start = 0;
        end = Math.max(n, 0);
        return n > 0;
    }

    private int indexOf(char c) {
        for (int i = start; i < end; i++) {
            if (buffer[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Flood control (a token bucket): a client may send {@code rate} lines at once and then
     * {@code rate} a second. A faster one is simply read more slowly, so TCP holds it back and the
     * others' messages are not crowded out; one held back without a break for {@code flooding} is
     * cut off, or it could keep the chat busy long after it has gone.
     */
    private void pace() throws InterruptedException, Flooding {
        if (settings.rate() == 0) {
            return;
        }
        long interval = TimeUnit.SECONDS.toNanos(1) / settings.rate();
        long now = System.nanoTime();
        paceTime = Math.max(paceTime, now) + interval;
        long wait = paceTime - now - settings.rate() * interval;
        if (wait <= 0) {
            throttled = false;
            return;
        }
        if (!throttled) {
            throttled = true;
            throttledSince = now;
        } else if (now - throttledSince > settings.flooding().toNanos()) {
            throw new Flooding();
        }
        Thread.sleep(Duration.ofNanos(wait));
    }

    /**
     * Chat text as others will see it: bidi embeddings, overrides and isolates and the line and
     * paragraph separators replaced, so that a line cannot reorder or break what is around it.
     * (A name with them is refused instead, see Names.)
     */
    static String flat(String text) {
        return REORDERING.matcher(text).replaceAll("\uFFFD");
    }

    /** A client that kept sending faster than the rate for too long. */
    static final class Flooding extends IOException {
        Flooding() {
            super("flooding");
        }
    }

    /** Drops a trailing CR (telnet) and replaces control characters, so nobody's terminal obeys them. */
    static String clean(String line) {
        if (line.endsWith("\r")) {
            line = line.substring(0, line.length() - 1);
        }
        char[] chars = null;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if ((c < 0x20 && c != '\t') || (c >= 0x7f && c < 0xa0)) {
                if (chars == null) {
                    chars = line.toCharArray();
                }
                chars[i] = '\uFFFD';
            }
        }
        return chars == null ? line : new String(chars);
    }
}
