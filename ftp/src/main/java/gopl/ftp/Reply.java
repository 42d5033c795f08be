package gopl.ftp;

import gopl.common.IoErrors;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.util.List;

/**
 * Replies on a control connection, from the session's thread or its transfer's. Each reply is
 * written whole under a lock, so the two never interleave. A write that the client does not take
 * within the idle timeout closes the connection (the server's TcpServer watches every write), so a
 * client that never reads cannot hold a session forever.
 */
final class Reply {
    private OutputStream out; // guarded by this

    Reply(Socket socket) throws IOException {
        this.out = socket.getOutputStream();
    }

    /**
     * From now on, replies go through {@code tls} (after AUTH TLS). A stuck write is still seen,
     * and the connection dropped, on the plain socket under it.
     */
    synchronized void secure(OutputStream tls) {
        this.out = tls;
    }

    /** {@code 250 text}. */
    void send(int code, String text) throws IOException {
        write(code + " " + printable(text) + "\r\n");
    }

    void send(Code code) throws IOException {
        send(code.code(), code.text());
    }

    /** A multi-line reply (RFC 959 4.2): {@code 211-first}, the lines, {@code 211 last}. */
    void send(int code, String first, List<String> lines, String last) throws IOException {
        var text = new StringBuilder().append(code).append('-').append(printable(first)).append("\r\n");
        for (var line : lines) {
            // A middle line must not look like the last one: "211 x" would end the reply early.
            var safe = printable(line);
            text.append(!safe.isEmpty() && Character.isDigit(safe.charAt(0)) ? " " : "").append(safe).append("\r\n");
        }
        write(text.append(code).append(' ').append(printable(last)).append("\r\n").toString());
    }

    /** For a transfer's thread: if the control connection is gone, the session is ending anyway. */
    void sendQuietly(int code, String text) {
        try {
            send(code, text);
        } catch (IOException ignored) {
            // The session's own thread sees the same failure and cleans up.
        }
    }

    /** A reply code and text. */
    record Code(int code, String text) {}

    /** The reply for a file operation on {@code path} that failed. */
    void failed(String path, IOException e) throws IOException {
        var reply = failure(path, e);
        send(reply.code(), reply.text());
    }

    static Code failure(String path, IOException e) {
        if (isDiskFull(e)) {
            return new Code(452, path + ": Insufficient storage space.");
        }
        // A file system's refusal is permanent (550); a plain I/O error may pass (451).
        return new Code(e instanceof FileSystemException ? 550 : 451, path + ": " + IoErrors.reason(e) + ".");
    }

    static boolean isDiskFull(IOException e) {
        var message = e.getMessage();
        return message != null && (message.contains("No space left") || message.contains("Disk quota exceeded"));
    }

    private synchronized void write(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /**
     * {@code text} with each control character (C0, DEL and C1, the ones terminals act on) shown as
     * {@code ?}: for file names in replies and listings, so that a name cannot split a reply or
     * send escape sequences to a client's terminal, and for client words in the log.
     */
    static String printable(String text) {
        int i = 0;
        while (i < text.length() && !Character.isISOControl(text.charAt(i))) {
            i++;
        }
        if (i == text.length()) {
            return text; // nearly always: no copy
        }
        var chars = text.toCharArray();
        for (; i < chars.length; i++) {
            if (Character.isISOControl(chars[i])) {
                chars[i] = '?';
            }
        }
        return new String(chars);
    }

}
