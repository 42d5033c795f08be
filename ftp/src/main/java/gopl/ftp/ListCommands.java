package gopl.ftp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.function.Predicate;

/**
 * LIST, NLST and MLSD over a data connection, and STAT with a path over the control connection.
 * {@code ls} options such as {@code -la} are read as options, never as a file name ({@code -a}
 * shows dot files); a {@code *}, {@code ?} or {@code [..]} in the last part of the path is matched
 * here, as BSD ftp's {@code mget *.txt} expects of a server, by {@link Glob} in linear time. A
 * listing reads at most {@code --max-list-entries} entries of a directory, and says when it stopped.
 */
final class ListCommands {
    private final Session.Context context;
    private final TransferCommands transfers;

    ListCommands(Session.Context context, TransferCommands transfers) {
        this.context = context;
        this.transfers = transfers;
    }

    /** The lines of a listing, and whether the directory had more entries than it was allowed to read. */
    private record Lines(List<String> lines, boolean cut) {}

    Transfer list(String command, String arg) throws IOException {
        var request = Request.parse(command, arg);
        if (!transfers.dataReady()) {
            return null;
        }
        var path = context.files().path(request.target());
        Lines lines;
        try {
            lines = lines(command, request);
        } catch (NotDirectoryException e) {
            return transfers.refuse(path, new NotDirectoryException(path)); // MLSD on a file: RFC 3659 wants an error
        } catch (IOException | InvalidPathException e) {
            return transfers.refuse(path, e);
        }
        return transfers.start(command, path, true, "Here comes the directory listing.", new Send(lines, cutNote()));
    }

    /** STAT with a path: the {@code ls -l} listing on the control connection (213). */
    void stat(String arg) throws IOException {
        var request = Request.parse("LIST", arg);
        var path = context.files().path(request.target());
        try {
            var lines = lines("LIST", request);
            context.reply().send(213, "Status of " + path + ":", lines.lines(), "End of status" + (lines.cut() ? cutNote() : "."));
        } catch (IOException | InvalidPathException e) {
            if (e instanceof IOException io) {
                context.reply().failed(path, io);
            } else {
                context.reply().send(553, "File name not allowed.");
            }
        }
    }

    private String cutNote() {
        return "; listing cut at " + context.limits().maxListEntries() + " directory entries.";
    }

    /** The options and the path of a listing command: {@code LIST -la docs} is {@code -la} and {@code docs}. */
    private record Request(String target, boolean all) {
        static Request parse(String command, String arg) {
            var target = arg.strip();
            boolean all = command.equals("MLSD");
            while (!command.equals("MLSD") && target.startsWith("-")) {
                int space = target.indexOf(' ');
                var options = space < 0 ? target : target.substring(0, space);
                all |= options.contains("a") || options.contains("A");
                target = space < 0 ? "" : target.substring(space + 1).strip();
            }
            return new Request(target, all);
        }
    }

    private Lines lines(String command, Request request) throws IOException {
        var jail = context.jail();
        var target = request.target();
        var real = jail.resolve(context.files().path(target));
        Predicate<String> shown = name -> request.all() || !name.startsWith(".");
        Listing.Listed listed;
        var prefix = "";
        var attrs = attributesOrNull(real);
        if (attrs != null && attrs.isDirectory()) {
            listed = Listing.list(jail, real, shown, context.limits().maxListEntries());
        } else if (command.equals("MLSD")) {
            throw attrs != null ? new NotDirectoryException(target) : new NoSuchFileException(target);
        } else if (attrs != null) {
            var entry = Listing.stat(jail, real, target);
            listed = new Listing.Listed(entry == null ? List.of() : List.of(entry), false);
        } else {
            int slash = target.lastIndexOf('/');
            prefix = target.substring(0, slash + 1);
            listed = glob(prefix, target.substring(slash + 1), shown);
        }
        return new Lines(format(command, prefix, listed.entries()), listed.cut());
    }

    private BasicFileAttributes attributesOrNull(Path real) throws IOException {
        try {
            return context.jail().attributes(real);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** The entries of {@code dir} that {@code pattern} matches; dot files only if it starts with a dot. */
    private Listing.Listed glob(String dir, String pattern, Predicate<String> shown) throws IOException {
        if (!Glob.isPattern(pattern)) {
            throw new NoSuchFileException(pattern);
        }
        Glob glob;
        try {
            glob = Glob.compile(pattern);
        } catch (Glob.TooLong e) {
            throw new FileSystemException(pattern, null, "Pattern longer than " + Glob.MAX_LENGTH + " characters");
        }
        var real = context.jail().resolve(context.files().path(dir.isEmpty() ? "." : dir));
        boolean dots = pattern.startsWith(".");
        return Listing.list(context.jail(), real, name -> glob.matches(name) && (dots || shown.test(name)),
                context.limits().maxListEntries());
    }

    private List<String> format(String command, String prefix, List<Listing.Entry> entries) {
        var now = Instant.now();
        var lines = new ArrayList<String>(entries.size());
        for (var entry : entries) {
            lines.add(switch (command) {
                case "NLST" -> Reply.printable(prefix + entry.name());
                case "MLSD" -> Listing.facts(entry, context.canWrite());
                default -> Listing.longLine(new Listing.Entry(prefix + entry.name(), entry.attrs()), now);
            });
        }
        return lines;
    }

    /** A listing's lines, CRLF-ended whatever the TYPE, written in chunks; the 226 says if it was cut. */
    private record Send(Lines lines, String cutNote) implements Transfer.Body {
        @Override
        public void run(ByteChannel data, LongConsumer progress) throws IOException {
            var all = lines.lines();
            var chunk = new StringBuilder();
            for (int i = 0; i < all.size(); i++) {
                chunk.append(all.get(i)).append("\r\n");
                if (chunk.length() > 32 * 1024 || i == all.size() - 1) {
                    var bytes = ByteBuffer.wrap(chunk.toString().getBytes(StandardCharsets.UTF_8));
                    Copy.writeFully(data, bytes);
                    progress.accept(bytes.limit());
                    chunk.setLength(0);
                }
            }
        }

        @Override
        public String note() {
            return lines.cut() ? cutNote : ".";
        }
    }
}
