package gopl.ftp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.ClosedChannelException;
import javax.net.ssl.SSLSocket;

/**
 * A TLS data connection as the channel a transfer reads and writes, so that the copying code is
 * the same for clear and protected data. Writes go to the TLS socket in the caller's chunks, which
 * JSSE cuts into full 16 KB records; closing sends TLS's close_notify, which is how FTPS marks
 * the end of a file, and then closes the connection.
 */
final class TlsChannel implements ByteChannel {
    private static final int SCRATCH = 64 * 1024;

    private final SSLSocket socket;
    private final InputStream in;
    private final OutputStream out;
    private byte[] scratch; // for buffers without an array (direct ones)
    private boolean closed;
    private boolean peerClosed; // read its close_notify (or the end of the stream)

    TlsChannel(SSLSocket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        ensureOpen();
        int n;
        if (dst.hasArray()) {
            n = in.read(dst.array(), dst.arrayOffset() + dst.position(), dst.remaining());
            if (n > 0) {
                dst.position(dst.position() + n);
            }
        } else {
            var bytes = scratch();
            n = in.read(bytes, 0, Math.min(bytes.length, dst.remaining()));
            if (n > 0) {
                dst.put(bytes, 0, n);
            }
        }
        peerClosed |= n < 0;
        return n;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        ensureOpen();
        int n = src.remaining();
        if (src.hasArray()) {
            out.write(src.array(), src.arrayOffset() + src.position(), n);
            src.position(src.limit());
            return n;
        }
        var bytes = scratch();
        while (src.hasRemaining()) {
            int chunk = Math.min(bytes.length, src.remaining());
            src.get(bytes, 0, chunk);
            out.write(bytes, 0, chunk);
        }
        return n;
    }

    private byte[] scratch() {
        if (scratch == null) {
            scratch = new byte[SCRATCH];
        }
        return scratch;
    }

    private void ensureOpen() throws ClosedChannelException {
        if (closed) {
            throw new ClosedChannelException();
        }
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            // A half close first: it sends close_notify alone. A plain close() in TLS 1.3 also sends
            // user_canceled when the peer has not closed yet, which GnuTLS (lftp) takes as fatal.
            try (socket) {
                if (!peerClosed) { // after an upload the client has gone: nobody to tell
                    socket.shutdownOutput();
                }
            }
        }
    }
}
