package gopl.ftp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.function.Predicate;
import java.util.regex.PatternSyntaxException;

/**
 * LIST, NLST and MLSD over a data connection, and STAT with a path over the control connection.
 * {@code ls} options such as {@code -la} are read as options, never as a file name ({@code -a}
 * shows dot files); a {@code *}, {@code ?} or {@code [..]} in the last part of the path is matched
 * here, as BSD ftp's {@code mget *.txt} expects of a server.
 */
final class ListCommands {
    private final Session.Context context;
    private final TransferCommands transfers;

    ListCommands(Session.Context context, TransferCommands transfers) {
        this.context = context;
        this.transfers = transfers;
    }

    Transfer list(String command, String arg) throws IOException {
        var request = Request.parse(command, arg);
        if (!transfers.dataReady()) {
            return null;
        }
        var path = context.files().path(request.target());
        List<String> lines;
        try {
            lines = lines(command, request);
        } catch (NotDirectoryException e) {
            return transfers.refuse(path, new NotDirectoryException(path)); // MLSD on a file: RFC 3659 wants an error
        } catch (IOException | InvalidPathException e) {
            return transfers.refuse(path, e);
        }
        return transfers.start(command, path, true, "Here comes the directory listing.", new Lines(lines));
    }

    /** STAT with a path: the {@code ls -l} listing on the control connection (213). */
    void stat(String arg) throws IOException {
        var request = Request.parse("LIST", arg);
        var path = context.files().path(request.target());
        try {
            context.reply().send(213, "Status of " + path + ":", lines("LIST", request), "End of status.");
        } catch (IOException | InvalidPathException e) {
            if (e instanceof IOException io) {
                context.reply().failed(path, io);
            } else {
                context.reply().send(553, "File name not allowed.");
            }
        }
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

    private List<String> lines(String command, Request request) throws IOException {
        var jail = context.jail();
        var target = request.target();
        var real = jail.resolve(context.files().path(target));
        Predicate<String> shown = name -> request.all() || !name.startsWith(".");
        List<Listing.Entry> entries;
        var prefix = "";
        if (Files.isDirectory(real)) {
            entries = Listing.list(jail, real, shown);
        } else if (command.equals("MLSD")) {
            throw Files.exists(real) ? new NotDirectoryException(target) : new NoSuchFileException(target);
        } else if (Files.exists(real)) {
            var entry = Listing.stat(real, target);
            entries = entry == null ? List.of() : List.of(entry);
        } else {
            int slash = target.lastIndexOf('/');
            prefix = target.substring(0, slash + 1);
            entries = glob(prefix, target.substring(slash + 1), shown);
        }
        return format(command, prefix, entries);
    }

    private List<Listing.Entry> glob(String dir, String pattern, Predicate<String> shown) throws IOException {
        if (!pattern.matches(".*[*?\\[].*")) {
            throw new NoSuchFileException(pattern);
        }
        var real = context.jail().resolve(context.files().path(dir.isEmpty() ? "." : dir));
        try {
            var matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
            boolean dots = pattern.startsWith(".");
            return Listing.list(context.jail(), real, name -> matcher.matches(Path.of(name)) && (dots || shown.test(name)));
        } catch (PatternSyntaxException | InvalidPathException e) {
            throw new NoSuchFileException(pattern);
        }
    }

    private List<String> format(String command, String prefix, List<Listing.Entry> entries) {
        var now = Instant.now();
        var lines = new ArrayList<String>(entries.size());
        for (var entry : entries) {
            lines.add(switch (command) {
                case "NLST" -> prefix + entry.name();
                case "MLSD" -> Listing.facts(entry, context.canWrite());
                default -> Listing.longLine(new Listing.Entry(prefix + entry.name(), entry.attrs()), now);
            });
        }
        return lines;
    }

    /** A listing's lines, CRLF-ended whatever the TYPE, written in chunks. */
    private record Lines(List<String> lines) implements Transfer.Body {
        @Override
        public void run(SocketChannel data, LongConsumer progress) throws IOException {
            var chunk = new StringBuilder();
            for (int i = 0; i < lines.size(); i++) {
                chunk.append(lines.get(i)).append("\r\n");
                if (chunk.length() > 32 * 1024 || i == lines.size() - 1) {
                    var bytes = ByteBuffer.wrap(chunk.toString().getBytes(StandardCharsets.UTF_8));
                    while (bytes.hasRemaining()) {
                        data.write(bytes);
                    }
                    progress.accept(bytes.limit());
                    chunk.setLength(0);
                }
            }
        }
    }
}
