package gopl.du;

import gopl.common.ToolException;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Just enough of a streaming JSON reader for ncdu exports, whatever a file holds: strings as
 * raw bytes (ncdu writes names that are not UTF-8 as they are), each bounded in length; numbers
 * as longs; nesting skipped without recursion. A mistake is reported with its byte offset.
 */
final class Json {
    /** The longest string read: a path (the top directory's name) is at most 4096 bytes on Linux. */
    static final int MAX_STRING = 64 * 1024;
    /** How deeply an unknown value may nest before the file is taken for an attack. */
    private static final int MAX_SKIP_DEPTH = 1000;

    private final InputStream in;
    private final String file;
    private long offset;
    private boolean ended;
    private int peeked = -2;

    Json(InputStream in, String file) {
        this.in = new BufferedInputStream(in, 1 << 16);
        this.file = file;
    }

    /** The next significant byte, not consumed; -1 at the end. */
    int peek() {
        if (peeked == -2) {
            int c;
            do {
                c = read();
            } while (c == ' ' || c == '\n' || c == '\r' || c == '\t');
            peeked = c;
        }
        return peeked;
    }

    void expect(char c) {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        peeked = -2;
    }

    /** Consumes {@code c} if it comes next. */
    boolean accept(char c) {
        if (peek() == c) {
            peeked = -2;
            return true;
        }
        return false;
    }

    byte[] string() {
        expect('"');
        var out = new ByteArrayOutputStream();
        for (int c; (c = read()) != '"'; ) {
            if (c < 0) {
                throw error("unterminated string");
            }
            if (out.size() >= MAX_STRING) {
                throw error("a string longer than " + MAX_STRING + " bytes");
            }
            if (c == '\\') {
                escape(out);
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }

    private void escape(ByteArrayOutputStream out) {
        int c = read();
        switch (c) {
            case 'n' -> out.write('\n');
            case 'r' -> out.write('\r');
            case 't' -> out.write('\t');
            case 'b' -> out.write('\b');
            case 'f' -> out.write('\f');
            case '/', '\\', '"' -> out.write(c);
            case 'u' -> {
                int code = 0;
                for (int i = 0; i < 4; i++) {
                    int digit = Character.digit(read(), 16);
                    if (digit < 0) {
                        throw error("bad \\u escape");
                    }
                    code = code * 16 + digit;
                }
                // ncdu writes \\u00XX for control bytes; anything wider goes out as UTF-8.
                out.writeBytes(code < 0x80 ? new byte[] {(byte) code} : Character.toString(code).getBytes(
                        java.nio.charset.StandardCharsets.UTF_8));
            }
            default -> throw error("bad escape");
        }
    }

    long number() {
        int c = peek();
        peeked = -2;
        boolean negative = c == '-';
        if (negative) {
            c = read();
        }
        if (c < '0' || c > '9') {
            throw error("expected a number");
        }
        long value = 0;
        while (true) {
            if (value > (Long.MAX_VALUE - 9) / 10) {
                throw error("a number too large");
            }
            value = value * 10 + (c - '0');
            c = read();
            if (c < '0' || c > '9') {
                break;
            }
        }
        if (c == '.' || c == 'e' || c == 'E') { // a fraction or exponent: keep the integer part
            while (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-' || c >= '0' && c <= '9') {
                c = read();
            }
        }
        peeked = c == ' ' || c == '\n' || c == '\r' || c == '\t' ? -2 : c;
        return negative ? -value : value;
    }

    /** true, false or null (as false). */
    boolean literal() {
        int c = peek();
        var word = c == 't' ? "true" : c == 'f' ? "false" : c == 'n' ? "null" : null;
        if (word == null) {
            throw error("expected true, false or null");
        }
        peeked = -2;
        for (int i = 1; i < word.length(); i++) {
            if (read() != word.charAt(i)) {
                throw error("expected " + word);
            }
        }
        return c == 't';
    }

    /** Skips one value of any kind, iteratively. */
    void skipValue() {
        int depth = 0;
        do {
            int c = peek();
            if (c == '[' || c == '{') {
                if (++depth > MAX_SKIP_DEPTH) {
                    throw error("nested deeper than " + MAX_SKIP_DEPTH);
                }
                peeked = -2;
                continue;
            }
            if (c == ']' || c == '}') {
                peeked = -2;
                depth--;
            } else if (c == '"') {
                string();
            } else if (c == '-' || c >= '0' && c <= '9') {
                number();
            } else if (c == ',' || c == ':') {
                peeked = -2;
                continue;
            } else {
                literal();
            }
        } while (depth > 0);
    }

    ToolException error(String what) {
        return new ToolException("cannot import " + file + ": not an ncdu export ("
                + (ended ? "unexpected end of file" : what) + " at byte " + (ended ? offset - 1 : offset) + ")");
    }

    private int read() {
        try {
            int c = in.read();
            offset++;
            ended |= c < 0;
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
