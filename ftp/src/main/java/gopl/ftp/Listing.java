package gopl.ftp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Directory listings in the forms clients parse: {@code ls -l} lines for LIST, bare names for NLST,
 * and RFC 3659 facts for MLSD and MLST. Links are followed (as {@code ls -lL} does); links leading
 * out of the root, and anything that is neither a file nor a directory, are left out.
 * Times are UTC, as MLSD requires and as lftp and curl assume for LIST. Numbers are ASCII
 * whatever the server's locale, and control characters in names are shown as {@code ?} (as
 * {@code ls -q} does), so that a name cannot send escape sequences to another user's terminal.
 */
final class Listing {
    /** One listed file: its name as shown and its attributes (of the link's target for a link). */
    record Entry(String name, BasicFileAttributes attrs) {
        boolean isDirectory() {
            return attrs.isDirectory();
        }
    }

    /** The entries a listing shows, and whether the directory had more than it read. */
    record Listed(List<Entry> entries, boolean cut) {}

    // Month names are the same in every locale's ls -l that clients parse; digits must be ASCII.
    private static final DateTimeFormatter RECENT = DateTimeFormatter.ofPattern("MMM ppd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter OLD = DateTimeFormatter.ofPattern("MMM ppd  yyyy", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter FACT_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final Duration HALF_YEAR = Duration.ofDays(182);

    private Listing() {}

    /** The entry for one real path, shown under {@code name}, or null if it is neither a file nor a directory. */
    static Entry stat(Jail jail, Path real, String name) throws IOException {
        var attrs = jail.attributes(real);
        return attrs.isRegularFile() || attrs.isDirectory() ? new Entry(name, attrs) : null;
    }

    /** A path's attributes, following links: POSIX ones where the file system has them. */
    static BasicFileAttributes attributes(Path path) throws IOException {
        try {
            return Files.readAttributes(path, PosixFileAttributes.class);
        } catch (UnsupportedOperationException e) {
            return Files.readAttributes(path, BasicFileAttributes.class);
        }
    }

    /**
     * The entries of directory {@code dir} (a real path) whose names pass the filter, sorted by
     * name. At most {@code limit} directory entries are read, matching or not: a huge directory
     * costs no more than that, in time or memory.
     */
    static Listed list(Jail jail, Path dir, Predicate<String> names, int limit) throws IOException {
        var entries = new ArrayList<Entry>();
        int read = 0;
        boolean cut = false;
        try (var stream = jail.openDirectory(dir)) {
            for (var child : stream) {
                if (++read > limit) {
                    cut = true;
                    break;
                }
                var name = child.getFileName().toString();
                if (!names.test(name)) {
                    continue;
                }
                try {
                    var entry = entry(jail, stream, child);
                    if (entry != null) {
                        entries.add(entry);
                    }
                } catch (IOException e) {
                    // Deleted while we listed it, or unreadable: leave it out, as ls would after a warning.
                }
            }
        }
        entries.sort(Comparator.comparing(Entry::name));
        return new Listed(entries, cut);
    }

    /** A directory's entry as listed: for a link, its target's attributes, or null if it leads out of the root. */
    private static Entry entry(Jail jail, SecureDirectoryStream<Path> dir, Path child) throws IOException {
        var attrs = DirEntry.attributes(dir, child.getFileName());
        if (attrs.isSymbolicLink()) {
            var target = jail.linkTarget(child);
            if (target == null) {
                return null;
            }
            attrs = jail.attributes(target);
        }
        return attrs.isRegularFile() || attrs.isDirectory() ? new Entry(child.getFileName().toString(), attrs) : null;
    }

    /** {@code drwxr-xr-x    2 ftp      ftp          4096 Mar  7 09:15 name}. */
    static String longLine(Entry entry, Instant now) {
        var attrs = entry.attrs();
        var modified = attrs.lastModifiedTime().toInstant();
        boolean recent = modified.isBefore(now.plus(Duration.ofHours(1))) && modified.isAfter(now.minus(HALF_YEAR));
        return String.format(Locale.ROOT, "%s%s %4d %-8s %-8s %12d %s %s",
                entry.isDirectory() ? 'd' : '-', permissions(attrs), entry.isDirectory() ? 2 : 1, "ftp", "ftp",
                attrs.size(), (recent ? RECENT : OLD).format(modified), Reply.printable(entry.name()));
    }

    /** {@code type=file;size=5;modify=20240307091500;perm=r;UNIX.mode=0644; name} (RFC 3659 7.2). */
    static String facts(Entry entry, boolean canWrite) {
        var attrs = entry.attrs();
        var text = new StringBuilder();
        text.append("type=").append(entry.isDirectory() ? "dir" : "file").append(';');
        if (!entry.isDirectory()) {
            text.append("size=").append(attrs.size()).append(';');
        }
        text.append("modify=").append(time(attrs.lastModifiedTime())).append(';');
        text.append("perm=").append(perm(entry.isDirectory(), canWrite)).append(';');
        if (attrs instanceof PosixFileAttributes posix) {
            text.append("UNIX.mode=0").append(Integer.toOctalString(mode(posix.permissions()))).append(';');
        }
        return text.append(' ').append(Reply.printable(entry.name())).toString();
    }

    /** MDTM and MLSx time: {@code 20240307091500}, UTC. */
    static String time(FileTime time) {
        return FACT_TIME.format(time.toInstant());
    }

    /** The inverse of {@link #time}. */
    static Instant parseTime(String text) {
        return FACT_TIME.parse(text, Instant::from);
    }

    /** {@code 0644} as a permission set. */
    static Set<PosixFilePermission> permissions(int mode) {
        var set = EnumSet.noneOf(PosixFilePermission.class);
        for (var p : PosixFilePermission.values()) {
            if ((mode & (0400 >> p.ordinal())) != 0) {
                set.add(p);
            }
        }
        return set;
    }

    private static String perm(boolean directory, boolean canWrite) {
        if (directory) {
            return canWrite ? "elcmpdf" : "el"; // enter, list; create, make dir, purge, delete, rename
        }
        return canWrite ? "rawdf" : "r"; // retrieve; append, write, delete, rename
    }

    private static String permissions(BasicFileAttributes attrs) {
        if (attrs instanceof PosixFileAttributes posix) {
            return PosixFilePermissions.toString(posix.permissions());
        }
        return attrs.isDirectory() ? "rwxr-xr-x" : "rw-r--r--";
    }

    private static int mode(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (var p : permissions) {
            mode |= 0400 >> p.ordinal(); // the enum runs OWNER_READ ... OTHERS_EXECUTE, high bit first
        }
        return mode;
    }
}
