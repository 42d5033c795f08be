package gopl.common;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * Compressed response bodies, for the clients that send {@link #ACCEPT}: the decoding the
 * {@code Content-Encoding} header names, and a cap on what comes out, so that a few kilobytes
 * that inflate to gigabytes (a compression bomb) are cut off once the cap is passed.
 */
public final class ContentCoding {
    /** The {@code Accept-Encoding} the clients send. */
    public static final String ACCEPT = "gzip, deflate";

    private ContentCoding() {}

    /**
     * The body decoded as {@code Content-Encoding} says (null or {@code identity}: as it is).
     * {@code deflate} is zlib data as RFC 9110 says, or raw deflate as some servers send it.
     *
     * @throws IOException for a coding not asked for ({@code br}), or more than two layers
     */
    public static InputStream decode(InputStream body, String contentEncoding) throws IOException {
        if (contentEncoding == null || contentEncoding.isBlank()) {
            return body;
        }
        var codings = contentEncoding.toLowerCase(Locale.ROOT).split("\\s*,\\s*");
        if (codings.length > 2) {
            throw new IOException("more than two content encodings: " + contentEncoding.strip());
        }
        var in = body;
        for (int i = codings.length - 1; i >= 0; i--) { // the last applied is the first to undo
            in = switch (codings[i].strip()) {
                case "identity", "" -> in;
                case "gzip", "x-gzip" -> new GZIPInputStream(in, 8192);
                case "deflate" -> deflate(in);
                default -> throw new IOException("unsupported Content-Encoding: " + codings[i].strip());
            };
        }
        return in;
    }

    /** Whether {@link #decode} changes this body. */
    public static boolean isEncoded(String contentEncoding) {
        return contentEncoding != null && !contentEncoding.isBlank() && !contentEncoding.strip().equalsIgnoreCase("identity");
    }

    /**
     * The stream, failing with {@link TooLarge} once more than {@code max} bytes were read from
     * it: for decoded bodies, whose size no header announces.
     */
    public static InputStream capped(InputStream in, long max) {
        long[] count = {0};
        return new ObservedInputStream(in, n -> {
            count[0] += n;
            if (count[0] > max) {
                throw new TooLarge(max);
            }
        });
    }

    /** A decoded body went past its cap. */
    public static final class TooLarge extends IOException {
        public TooLarge(long max) {
            super("larger than the size cap of " + max + " bytes once decompressed");
        }
    }

    private static InputStream deflate(InputStream in) throws IOException {
        var buffered = new BufferedInputStream(in, 8192);
        buffered.mark(2);
        int first = buffered.read();
        int second = buffered.read();
        buffered.reset();
        // A zlib header: compression method 8 and a check that makes the two bytes a multiple of 31.
        boolean zlib = first >= 0 && second >= 0 && (first & 0x0f) == 8 && ((first << 8) | second) % 31 == 0;
        var inflater = new Inflater(!zlib);
        return new InflaterInputStream(buffered, inflater, 8192) {
            @Override
            public void close() throws IOException {
                try {
                    super.close();
                } finally {
                    inflater.end(); // its native memory: a stream given an Inflater does not end it
                }
            }
        };
    }
}
