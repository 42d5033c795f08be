package gopl.ftp;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.ByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.util.Locale;
import java.util.function.LongConsumer;

/**
 * The commands that set up and start transfers: PASV, EPSV, PORT, EPRT, TYPE, MODE, STRU, REST,
 * RETR, STOR, APPE, STOU (listings are in {@link ListCommands}). Each transfer command checks what
 * it can before the data connection opens (550 for a missing file), then hands the work to a
 * {@link Transfer}, which the session keeps while it runs.
 */
final class TransferCommands implements AutoCloseable {
    private static final int UNIQUE_TRIES = 100;

    private final Session.Context context;
    private final Reply reply;
    private DataConnection pending;
    private boolean ascii;
    private long restart;
    private boolean epsvAll;

    TransferCommands(Session.Context context) {
        this.context = context;
        this.reply = context.reply();
    }

    void pasv() throws IOException {
        if (refusedAfterEpsvAll()) {
            return;
        }
        var local = context.control().getLocalAddress();
        var shown = context.settings().publicAddress() != null ? context.settings().publicAddress() : local;
        if (!(shown instanceof Inet4Address)) {
            reply.send(425, "PASV is for IPv4: use EPSV.");
            return;
        }
        if (listen(local)) {
            reply.send(227, pending.pasvText(shown));
        }
    }

    void epsv(String arg) throws IOException {
        var local = context.control().getLocalAddress();
        switch (arg.strip().toUpperCase(Locale.ROOT)) {
            case "ALL" -> {
                epsvAll = true; // RFC 2428: from now on only EPSV, so NATs need not parse PORT
                reply.send(200, "EPSV ALL ok.");
            }
            case "", "1", "2" -> {
                var wanted = arg.strip();
                if (!wanted.isEmpty() && wanted.equals("1") != (local instanceof Inet4Address)) {
                    reply.send(522, "Network protocol not supported, use (" + (local instanceof Inet4Address ? 1 : 2) + ")");
                } else if (listen(local)) {
                    reply.send(229, "Entering Extended Passive Mode (|||" + pending.port() + "|)");
                }
            }
            default -> reply.send(501, "EPSV takes 1, 2 or ALL.");
        }
    }

    private boolean listen(InetAddress local) throws IOException {
        closePending();
        try {
            pending = context.shared().passivePorts().open(local, context.client());
            return true;
        } catch (IOException e) {
            reply.send(425, "Can't open passive connection: " + e.getMessage() + ".");
            return false;
        }
    }

    void port(String arg, boolean extended) throws IOException {
        if (refusedAfterEpsvAll()) {
            return;
        }
        InetSocketAddress target;
        try {
            target = extended ? DataConnection.parseEprt(arg) : DataConnection.parsePort(arg);
        } catch (UnsupportedOperationException e) {
            reply.send(522, e.getMessage());
            return;
        } catch (IllegalArgumentException e) {
            reply.send(501, extended ? "Syntax: EPRT |1|h.h.h.h|port|" : "Syntax: PORT h1,h2,h3,h4,p1,p2");
            return;
        }
        // The FTP bounce attack (RFC 2577): data connections go to the client and nowhere else.
        if (!target.getAddress().equals(context.client())) {
            reply.send(501, "Refusing a data connection to an address other than yours.");
        } else if (target.getPort() < 1024) {
            reply.send(501, "Refusing a data connection to a privileged port.");
        } else {
            closePending();
            pending = DataConnection.active(target, context.control().getLocalAddress(), context.client());
            reply.send(200, (extended ? "EPRT" : "PORT") + " command successful. Consider using PASV.");
        }
    }

    private boolean refusedAfterEpsvAll() throws IOException {
        if (epsvAll) {
            reply.send(503, "Only EPSV after EPSV ALL.");
        }
        return epsvAll;
    }

    void type(String arg) throws IOException {
        switch (arg.strip().toUpperCase(Locale.ROOT).replaceAll("\\s+", " ")) {
            case "A", "A N" -> ascii = true;
            case "I", "L 8" -> ascii = false;
            case "" -> {
                reply.send(501, "TYPE takes A or I.");
                return;
            }
            default -> {
                reply.send(504, "TYPE " + arg + " not supported: use A or I.");
                return;
            }
        }
        reply.send(200, "Switching to " + (ascii ? "ASCII" : "Binary") + " mode.");
    }

    /** MODE and STRU: only stream mode and file structure, which is what every client uses. */
    void mode(String command, String arg, String supported) throws IOException {
        if (arg.strip().equalsIgnoreCase(supported)) {
            reply.send(200, command + " set to " + supported.toUpperCase(Locale.ROOT) + ".");
        } else {
            reply.send(504, command + " " + arg + " not supported.");
        }
    }

    void rest(String arg) throws IOException {
        try {
            long offset = Long.parseLong(arg.strip());
            if (offset < 0) {
                throw new NumberFormatException();
            }
            restart = offset;
            reply.send(350, "Restarting at " + offset + ". Send STORE or RETRIEVE.");
        } catch (NumberFormatException e) {
            reply.send(501, "REST takes a byte offset.");
        }
    }

