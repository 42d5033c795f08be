package gopl.ftp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Times are UTC, as MLSD requires and as lftp and curl assume for LIST.
 */
final class Listing {
    /** One listed file: its name as shown and its attributes (of the link's target for a link). */
    record Entry(String name, BasicFileAttributes attrs) {
        boolean isDirectory() {
            return attrs.isDirectory();
        }
    }

    private static final DateTimeFormatter RECENT = DateTimeFormatter.ofPattern("MMM ppd HH:mm", Locale.US).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter OLD = DateTimeFormatter.ofPattern("MMM ppd  yyyy", Locale.US).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter FACT_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);
    private static final Duration HALF_YEAR = Duration.ofDays(182);

    private Listing() {}

    /** The entry for one file, shown under {@code name}, or null if it is neither a file nor a directory. */
    static Entry stat(Path file, String name) throws IOException {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, PosixFileAttributes.class);
        } catch (UnsupportedOperationException e) {
            attrs = Files.readAttributes(file, BasicFileAttributes.class);
        }
        return attrs.isRegularFile() || attrs.isDirectory() ? new Entry(name, attrs) : null;
    }

    /** The entries of a directory whose names pass the filter, sorted by name. */
    static List<Entry> list(Jail jail, Path dir, Predicate<String> names) throws IOException {
        var entries = new ArrayList<Entry>();
        try (var children = Files.newDirectoryStream(dir)) {
            for (var child : children) {
                var name = child.getFileName().toString();
                if (!names.test(name) || jail.leadsOut(child)) {
                    continue;
                }
                try {
                    var entry = stat(child, name);
                    if (entry != null) {
                        entries.add(entry);
                    }
                } catch (IOException e) {
                    // Deleted while we listed it, or unreadable: leave it out, as ls would after a warning.
                }
            }
        }
        entries.sort(Comparator.comparing(Entry::name));
        return entries;
    }

    /** {@code drwxr-xr-x    2 ftp      ftp          4096 Mar  7 09:15 name}. */
    static String longLine(Entry entry, Instant now) {
        var attrs = entry.attrs();
        var modified = attrs.lastModifiedTime().toInstant();
        boolean recent = modified.isBefore(now.plus(Duration.ofHours(1))) && modified.isAfter(now.minus(HALF_YEAR));
        return String.format("%s%s %4d %-8s %-8s %12d %s %s",
                entry.isDirectory() ? 'd' : '-', permissions(attrs), entry.isDirectory() ? 2 : 1, "ftp", "ftp",
                attrs.size(), (recent ? RECENT : OLD).format(modified), entry.name());
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
        return text.append(' ').append(entry.name()).toString();
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
