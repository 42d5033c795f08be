package gopl.common.http;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One HTTP/1.1 connection, kept alive between requests: a request head written in one piece, the
 * response head read within bounds, and the body framed as the response says (a length, chunks,
 * or up to the end of the connection). Every read waits at most until the exchange's deadline.
 *
 * <p>Why not {@code java.net.http.HttpClient}: on a fast site its asynchronous machinery (a
 * selector thread, an executor, completable futures, a wake-up of the caller per response) cost
 * about 0.85 ms of CPU per request here, ten times a blocking exchange on a virtual thread,
 * and more than all the rest of a mirror's work on a page; and building one cost fetch about 50 ms
 * of CPU at start-up (issue 14). The crawler, mirror and fetch need only HTTP/1.1 GET and HEAD.
 */
public final class HttpConnection implements Closeable {
    /** Most bytes of a response head (status line and fields) we read; past them the response is refused. */
    public static final int MAX_HEAD = 128 * 1024;
    private static final int MAX_LINE = 16 * 1024;

    /** A response's status and header fields, and whether the server keeps the connection open after it. */
    public record Head(int status, boolean keepAlive, Headers headers) {
        public String get(String name) {
            return headers.first(name);
        }
    }

    final String route;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] buffer = new byte[16 * 1024];
    private int position;
    private int limit;
    private long deadline;
    private long idle; // nanoseconds each read may wait instead of the deadline; 0: the deadline applies
    private boolean reusable;
    private int exchanges;

    HttpConnection(String route, Socket socket) throws IOException {
        this.route = route;
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Sends a request head (the bytes as given) and reads the response head, 1xx answers skipped. */
    public Head exchange(byte[] request, long deadline) throws IOException {
        this.deadline = deadline;
        idle = 0;
        reusable = false;
        exchanges++;
        out.write(request);
        out.flush();
        while (true) {
            var head = readHead();
            if (head.status() >= 200 || head.status() == 101) {
                return head;
            }
        }
    }

    /** Whether this connection served an exchange before: a failure may then be its idle close. */
    public boolean reused() {
        return exchanges > 1;
    }

    /** Whether the connection may carry another request: the last body was read to its end. */
    public boolean reusable() {
        return reusable && !socket.isClosed();
    }

    /**
     * The body of the response to a request that expects one, framed as its head says. Reading
     * it to the end leaves the connection {@link #reusable} if the server keeps it alive.
     */
    public InputStream body(Head head, boolean expectBody) {
        int status = head.status();
        if (!expectBody || status == 204 || status == 304) {
            reusable = head.keepAlive();
            return InputStream.nullInputStream();
        }
        var encoding = head.get("transfer-encoding");
        if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
            return new Chunked(head.keepAlive());
        }
        long length = head.headers().contentLength();
        return length >= 0 ? new Fixed(length, head.keepAlive()) : new Fixed(Long.MAX_VALUE, false);
    }

    /**
     * Skips a body we do not want (a redirect's, an error page's) if it is short and already here,
     * so the connection can be reused; otherwise the connection is not reused. Never waits.
     */
    public void skip(Head head, boolean expectBody) {
        long length = head.headers().contentLength();
        boolean chunked = head.get("transfer-encoding") != null;
        if (!expectBody || head.status() == 204 || head.status() == 304) {
            reusable = head.keepAlive();
        } else if (!chunked && length >= 0 && length <= limit - position) {
            position += (int) length;
            reusable = head.keepAlive();
        }
    }

    /**
     * From now on each read waits at most {@code timeout} for data, and the exchange's deadline no
     * longer applies: for a body streamed for as long as it keeps coming (fetch's winner).
     */
    public void idleTimeout(Duration timeout) {
        idle = Math.max(1_000_000, timeout.toNanos());
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing is all we wanted.
        }
    }

    private Head readHead() throws IOException {
        var statusLine = readLine(true);
        if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12 || statusLine.charAt(8) != ' ') {
            throw new IOException("not an HTTP/1.x response: " + abbreviate(statusLine));
        }
        int status = parseStatus(statusLine);
        boolean http11 = statusLine.charAt(7) != '0';
        var names = new ArrayList<String>();
        var values = new ArrayList<String>();
        int size = statusLine.length();
        for (String line; !(line = readLine(false)).isEmpty(); ) {
            size += line.length() + 2;
            if (size > MAX_HEAD) {
                throw new IOException("response headers larger than " + MAX_HEAD / 1024 + " KiB");
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                names.add(line.substring(0, colon).strip().toLowerCase(Locale.ROOT));
                values.add(line.substring(colon + 1).strip());
            }
        }
        var connection = values(names, values, "connection");
        boolean keepAlive = http11 ? !connection.contains("close") : connection.contains("keep-alive");
        return new Head(status, keepAlive, new Headers(names, values));
    }

    private static int parseStatus(String statusLine) throws IOException {
        int status = 0;
        for (int i = 9; i < 12; i++) {
            char c = statusLine.charAt(i);
            if (c < '0' || c > '9') {
                throw new IOException("bad status line: " + abbreviate(statusLine));
            }
            status = status * 10 + (c - '0');
        }
        return status;
    }

    private static String values(List<String> names, List<String> values, String name) {
        int at = names.indexOf(name);
        return at < 0 ? "" : values.get(at).toLowerCase(Locale.ROOT);
    }

    /** A line without its CRLF (or LF), in Latin-1; an EOF before the first byte of a response is its own error. */
    private String readLine(boolean first) throws IOException {
        var line = new StringBuilder();
        while (true) {
            if (position == limit && fill() < 0) {
                throw first && line.isEmpty() ? new EOFException("the server closed the connection") : new EOFException("response cut short");
            }
            int start = position;
            while (position < limit && buffer[position] != '\n') {
                position++;
            }
            line.append(new String(buffer, start, position - start, StandardCharsets.ISO_8859_1));
            if (line.length() > MAX_LINE) {
                throw new IOException("response header line longer than " + MAX_LINE / 1024 + " KiB");
            }
            if (position < limit) {
                position++; // the \n
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
        }
    }

    /** Reads more into the buffer once it is used up; -1 at the end of the connection. */
    private int fill() throws IOException {
        long left = idle > 0 ? idle : deadline - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000)));
        int n = in.read(buffer, 0, buffer.length);
        position = 0;
        limit = Math.max(0, n);
        return n;
    }

    /** Up to {@code length} bytes from the buffer, refilled if empty; -1 at the end of the connection. */
    private int read(byte[] into, int offset, int length) throws IOException {
        if (position == limit && fill() < 0) {
            return -1;
        }
        int n = Math.min(length, limit - position);
        System.arraycopy(buffer, position, into, offset, n);
        position += n;
        return n;
    }

    private static String abbreviate(String text) {
        return text.length() <= 100 ? text : text.substring(0, 100) + "...";
    }

    /** A body's bytes, read in blocks: a single byte is a block of one. */
    private abstract static class BodyStream extends InputStream {
        @Override
        public int read() throws IOException {
            var one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }
    }

    /** A body of a known length, or up to the end of the connection ({@code Long.MAX_VALUE}). */
    private final class Fixed extends BodyStream {
        private long remaining;
        private final boolean untilClose;
        private final boolean keepAlive;

        Fixed(long length, boolean keepAlive) {
            this.remaining = length;
            this.untilClose = length == Long.MAX_VALUE;
            this.keepAlive = keepAlive;
            reusable = keepAlive && length == 0;
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
            if (remaining == 0) {
                return -1;
            }
            if (length == 0) {
                return 0; // not a read that waits for the network
            }
            int n = HttpConnection.this.read(into, offset, (int) Math.min(length, remaining));
            if (n < 0) {
                if (!untilClose) {
                    throw new EOFException("response body cut short");
                }
                remaining = 0;
                return -1;
            }
            remaining -= n;
            reusable = keepAlive && remaining == 0;
            return n;
        }
    }

    /** A chunked body: size lines, chunks, and a trailer that ends it. */
    private final class Chunked extends BodyStream {
        private final boolean keepAlive;
        private long chunkLeft;
        private boolean done;

        Chunked(boolean keepAlive) {
            this.keepAlive = keepAlive;
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
            if (done) {
                return -1;
            }
            if (length == 0) {
                return 0;
            }
            if (chunkLeft == 0 && !nextChunk()) {
                return -1;
            }
            int n = HttpConnection.this.read(into, offset, (int) Math.min(length, chunkLeft));
            if (n < 0) {
                throw new EOFException("response body cut short");
            }
            chunkLeft -= n;
            if (chunkLeft == 0) {
                readLine(false); // the CRLF after the chunk
            }
            return n;
        }

        /** Reads the next chunk's size; false after the last chunk and its trailer. */
        private boolean nextChunk() throws IOException {
            var line = readLine(false);
            int end = line.indexOf(';');
            try {
                chunkLeft = Long.parseLong((end < 0 ? line : line.substring(0, end)).strip(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size: " + abbreviate(line));
            }
            if (chunkLeft < 0) {
                throw new IOException("bad chunk size: " + abbreviate(line));
            }
            if (chunkLeft > 0) {
                return true;
            }
            int trailer = 0;
            for (String field; !(field = readLine(false)).isEmpty(); ) {
                trailer += field.length();
                if (trailer > MAX_HEAD) {
                    throw new IOException("response trailer larger than " + MAX_HEAD / 1024 + " KiB");
                }
            }
            done = true;
            reusable = keepAlive;
            return false;
        }
    }
}