    boolean ascii() {
        return ascii;
    }

    /** RETR: sends a file from the REST offset on. */
    Transfer retr(String arg) throws IOException {
        long offset = takeRestart();
        var path = context.files().path(arg);
        if (!dataReady()) {
            return null;
        }
        FileChannel file;
        try {
            file = context.files().openRegular(path);
        } catch (IOException | InvalidPathException e) {
            return refuse(path, e);
        }
        long size = file.size();
        if (offset > size) {
            file.close();
            closePending();
            reply.send(554, "Restart offset " + offset + " is past the end of the file (" + size + " bytes).");
            return null;
        }
        var opening = "Opening " + (ascii ? "ASCII" : "BINARY") + " mode data connection for " + path + " (" + (size - offset) + " bytes).";
        return start("RETR", path, false, opening, new Send(file, offset, ascii));
    }

    /** STOR, APPE and STOU: receives a file through an {@link Upload}, which a failure leaves undone. */
    Transfer store(String command, String arg) throws IOException {
        long offset = takeRestart();
        var path = command.equals("STOU") ? unique(arg) : context.files().path(arg);
        if (!dataReady()) {
            return null;
        }
        if (path == null) {
            return refuse(context.files().path(arg.isBlank() ? "upload" : arg), new FileAlreadyExistsException(arg));
        }
        Upload upload;
        try {
            var target = context.jail().locate(context.jail().resolve(path));
            upload = switch (command) {
                case "APPE" -> Upload.append(target);
                default -> offset > 0 ? Upload.resume(target, offset) : Upload.replace(target);
            };
        } catch (InvalidPathException e) {
            return refuse(path, e);
        } catch (IllegalArgumentException e) { // a REST offset past the end
            closePending();
            reply.send(554, e.getMessage());
            return null;
        } catch (IOException e) {
            return refuse(path, e);
        }
        var opening = command.equals("STOU") ? "FILE: " + path.substring(path.lastIndexOf('/') + 1) : "Ok to send data.";
        return start(command, path, false, opening, new Receive(upload, ascii));
    }

    /**
     * A name that does not exist yet, from STOU's optional suggestion: the name itself or the name
     * followed by {@code .1} to {@code .99}; null if all are taken (each try costs a look-up).
     */
    private String unique(String arg) {
        var base = context.files().path(arg.isBlank() ? "upload" : arg);
        try {
            for (int n = 0; n < UNIQUE_TRIES; n++) {
                var path = n == 0 ? base : base + "." + n;
                if (!Files.exists(context.jail().resolve(path), LinkOption.NOFOLLOW_LINKS)) {
                    return path;
                }
            }
            return null;
        } catch (IOException | InvalidPathException e) {
            return base; // the directory is not there, or the name is impossible: the upload will say so
        }
    }

    /** Starts a transfer on the data connection PASV or PORT prepared; the session takes it from here. */
    Transfer start(String command, String path, boolean quiet, String opening, Transfer.Body body) {
        var data = pending;
        pending = null;
        var traffic = body instanceof Receive ? context.shared().dataIn() : context.shared().dataOut();
        var party = new Transfer.Party(context.who(), context.client(), context.protection(), traffic);
        return Transfer.start(command, path, party, quiet, data, reply, opening, context.limits().dataTimeout(), body);
    }

    /** Whether PASV or PORT came first and the data may go as PROT says; if not, says why (425, 521). */
    boolean dataReady() throws IOException {
        if (pending == null) {
            reply.send(425, "Use PASV, EPSV, PORT or EPRT first.");
            return false;
        }
        var refusal = context.protection().dataRefusal();
        if (refusal != null) {
            closePending();
            reply.send(refusal.code(), refusal.text());
            return false;
        }
        return true;
    }

    /** Replies with why a transfer cannot start, and drops its data connection: a stale one must not serve the next. */
    Transfer refuse(String path, Exception e) throws IOException {
        closePending();
        if (e instanceof IOException io) {
            reply.failed(path, io);
        } else {
            reply.send(553, "File name not allowed.");
        }
        return null;
    }

    private long takeRestart() {
        long offset = restart;
        restart = 0;
        return offset;
    }

    private void closePending() {
        if (pending != null) {
            pending.close();
            pending = null;
        }
    }

    @Override
    public void close() {
        closePending();
    }

    private record Send(FileChannel file, long offset, boolean ascii) implements Transfer.Body {
        @Override
        public void run(ByteChannel data, LongConsumer progress) throws IOException {
            Copy.send(file, offset, data, ascii, progress);
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }

    private record Receive(Upload upload, boolean ascii) implements Transfer.Body {
        @Override
        public void run(ByteChannel data, LongConsumer progress) throws IOException {
            Copy.receive(data, upload.channel(), ascii, progress);
        }

        @Override
        public void commit() throws IOException {
            upload.commit();
        }

        @Override
        public void close() throws IOException {
            upload.close();
        }
    }
}
