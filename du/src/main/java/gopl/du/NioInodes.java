package gopl.du;

import static gopl.common.IoErrors.reason;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;

/**
 * The fallback where the C library cannot be called: java.nio's "unix" attributes give the
 * inode, device, link count, mode, size and times but not the allocated blocks, so disk usage
 * counts whole 4 KiB blocks of the apparent size. Names that are not valid in the file-name
 * charset cannot be represented here.
 */
final class NioInodes implements Inodes {
    private static final Charset NAMES = Inodes.fileNameCharset();
    private final String attributes;
    private final Time time;

    NioInodes(Time time) {
        this.time = time;
        this.attributes = "unix:mode,ino,dev,nlink,size" + switch (time) {
            case NONE -> "";
            case MODIFICATION -> ",lastModifiedTime";
            case ACCESS -> ",lastAccessTime";
            case STATUS_CHANGE -> ",ctime";
        };
    }

    private record PathDirectory(Path nio, byte[] path) implements Directory {
        @Override
        public void close() {}
    }

    @Override
    public Status stat(byte[] path, boolean follow) {
        var status = new Status();
        var nio = Path.of(new String(path, NAMES));
        try {
            stat(nio, follow, status);
        } catch (NoSuchFileException e) {
            fail(status, follow && Files.isSymbolicLink(nio) ? null : reason(e));
        } catch (IOException e) {
            fail(status, reason(e));
        }
        return status;
    }

    @Override
    public Directory open(byte[] path, boolean follow) {
        return new PathDirectory(Path.of(new String(path, NAMES)), path);
    }

    @Override
    public Directory open(Directory parent, byte[] name, boolean follow) {
        return new PathDirectory(((PathDirectory) parent).nio().resolve(new String(name, NAMES)),
                Inodes.child(parent.path(), name));
    }

    @Override
    public void list(Directory directory, boolean follow, Visitor visitor) throws IOException {
        var status = new Status();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(((PathDirectory) directory).nio())) {
            for (var entry : entries) {
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                var name = entry.getFileName().toString().getBytes(NAMES);
                if (!visitor.wants(name, 0, name.length)) {
                    continue;
                }
                try {
                    stat(entry, follow, status);
                } catch (NoSuchFileException e) {
                    fail(status, follow && Files.isSymbolicLink(entry) ? null : reason(e)); // dangling under -L
                } catch (IOException e) {
                    fail(status, reason(e));
                }
                visitor.entry(name, 0, name.length, status.ino, status);
            }
        } catch (IOException e) {
            throw new IOException(reason(e), e);
        } catch (DirectoryIteratorException e) {
            throw new IOException(reason(e.getCause()), e.getCause());
        }
    }

    private static void fail(Status status, String reason) {
        status.failed = true;
        status.errno = 0;
        status.reason = reason;
    }

    @Override
    public long fileSystemType(Directory directory) {
        return 0;
    }

    private void stat(Path path, boolean follow, Status status) throws IOException {
        var options = follow ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
        Map<String, Object> a = Files.readAttributes(path, attributes, options);
        status.failed = false;
        status.errno = 0;
        status.reason = null;
        status.size = (Long) a.get("size");
        status.mode = (Integer) a.get("mode");
        status.dev = (Long) a.get("dev");
        status.ino = (Long) a.get("ino");
        status.nlink = (Integer) a.get("nlink");
        status.blocks = Math.ceilDiv(status.size, 4096) * 8;
        if (time != Time.NONE) {
            var instant = ((FileTime) a.get(switch (time) {
                case MODIFICATION -> "lastModifiedTime";
                case ACCESS -> "lastAccessTime";
                default -> "ctime";
            })).toInstant();
            status.seconds = instant.getEpochSecond();
            status.nanos = instant.getNano();
        }
    }
}
