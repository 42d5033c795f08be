package gopl.ftp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.util.function.LongConsumer;

/**
 * Moves file bytes over a data connection without holding a file in memory. Binary downloads use
 * {@link FileChannel#transferTo} (sendfile on Linux); TYPE A converts line ends through fixed
 * buffers: LF to CRLF on the way out, CRLF to LF on the way in. Every chunk is reported to
 * {@code progress}, which the session's stall watchdog reads.
 */
final class Copy {
    /** A file-side failure (disk full, I/O error), as opposed to the network connection failing. */
    static final class LocalFailure extends IOException {
        LocalFailure(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    // Small enough that a slow client still shows progress often, large enough that the
    // system calls cost nothing next to the copying.
    private static final long CHUNK = 1 << 20;
    private static final int BUFFER = 64 * 1024;
    private static final int TLS_BUFFER = 256 * 1024;

    private Copy() {}

    /** Sends the file from {@code offset} to its current end. */
    static void send(FileChannel file, long offset, WritableByteChannel out, boolean ascii, LongConsumer progress) throws IOException {
        if (ascii) {
            sendAscii(file, offset, out, progress);
            return;
        }
        if (!(out instanceof SocketChannel)) {
            sendBuffered(file, offset, out, progress);
            return;
        }
        long size = file.size();
        for (long pos = offset; pos < size; ) {
            long n = file.transferTo(pos, Math.min(CHUNK, size - pos), out);
            if (n <= 0) {
                break; // the file shrank under us: send what there was
            }
            pos += n;
            progress.accept(n);
        }
    }

    /**
     * Through a buffer, for a channel the kernel cannot send a file to (TLS): big reads, so that
     * TLS writes whole 16 KB records and the file is read in few system calls.
     */
    private static void sendBuffered(FileChannel file, long offset, WritableByteChannel out, LongConsumer progress) throws IOException {
        var buffer = ByteBuffer.allocate(TLS_BUFFER);
        for (long pos = offset; ; ) {
            int n = file.read(buffer.clear(), pos);
            if (n < 0) {
                return;
            }
            pos += n;
            writeFully(out, buffer.flip());
            progress.accept(n);
        }
    }

    private static void sendAscii(FileChannel file, long offset, WritableByteChannel out, LongConsumer progress) throws IOException {
        var in = ByteBuffer.allocate(BUFFER);
        var converted = ByteBuffer.allocate(2 * BUFFER);
        byte previous = 0;
        for (long pos = offset; ; ) {
            in.clear();
            int n = file.read(in, pos);
            if (n < 0) {
                return;
            }
            pos += n;
            in.flip();
            converted.clear();
            while (in.hasRemaining()) {
                byte b = in.get();
                if (b == '\n' && previous != '\r') {
                    converted.put((byte) '\r'); // only bare LFs: a CRLF file is not doubled
                }
                converted.put(b);
                previous = b;
            }
            writeFully(out, converted.flip());
            progress.accept(converted.limit());
        }
    }

    /** Receives until the client closes the data connection, appending to {@code file}. */
    static void receive(ReadableByteChannel in, FileChannel file, boolean ascii, LongConsumer progress) throws IOException {
        // Direct for a socket (no copy into the kernel's reach); TLS decrypts into an array anyway.
        var buffer = in instanceof SocketChannel ? ByteBuffer.allocateDirect(ascii ? BUFFER : 4 * BUFFER)
                : ByteBuffer.allocate(ascii ? BUFFER : 4 * BUFFER);
        var converted = ascii ? ByteBuffer.allocate(BUFFER + 1) : null;
        boolean pendingCr = false;
        for (int n; (n = in.read(buffer.clear())) >= 0; ) {
            progress.accept(n);
            buffer.flip();
            if (ascii) {
                pendingCr = stripCr(buffer, converted.clear(), pendingCr);
                write(file, converted.flip());
            } else {
                write(file, buffer);
            }
        }
        if (pendingCr) {
            write(file, ByteBuffer.wrap(new byte[] {'\r'}));
        }
    }

    /** Copies {@code in} to {@code out} dropping each CR that precedes an LF; returns whether a CR is held back. */
    private static boolean stripCr(ByteBuffer in, ByteBuffer out, boolean pendingCr) {
        while (in.hasRemaining()) {
            byte b = in.get();
            if (pendingCr && b != '\n') {
                out.put((byte) '\r');
            }
            pendingCr = b == '\r';
            if (!pendingCr) {
                out.put(b);
            }
        }
        return pendingCr;
    }

    private static void write(FileChannel file, ByteBuffer buffer) throws LocalFailure {
        try {
            while (buffer.hasRemaining()) {
                file.write(buffer);
            }
        } catch (IOException e) {
            throw new LocalFailure(e);
        }
    }

    static void writeFully(WritableByteChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }
}
