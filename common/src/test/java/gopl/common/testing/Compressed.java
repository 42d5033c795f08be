package gopl.common.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

/** Compressed bodies for the clients' tests: gzip and deflate, and a compression bomb. */
public final class Compressed {
    private static final int MEMBER = 64 << 20;

    private Compressed() {}

    public static byte[] gzip(byte[] data) {
        var bytes = new ByteArrayOutputStream();
        try (var out = new GZIPOutputStream(bytes)) {
            out.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Deflate in a zlib wrapper, as RFC 9110 says, or raw, as some servers send it. */
    public static byte[] deflate(byte[] data, boolean zlib) {
        var bytes = new ByteArrayOutputStream();
        try (var out = new DeflaterOutputStream(bytes, new Deflater(Deflater.DEFAULT_COMPRESSION, !zlib))) {
            out.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * A gzip body of zeros that inflates to about {@code size} bytes (a multiple of 64 MiB) from
     * about a thousandth of that: gzip members of 64 MiB each, one after the other, as gzip allows.
     */
    public static byte[] bomb(long size) {
        var member = gzip(new byte[MEMBER]);
        var bytes = new ByteArrayOutputStream();
        for (long made = 0; made < size; made += MEMBER) {
            bytes.writeBytes(member);
        }
        return bytes.toByteArray();
    }
}
