package gopl.fetch;

import gopl.common.SizeFormat;
import gopl.common.StatusLine;
import gopl.common.ToolException;
import gopl.common.http.Connections;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * Streams the winner's body to stdout. A body that stalls for longer than the timeout is
 * abandoned: each read of the connection waits that long at most, and its connection is then
 * closed. On a terminal, the status line shows the bytes received as they come.
 */
final class BodyCopy {
    private final Duration stall;
    private final StatusLine status;
    private final long maxSize;
    private final boolean decode;
    private volatile long copied;

    /** @param maxSize see {@link Bodies#decoded} */
    BodyCopy(Duration stall, StatusLine status, long maxSize, boolean decode) {
        this.stall = stall;
        this.status = status;
        this.maxSize = maxSize;
        this.decode = decode;
    }

    void copy(FirstResponse.Winner winner, OutputStream out) {
        var response = winner.response();
        response.idleTimeout(stall);
        try (response; InputStream in = Bodies.decoded(response, maxSize, decode);
                var _ = status.refreshEvery(Duration.ofMillis(250), () -> "fetch: " + SizeFormat.iec(copied) + " received")) {
            pump(in, out);
        } catch (WriteFailed e) {
            throw new ToolException("cannot write output: " + Connections.describe(e.getCause(), stall));
        } catch (IOException e) {
            var why = e instanceof SocketTimeoutException ? "no data for " + gopl.common.GoDuration.format(stall) : Connections.describe(e, stall);
            throw new ToolException(winner.uri() + ": body failed after " + copied + " bytes: " + why);
        }
    }

    private void pump(InputStream in, OutputStream out) throws IOException {
        var buffer = new byte[64 * 1024];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            try {
                out.write(buffer, 0, n);
            } catch (IOException e) {
                throw new WriteFailed(e);
            }
            copied += n; // only this thread writes it
        }
        try {
            out.flush();
        } catch (IOException e) {
            throw new WriteFailed(e);
        }
    }

    /** Writing stdout failed (a closed pipe): not the server's fault. */
    private static final class WriteFailed extends IOException {
        WriteFailed(IOException cause) {
            super(cause);
        }
    }
}
