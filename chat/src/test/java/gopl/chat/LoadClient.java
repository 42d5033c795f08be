package gopl.chat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** One client of the load generator: a socket, and a reader that parses lines straight from bytes. */
final class LoadClient {
    private final LoadGenerator owner;
    private final int index;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] buffer = new byte[4096];
    private int start;
    private int end;
    private boolean warm;

    LoadClient(LoadGenerator owner, int index, int port, boolean named) throws IOException {
        this.owner = owner;
        this.index = index;
        this.socket = connect(port);
        socket.setTcpNoDelay(true);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        if (named) { // ours asks a name; the book names a client by its address
            nextLine(); // Welcome! What is your name?
            send(("b" + index + "\n").getBytes(StandardCharsets.US_ASCII));
            while (!nextLine().startsWith("You are ")) {
                // Skip the refusals that cannot happen with unique names.
            }
        } else {
            nextLine(); // You are 127.0.0.1:PORT
        }
    }

    private static Socket connect(int port) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return new Socket("localhost", port);
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(100); // the server may still be starting
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    synchronized void send(byte[] line) {
        try {
            out.write(line);
        } catch (IOException e) {
            throw new IllegalStateException("client " + index + ": " + e, e);
        }
    }

    private String nextLine() throws IOException {
        while (true) {
            for (int i = start; i < end; i++) {
                if (buffer[i] == '\n') {
                    var line = new String(buffer, start, i - start, StandardCharsets.UTF_8);
                    start = i + 1;
                    return line;
                }
            }
            if (!fill()) {
                throw new IOException("server closed the connection");
            }
        }
    }

    private boolean fill() throws IOException {
        System.arraycopy(buffer, start, buffer, 0, end - start);
        end -= start;
        start = 0;
        if (end == buffer.length) {
            end = 0; // a line longer than the buffer is not ours: drop it
        }
        int n = in.read(buffer, end, buffer.length - end);
        end += Math.max(n, 0);
        return n > 0;
    }

    void listen() {
        try {
            while (true) {
                for (int i = start; i < end; i++) {
                    if (buffer[i] == '\n') {
                        line(start, i);
                        start = i + 1;
                    }
                }
                if (!fill()) {
                    return;
                }
            }
        } catch (IOException e) {
            // Closed at the end of the run.
        }
    }

    /** A line in buffer[from, to): "NAME: #phase:sender:nanos", or a warm-up marker "NAME: ~number". */
    private void line(int from, int to) {
        long now = System.nanoTime();
        int hash = to - 1;
        while (hash >= from && buffer[hash] != '#' && buffer[hash] != '~') {
            hash--;
        }
        if (hash < from) {
            return; // an arrival, or anything else
        }
        if (buffer[hash] == '~') {
            owner.heardWarmUp((int) number(hash + 1, to), !warm);
            warm = true;
            return;
        }
        long[] fields = new long[3];
        for (int f = 0, at = hash + 1; f < 3 && at <= to; f++) {
            fields[f] = number(at, to);
            while (at < to && buffer[at] != ':') {
                at++;
            }
            at++;
        }
        var current = owner.phase();
        if (current == null || fields[0] != current.id) {
            return;
        }
        int n = current.counts[index]++;
        if (n < current.latencies[index].length) {
            current.latencies[index][n] = now - fields[2];
        }
        current.delivered.increment();
        current.last.accumulate(now);
        if (fields[1] == index && index < current.windows.length) {
            current.windows[index].release();
        }
    }

    /** The decimal number at buffer[at], up to a ':' or {@code to}. */
    private long number(int at, int to) {
        long value = 0;
        for (; at < to && buffer[at] != ':'; at++) {
            value = value * 10 + (buffer[at] - '0');
        }
        return value;
    }
}
