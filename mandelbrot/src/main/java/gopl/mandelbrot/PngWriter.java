package gopl.mandelbrot;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.Adler32;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes an 8-bit grayscale PNG row by row, so the image never needs to be in memory whole
 * (ImageIO wants a BufferedImage). One byte per pixel where the book's RGBA image writes three
 * channels, the "Up" filter, which suits an image whose rows change slowly, and zlib's default
 * level: at 4096x4096 about 425 KB, half the size of the book's file.
 *
 * <p>Compression is most of the work here, so it runs in parallel, as pigz does it: the filtered
 * rows are cut into packs of about {@value #PACK_BYTES} bytes, each pack is deflated on a virtual
 * thread of its own (primed with the 32 KiB before it, so that matches may reach back across the
 * cut), and the packs are joined in order into one zlib stream. Every pack but the last ends with
 * a sync flush, which closes its blocks on a byte boundary. The cuts depend on the image width
 * alone, so the file is the same byte for byte whatever the number of workers or processors.
 */
final class PngWriter {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final int GRAYSCALE = 0;
    private static final int FILTER_UP = 2;
    private static final int CHUNK_SIZE = 1 << 16;
    static final int PACK_BYTES = 256 * 1024;
    private static final int WINDOW = 32 * 1024;
    /** zlib's header for a 32 KiB window and the default level; RFC 1950, section 2.2. */
    private static final byte[] ZLIB_HEADER = {0x78, (byte) 0x9c};

    private final OutputStream out;
    private final int height;
    private final int rowsPerPack;
    private final ExecutorService deflaters = Executors.newVirtualThreadPerTaskExecutor();
    /** Packs being deflated, oldest first; at most {@link #maxPending} of them. */
    private final ArrayDeque<CompletableFuture<byte[]>> pending = new ArrayDeque<>();
    private final int maxPending = 2 * Runtime.getRuntime().availableProcessors() + 2;
    private final Adler32 adler = new Adler32();
    private final IdatStream idat = new IdatStream();
    private byte[] previous;
    private byte[] pack;
    private int packUsed;
    private byte[] dictionary;
    private int rows;

    /** Starts the file: the signature and the header. */
    PngWriter(OutputStream out, int width, int height) throws IOException {
        this.out = out;
        this.height = height;
        this.previous = new byte[width];
        this.rowsPerPack = Math.max(1, PACK_BYTES / (width + 1));
        this.pack = new byte[rowsPerPack * (width + 1)];
        var header = ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 8).put((byte) GRAYSCALE).put((byte) 0).put((byte) 0).put((byte) 0);
        out.write(SIGNATURE);
        chunk("IHDR", header.array(), header.position());
        idat.write(ZLIB_HEADER, 0, ZLIB_HEADER.length);
    }

    /** Adds the next row down, one gray level per pixel. */
    void writeRow(byte[] pixels) throws IOException {
        pack[packUsed++] = FILTER_UP;
        for (int x = 0; x < pixels.length; x++) {
            pack[packUsed++] = (byte) (pixels[x] - previous[x]);
        }
        previous = pixels;
        rows++;
        if (packUsed == pack.length && rows < height) {
            send(false);
        }
    }

    /** Ends the file once every row is written, and flushes it. */
    void finish() throws IOException {
        if (rows != height) {
            throw new IllegalStateException("wrote " + rows + " of " + height + " rows");
        }
        try {
            send(true);
            while (!pending.isEmpty()) {
                writeOldest();
            }
        } finally {
            deflaters.shutdownNow();
        }
        idat.write(ByteBuffer.allocate(4).putInt((int) adler.getValue()).array(), 0, 4);
        idat.flush();
        chunk("IEND", new byte[0], 0);
        out.flush();
    }

    /** Hands the full pack to a deflating thread, and writes out the packs that are done. */
    private void send(boolean last) throws IOException {
        var input = Arrays.copyOf(pack, packUsed);
        adler.update(input);
        var primer = dictionary;
        pending.add(CompletableFuture.supplyAsync(() -> deflate(input, primer, last), deflaters));
        dictionary = Arrays.copyOfRange(input, Math.max(0, input.length - WINDOW), input.length);
        packUsed = 0;
        while (pending.size() >= maxPending || !pending.isEmpty() && pending.peek().isDone()) {
            writeOldest();
        }
    }

    private void writeOldest() throws IOException {
        try {
            var bytes = pending.remove().get();
            idat.write(bytes, 0, bytes.length);
        } catch (ExecutionException e) {
            throw new IOException("cannot compress the image: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while compressing the image");
        }
    }

    /** One pack as raw deflate blocks: the stream's end if {@code last}, else a sync flush. */
    private static byte[] deflate(byte[] input, byte[] primer, boolean last) {
        var deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            if (primer != null) {
                deflater.setDictionary(primer);
            }
            deflater.setInput(input);
            var output = new ByteArrayOutputStream(input.length / 8 + 64);
            var buffer = new byte[CHUNK_SIZE];
            if (last) {
                deflater.finish();
                while (!deflater.finished()) {
                    output.write(buffer, 0, deflater.deflate(buffer));
                }
            } else {
                int n;
                do { // a full buffer may hold more; a part-filled one ends the flush
                    n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
                    output.write(buffer, 0, n);
                } while (n == buffer.length);
            }
            return output.toByteArray();
        } finally {
            deflater.end();
        }
    }

    private void chunk(String type, byte[] data, int length) throws IOException {
        var name = type.getBytes(StandardCharsets.US_ASCII);
        var crc = new CRC32();
        crc.update(name);
        crc.update(data, 0, length);
        out.write(ByteBuffer.allocate(4).putInt(length).array());
        out.write(name);
        out.write(data, 0, length);
        out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** The compressed stream, cut into IDAT chunks of at most 64 KiB. */
    private final class IdatStream {
        private final byte[] buffer = new byte[CHUNK_SIZE];
        private int used;

        void write(byte[] data, int offset, int length) throws IOException {
            while (length > 0) {
                int n = Math.min(length, buffer.length - used);
                System.arraycopy(data, offset, buffer, used, n);
                used += n;
                offset += n;
                length -= n;
                if (used == buffer.length) {
                    flush();
                }
            }
        }

        void flush() throws IOException {
            if (used > 0) {
                chunk("IDAT", buffer, used);
                used = 0;
            }
        }
    }
}
