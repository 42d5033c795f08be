package gopl.du;

import gopl.common.IoErrors;
import gopl.common.ToolException;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The names of {@code --files0-from=F}, read as they come (F may be a pipe from find -print0):
 * each ends with NUL, the last may not. A name longer than any path can be is an error, not a
 * reason to read without bound.
 */
final class Files0From implements Iterator<byte[]> {
    private final InputStream in;
    private final String file;
    private final int maxName;
    private byte[] next;
    private boolean ended;

    Files0From(InputStream in, String file, int maxName) {
        this.in = new BufferedInputStream(in, 64 * 1024);
        this.file = file;
        this.maxName = maxName;
    }

    @Override
    public boolean hasNext() {
        if (next == null && !ended) {
            next = read();
        }
        return next != null;
    }

    @Override
    public byte[] next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        var name = next;
        next = null;
        return name;
    }

    private byte[] read() {
        var name = new ByteArrayOutputStream();
        try {
            for (int b; (b = in.read()) >= 0; ) {
                if (b == 0) {
                    return name.toByteArray();
                }
                if (name.size() == maxName) {
                    throw new ToolException(Inodes.quoteIfNeeded(file.getBytes()) + ": a file name longer than "
                            + maxName + " bytes");
                }
                name.write(b);
            }
        } catch (IOException e) {
            throw new ToolException(Inodes.quoteIfNeeded(file.getBytes()) + ": read error: " + IoErrors.reason(e), e);
        }
        ended = true;
        return name.size() > 0 ? name.toByteArray() : null;
    }
}
