package gopl.mirror;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A page's bytes as text to scan, and the way back to bytes. In a charset where ASCII is ASCII
 * (UTF-8, the ISO-8859 and Windows code pages, Shift_JIS...) the text is the bytes read as
 * Latin-1, one character a byte, so that the markup (all ASCII) is found and every byte outside
 * a rewritten link is copied as it came, whatever the charset; only a link's own bytes are
 * decoded in the page's charset. A UTF-16 or UTF-32 page is decoded whole and written back in
 * its charset.
 */
final class PageText {
    private static final byte[] ASCII_PROBE = "<a href=\"x\">=/'".getBytes(StandardCharsets.US_ASCII);

    private final byte[] bytes; // null when the text was decoded (a wide charset)
    private final String text;
    private Charset charset; // to decode links in: the header's, the page's own, else UTF-8

    private PageText(byte[] bytes, String text, Charset charset) {
        this.bytes = bytes;
        this.text = text;
        this.charset = charset;
    }

    /** @param charset the one the Content-Type header names, or null */
    static PageText of(byte[] page, Charset charset) {
        var wide = bomCharset(page);
        if (wide == null && charset != null && !asciiCompatible(charset)) {
            wide = charset;
        }
        if (wide != null) {
            return new PageText(null, new String(page, wide), wide);
        }
        return new PageText(page, new String(page, StandardCharsets.ISO_8859_1),
                charset != null ? charset : StandardCharsets.UTF_8);
    }

    String text() {
        return text;
    }

    Charset charset() {
        return charset;
    }

    boolean wide() {
        return bytes == null;
    }

    /** Decodes links in the charset the page declares (a {@code <meta>}), unless the header named one; not for a wide page. */
    void declared(Charset declared) {
        if (bytes != null && asciiCompatible(declared)) {
            charset = declared;
        }
    }

    /** The characters of {@code text[start, end)} as the page means them. */
    String slice(int start, int end) {
        return toReal(text.substring(start, end));
    }

    /** Characters of the text (bytes read as Latin-1) as the page means them. */
    String toReal(String view) {
        if (bytes == null || isAscii(view)) {
            return view;
        }
        return new String(view.getBytes(StandardCharsets.ISO_8859_1), charset);
    }

    /**
     * Characters of ours (a link, an attribute) as the text holds them: their bytes in the page's
     * charset, read as Latin-1. One the charset cannot say becomes a character reference in an
     * attribute, else (a URL) its UTF-8 bytes percent-encoded.
     */
    String toView(String real, boolean attribute) {
        if (bytes == null || isAscii(real)) {
            return real;
        }
        var encoder = charset.newEncoder();
        if (!encoder.canEncode(real)) {
            var out = new StringBuilder(real.length() + 16);
            real.codePoints().forEach(c -> {
                var character = Character.toString(c);
                out.append(c < 128 || encoder.canEncode(character) ? character
                        : attribute ? "&#" + c + ";" : escapeNonAscii(character));
            });
            real = out.toString();
        }
        return new String(real.getBytes(charset), StandardCharsets.ISO_8859_1);
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 128) {
                return false;
            }
        }
        return true;
    }

    /** Writes the page out: {@link Output#copy} its spans and {@link Output#write} what replaces others. */
    Output output(OutputStream out) {
        return new Output(out);
    }

    final class Output {
        private final OutputStream out;
        private final Writer writer; // for a wide page

        private Output(OutputStream out) {
            this.out = out;
            this.writer = bytes == null ? new OutputStreamWriter(out, charset) : null;
        }

        void copy(int start, int end) throws IOException {
            if (writer != null) {
                writer.write(text, start, end - start);
            } else {
                out.write(bytes, start, end - start);
            }
        }

        /** Text as {@link #toView} gives it. */
        void write(String view) throws IOException {
            if (writer != null) {
                writer.write(view);
            } else {
                out.write(view.getBytes(StandardCharsets.ISO_8859_1));
            }
        }

        void flush() throws IOException {
            if (writer != null) {
                writer.flush();
            }
        }
    }

    /** Percent-encodes in UTF-8 every character outside ASCII, as a browser sends a URL. */
    static String escapeNonAscii(String link) {
        var out = new StringBuilder(link.length() + 16);
        for (int i = 0; i < link.length(); ) {
            int c = link.codePointAt(i);
            if (c < 128) {
                out.append((char) c);
            } else {
                for (byte b : Character.toString(c).getBytes(StandardCharsets.UTF_8)) {
                    out.append('%').append(String.format("%02X", b & 0xff));
                }
            }
            i += Character.charCount(c);
        }
        return out.toString();
    }

    private static Charset bomCharset(byte[] page) {
        if (page.length >= 4 && (page[0] == 0 && page[1] == 0 && page[2] == (byte) 0xFE && page[3] == (byte) 0xFF
                || page[0] == (byte) 0xFF && page[1] == (byte) 0xFE && page[2] == 0 && page[3] == 0)) {
            return Charset.forName("UTF-32");
        }
        if (page.length >= 2 && (page[0] == (byte) 0xFE && page[1] == (byte) 0xFF || page[0] == (byte) 0xFF && page[1] == (byte) 0xFE)) {
            return StandardCharsets.UTF_16;
        }
        return null;
    }

    /** Whether the charset writes the characters of markup as ASCII does, one byte each. */
    static boolean asciiCompatible(Charset charset) {
        try {
            return charset.canEncode() && Arrays.equals(new String(ASCII_PROBE, StandardCharsets.US_ASCII).getBytes(charset), ASCII_PROBE);
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }
}
