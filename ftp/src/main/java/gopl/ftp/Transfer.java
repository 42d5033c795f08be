package gopl.ftp;

import gopl.common.Tls;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.channels.ByteChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One transfer over a data connection (RETR, STOR, LIST...) on its own virtual thread, so that the
 * session's thread goes on reading the control connection: it answers ABOR and STAT mid-transfer,
 * and times out a transfer that stopped moving. Replies 150 once the data connection is open, then
 * exactly one of 226 (done), 425 (no connection, or a failed TLS handshake), 426 (aborted or
 * connection lost), 522 (TLS without session reuse) or 45x (disk).
 */
final class Transfer {
    private static final Logger log = LoggerFactory.getLogger(Transfer.class);

    /** The work of a transfer; closed when the transfer ends, whatever happened. */
    interface Body extends AutoCloseable {
        /** Moves the bytes, reporting each chunk to {@code progress}. */
        void run(ByteChannel data, LongConsumer progress) throws IOException;

        /** Makes the result permanent (an upload's rename), once the transfer can no longer be aborted. */
        default void commit() throws IOException {}

        /** What the 226 adds after its byte count, such as a listing being cut short. */
        default String note() {
            return ".";
        }

        @Override
        default void close() throws IOException {}
    }

    /** Who the transfer is for, and how its data connection is to be opened and counted. */
    record Party(String who, InetAddress client, Protection protection, LongAdder traffic) {}

    private final String command;
    private final String path;
    private final Party party;
    private final String who;
    private final boolean quiet;
    private final DataConnection data;
    private final Reply reply;
    private final long started = System.nanoTime();
    private volatile long bytes;
    private volatile long lastProgress = started;
    private String abortReason; // guarded by this
    private boolean finished; // guarded by this
    private Thread thread;

    private Transfer(String command, String path, Party party, boolean quiet, DataConnection data, Reply reply) {
        this.command = command;
        this.path = path;
        this.party = party;
        this.who = party.who();
        this.quiet = quiet;
        this.data = data;
        this.reply = reply;
    }

    /**
     * Starts {@code command} on {@code path} (as the client named it) on its own virtual thread.
     * Listings are {@code quiet}: logged at debug level, where file transfers are logged at info.
     */
    static Transfer start(String command, String path, Party party, boolean quiet, DataConnection data, Reply reply,
            String opening, Duration connectTimeout, Body body) {
        var transfer = new Transfer(command, path, party, quiet, data, reply);
        transfer.thread = Thread.ofVirtual().name("transfer " + party.who())
                .start(() -> transfer.run(opening, connectTimeout, body));
        return transfer;
    }

    private void run(String opening, Duration connectTimeout, Body body) {
        end(transfer(opening, connectTimeout, body));
    }

    /** The transfer proper; the body and the data connection are closed (an upload undone) before the reply. */
    private Reply.Code transfer(String opening, Duration connectTimeout, Body body) {
        try (body; data) {
            SocketChannel channel;
            try {
                channel = data.open(connectTimeout);
            } catch (IOException e) {
                return new Reply.Code(425, why(e, "Can't open data connection"));
            }
            reply.sendQuietly(150, opening);
            ByteChannel stream;
            try {
                stream = party.protection().protect(channel, party.client());
            } catch (Protection.NotResumed e) {
                return new Reply.Code(522, e.getMessage() + " (see the server's --no-require-tls-reuse).");
            } catch (SSLException e) {
                return new Reply.Code(425, why(e, "TLS handshake on the data connection failed: " + Tls.describe(e)));
            }
            body.run(stream, this::progress);
            stream.close(); // in stream mode the end of the data is the end of the file (with TLS: close_notify)
            if (!finish()) {
                throw new IOException("aborted");
            }
            body.commit();
            return new Reply.Code(226, "Transfer complete (" + bytes + " bytes)" + body.note());
        } catch (Copy.LocalFailure e) {
            return Reply.failure(path, (IOException) e.getCause());
        } catch (IOException e) {
            // After finish() only the commit (an upload's rename) can fail: a local failure.
            return finished ? Reply.failure(path, e) : new Reply.Code(426, why(e, "Data connection closed"));
        } catch (RuntimeException e) {
            log.error("{} {} {}: {}", who, command, Reply.printable(path), e.toString());
            return new Reply.Code(451, "Local error in processing.");
        }
    }

    private void progress(long n) {
        bytes += n; // only this transfer's thread writes
        party.traffic().add(n);
        lastProgress = System.nanoTime();
    }

    private synchronized boolean finish() {
        if (abortReason != null) {
            return false;
        }
        finished = true;
        return true;
    }

    /** Aborts the transfer unless it has finished; returns whether it did. Any thread may call this. */
    synchronized boolean abort(String reason) {
        if (finished || abortReason != null) {
            return false;
        }
        abortReason = reason;
        data.close(); // ends a blocked accept, connect, read or write with an exception
        return true;
    }

    /** The reason the session gave for aborting, else {@code what} and the exception's message. */
    private synchronized String why(IOException e, String what) {
        if (abortReason != null) {
            return abortReason;
        }
        var detail = e instanceof SSLException || e.getMessage() == null ? "" : " (" + e.getMessage() + ")";
        return what + detail + "; transfer aborted.";
    }

    private void end(Reply.Code result) {
        double seconds = (System.nanoTime() - started) / 1e9;
        boolean ok = result.code() == 226;
        var line = String.format(Locale.ROOT, "%s %s %s: %d bytes in %.3fs (%.1f MB/s)%s", who, command, Reply.printable(path), bytes,
                seconds, bytes / 1e6 / Math.max(seconds, 1e-9), ok ? "" : ", " + result.code() + " " + result.text());
        if (quiet) {
            log.debug(line);
        } else if (ok) {
            log.info(line);
        } else {
            log.warn(line);
        }
        reply.sendQuietly(result.code(), result.text());
    }

    /** Nanoseconds since the transfer last moved a byte (or started). */
    long idleNanos() {
        return System.nanoTime() - lastProgress;
    }

    boolean isDone() {
        return !thread.isAlive();
    }

    /** Waits for the transfer's last reply to be sent. */
    void join(Duration timeout) throws InterruptedException {
        thread.join(timeout);
    }

    /** For STAT: {@code RETR /big.iso: 1048576 bytes so far}. */
    String status() {
        return command + " " + path + ": " + bytes + " bytes so far";
    }
}
