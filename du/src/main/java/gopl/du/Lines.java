package gopl.du;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.Arrays;

/**
 * du's output lines, {@code SIZE[\tFILES][\tTIME]\tPATH} and a newline or NUL, written as bytes
 * (a path need not be valid in any charset) through a buffer: flushed when full, when the walk
 * is about to wait with lines pending for a while, and at the end. With {@code --sort=size} the
 * lines are kept, compactly, and written in ascending order of size at the end.
 */
final class Lines {
    /** How a line looks: the unit, what it counts, the extra columns, the terminator. */
    record Format(BlockSize unit, boolean inodes, boolean files, String timeFormat, ZoneId zone, boolean nul) {}

    private static final long STALE_NANOS = 100_000_000L;

    private final OutputStream out;
    private final Format format;
    private final boolean sorted, eachLine;
    private byte[] buffer = new byte[64 * 1024];
    private int length;
    private long lastFlush = System.nanoTime();
    // --sort: every line's sort key and where it starts in the buffer
    private long[] keys = new long[0];
    private int[] starts = new int[0];
    private int count;

    /** {@code eachLine}: flush every line, as on a terminal, where a person reads them as they come. */
    Lines(OutputStream out, Format format, boolean sorted, boolean eachLine) {
        this.out = out;
        this.format = format;
        this.sorted = sorted;
        this.eachLine = eachLine && !sorted;
    }

    /** A line for a path: {@code path[0, length)}. */
    void line(Tally.Sum sum, byte[] path, int pathLength) {
        int start = length;
        prefix(sum);
        append(path, 0, pathLength);
        end(sum, start);
    }

    /** A line for a name that is not a path: "total", or a root marked "(partial)". */
    void line(Tally.Sum sum, String name) {
        int start = length;
        prefix(sum);
        var bytes = name.getBytes(Inodes.fileNameCharset());
        append(bytes, 0, bytes.length);
        end(sum, start);
    }

    private void prefix(Tally.Sum sum) {
        var unit = format.inodes() ? format.unit().forCounts() : format.unit();
        long value = format.inodes() ? sum.inodes : sum.size;
        if (unit.plain()) {
            digits(unit.amount(value)); // the common case, without a String a line
        } else {
            ascii(unit.format(value));
        }
        ascii("\t");
        if (format.files()) {
            digits(sum.files);
            ascii("\t");
        }
        if (format.timeFormat() != null) {
            var time = TimeStyle.format(format.timeFormat(), sum.seconds, Math.max(0, sum.nanos), format.zone());
            var bytes = time.getBytes(StandardCharsets.UTF_8);
            append(bytes, 0, bytes.length);
            ascii("\t");
        }
    }

    private void end(Tally.Sum sum, int start) {
        append(new byte[] {(byte) (format.nul() ? 0 : '\n')}, 0, 1);
        if (sorted) {
            if (count == keys.length) {
                keys = Arrays.copyOf(keys, Math.max(16, count * 2));
                starts = Arrays.copyOf(starts, keys.length);
            }
            keys[count] = format.inodes() ? sum.inodes : sum.size;
            starts[count++] = start;
        } else if (eachLine || length > buffer.length - 8192) {
            flush();
        }
    }

    /** Writes what is pending if it has waited long: called before the walk waits or reads. */
    void flushIfStale() {
        if (!sorted && length > 0 && System.nanoTime() - lastFlush > STALE_NANOS) {
            flush();
        }
    }

    /** Writes every line: in sorted order with --sort, else what is still buffered. */
    void finish() {
        if (sorted) {
            var sortedLines = new byte[length];
            int at = 0;
            for (int i : order()) {
                int end = i + 1 < count ? starts[i + 1] : length;
                System.arraycopy(buffer, starts[i], sortedLines, at, end - starts[i]);
                at += end - starts[i];
            }
            buffer = sortedLines;
            count = 0;
        }
        flush();
    }

    /** Line numbers by ascending size, ties in du's order (a stable sort). */
    private Integer[] order() {
        var order = new Integer[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compareUnsigned(keys[a], keys[b]));
        return order;
    }

    private void flush() {
        try {
            out.write(buffer, 0, length);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        length = 0;
        lastFlush = System.nanoTime();
    }

    /** An unsigned number in decimal. */
    private void digits(long value) {
        ensure(20);
        int start = length;
        do {
            buffer[length++] = (byte) ('0' + Long.remainderUnsigned(value, 10));
            value = Long.divideUnsigned(value, 10);
        } while (value != 0);
        for (int i = start, j = length - 1; i < j; i++, j--) { // the digits came lowest first
            byte digit = buffer[i];
            buffer[i] = buffer[j];
            buffer[j] = digit;
        }
    }

    private void ascii(String text) {
        ensure(text.length());
        for (int i = 0; i < text.length(); i++) {
            buffer[length++] = (byte) text.charAt(i);
        }
    }

    private void append(byte[] bytes, int at, int n) {
        ensure(n);
        System.arraycopy(bytes, at, buffer, length, n);
        length += n;
    }

    private void ensure(int n) {
        if (length + n > buffer.length) {
            if (!sorted && n < buffer.length / 2) {
                flush();
            } else {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + n));
            }
        }
    }
}
