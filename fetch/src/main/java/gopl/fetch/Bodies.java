package gopl.fetch;

import gopl.common.ContentCoding;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Reading a body fetch asked for: decoded as its {@code Content-Encoding} says (gzip, deflate),
 * and cut off past the size cap (so a compression bomb ends there). Its connection bounds each
 * read in time: by the exchange's deadline, or for the winner's body by {@link Response#idleTimeout}.
 */
final class Bodies {
    /** What a compressed body may inflate to unless --max-filesize says otherwise: past it, a bomb. */
    static final long MAX_DECODED = 1L << 30;

    private Bodies() {}

    /**
     * The body's bytes as they are meant to be read: decoded (if we asked for compression: else
     * as they came, as curl writes them), and capped at {@code maxSize} (-1: none for a plain body,
     * {@link #MAX_DECODED} for a compressed one).
     */
    static InputStream decoded(Response response, long maxSize, boolean decode) throws IOException {
        var encoding = decode ? response.headers().first("content-encoding") : null;
        var in = ContentCoding.decode(response.body(), encoding);
        if (maxSize >= 0) {
            return ContentCoding.capped(in, maxSize);
        }
        return ContentCoding.isEncoded(encoding) ? ContentCoding.capped(in, MAX_DECODED) : in;
    }

    /** Copies the decoded body to {@code out}; returns the bytes copied. */
    static long copy(Response response, OutputStream out, long maxSize, boolean decode) throws IOException {
        try (var in = decoded(response, maxSize, decode)) {
            return in.transferTo(out);
        }
    }
}
