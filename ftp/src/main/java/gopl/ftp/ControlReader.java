package gopl.ftp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads command lines from a control connection: UTF-8, ended by CRLF (or a bare LF), with Telnet
 * commands removed. Clients abort a transfer the Telnet way: BSD ftp sends IAC IP, IAC DM as urgent
 * data, then {@code ABOR}; Python's ftplib sends {@code ABOR\r\n} as urgent data. With the socket's
 * OOBINLINE set, urgent bytes stay in the stream, and this reader drops the Telnet parts.
 *
 * <p>A read timeout leaves a partly read line in place, so the session can poll while a transfer runs.
 * Before each read of the stream a {@link Deadline} sets how long that read may wait, so that a
 * client dripping a line a byte at a time cannot stretch a timeout that counts per read.
 */
final class ControlReader {
    /** Before each read: sets the socket's timeout to the time left, or throws SocketTimeoutException if none is. */
    @FunctionalInterface
    interface Deadline {
        void beforeRead() throws IOException;
    }

    /** A command line longer than the limit; the reader has skipped to the end of it. */
    static final class TooLong extends IOException {
        TooLong(int limit) {
            super("command line longer than " + limit + " bytes");
        }
    }

    private static final int IAC = 255;
    private static final int WILL = 251;
    private static final int SE = 240; // the lowest Telnet command byte

    private final InputStream in;
    private final int limit;
    private final Deadline deadline;
    private final byte[] buffer = new byte[4096];
    private int pos;
    private int end;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private boolean overflow;
    private int telnet; // bytes of a Telnet command still to drop: 0, 1 after IAC, 2 after IAC WILL etc.

    ControlReader(InputStream in, int limit, Deadline deadline) {
        this.in = in;
        this.limit = limit;
        this.deadline = deadline;
    }

    ControlReader(InputStream in, int limit) {
        this(in, limit, () -> {});
    }

    /** Whether bytes the client sent are waiting here, read from the stream but not yet returned. */
    boolean hasBuffered() {
        return pos < end || line.size() > 0;
    }

    /**
     * The next command line without its line end, or null at end of stream.
     *
     * @throws TooLong if the line exceeded the limit (the next call reads the line after it)
     * @throws java.net.SocketTimeoutException on the socket's timeout, keeping what was read so far
     */
    String readLine() throws IOException {
        while (true) {
            if (pos == end) {
                deadline.beforeRead();
                int n = in.read(buffer);
                if (n < 0) {
                    return null;
                }
                pos = 0;
                end = n;
            }
            int b = buffer[pos++] & 0xff;
            if (telnet > 0 || b == IAC) {
                b = telnet(b);
                if (b < 0) {
                    continue;
                }
            }
            if (b == '\n') {
                return finish();
            }
            if (line.size() < limit) {
                line.write(b);
            } else {
                overflow = true;
            }
        }
    }

    /** Takes one byte of a Telnet command; returns a data byte to keep, or -1. */
    private int telnet(int b) {
        switch (telnet) {
            case 0 -> { // b == IAC
                telnet = 1;
                return -1;
            }
            case 1 -> {
                telnet = b >= WILL && b < IAC ? 2 : 0; // WILL/WONT/DO/DONT carry an option byte
                if (b == IAC) {
                    return IAC; // an escaped 255 data byte
                }
                // IP, DM, AYT and friends are dropped; a stray IAC before plain text keeps the text.
                return b >= SE ? -1 : b;
            }
            default -> {
                telnet = 0;
                return -1;
            }
        }
    }

    private String finish() throws TooLong {
        var bytes = line.toByteArray();
        line.reset();
        if (overflow) {
            overflow = false;
            throw new TooLong(limit);
        }
        int n = bytes.length;
        if (n > 0 && bytes[n - 1] == '\r') {
            n--;
        }
        return new String(bytes, 0, n, StandardCharsets.UTF_8); // malformed UTF-8 becomes U+FFFD, never '/' or '.'
    }
}
