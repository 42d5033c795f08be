package gopl.ftp;

import java.io.Closeable;
import java.io.IOException;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The data connection that PASV/EPSV or PORT/EPRT prepared, opened when a transfer starts. Passive
 * mode accepts a connection only from the client's own address (no one else can steal the data);
 * active mode connects only back to it (no FTP bounce: the session refuses other addresses).
 * A passive listener that no connection reached by its deadline closes ({@link #expireAfter}), so
 * a client cannot sit on a passive port. {@link #close()} may come from another thread, and then
 * ends a blocked accept, connect or copy.
 */
final class DataConnection implements Closeable {
    /** A passive port range, {@code 30000-30100}. */
    record Ports(int first, int last) {
        static Ports parse(String text) {
            var parts = text.split("-", -1);
            try {
                int first = Integer.parseInt(parts[0].strip());
                int last = parts.length == 2 ? Integer.parseInt(parts[1].strip()) : first;
                if (parts.length <= 2 && 1024 <= first && first <= last && last <= 65535) {
                    return new Ports(first, last);
                }
            } catch (NumberFormatException e) {
                // fall through to the message
            }
            throw new IllegalArgumentException("'" + text + "' is not a port range like 30000-30100 (ports 1024-65535)");
        }
    }

    private final InetAddress client;
    private final ServerSocketChannel listener;
    private final InetSocketAddress target;
    private final InetAddress local;
    private final AtomicReference<Runnable> onListenerClosed; // run once, when the passive port is let go
    private volatile SocketChannel channel;
    private volatile boolean closed;
    private volatile Future<?> expiry;

    private DataConnection(InetAddress client, ServerSocketChannel listener, InetSocketAddress target, InetAddress local,
            Runnable onListenerClosed) {
        this.client = client;
        this.listener = listener;
        this.target = target;
        this.local = local;
        this.onListenerClosed = new AtomicReference<>(onListenerClosed);
    }

    /**
     * Listens on {@code local}, on a port from the range (any free port when it is null);
     * {@code onListenerClosed} runs once the port is let go, whether used or not.
     */
    static DataConnection passive(InetAddress local, InetAddress client, Ports ports, Runnable onListenerClosed) throws IOException {
        var listener = ServerSocketChannel.open();
        try {
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            bind(listener, local, ports);
        } catch (IOException e) {
            listener.close();
            throw e;
        }
        return new DataConnection(client, listener, null, local, onListenerClosed);
    }

    /** Will connect to {@code target} from {@code local}; the caller has checked it is the client. */
    static DataConnection active(InetSocketAddress target, InetAddress local, InetAddress client) {
        return new DataConnection(client, null, target, local, () -> {});
    }

    /** Closes a passive listener that no one connected to within {@code timeout}; it is no activity to hold one. */
    void expireAfter(ScheduledExecutorService timer, Duration timeout) {
        expiry = timer.schedule(this::expire, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized void expire() {
        if (channel == null) {
            close();
        }
    }

    private static void bind(ServerSocketChannel listener, InetAddress local, Ports ports) throws IOException {
        if (ports == null) {
            listener.bind(new InetSocketAddress(local, 0), 4);
            return;
        }
        int count = ports.last() - ports.first() + 1;
        int start = ThreadLocalRandom.current().nextInt(count); // spread sessions over the range
        for (int i = 0; i < count; i++) {
            try {
                listener.bind(new InetSocketAddress(local, ports.first() + (start + i) % count), 4);
                return;
            } catch (BindException e) {
                // in use: try the next one
            }
        }
        throw new BindException("no free passive port in " + ports.first() + "-" + ports.last());
    }

    /** The passive port clients are to connect to. */
    int port() {
        return listener.socket().getLocalPort();
    }

    /** Accepts the client's connection (passive) or connects to it (active). */
    SocketChannel open(Duration timeout) throws IOException {
        if (listener != null) {
            return accept();
        }
        var ch = SocketChannel.open();
        channel = ch;
        if (closed) {
            ch.close();
            throw new ClosedChannelException();
        }
        ch.bind(new InetSocketAddress(local, 0));
        ch.socket().connect(target, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        return ch;
    }

    private SocketChannel accept() throws IOException {
        while (true) {
            var ch = listener.accept();
            var peer = ((InetSocketAddress) ch.getRemoteAddress()).getAddress();
            if (peer.equals(client)) {
                synchronized (this) {
                    channel = ch;
                }
                closeListener();
                if (closed) {
                    ch.close();
                }
                return ch;
            }
            ch.close(); // someone else racing for the port: not theirs to read
        }
    }

    private void closeListener() {
        closeQuietly(listener);
        var timer = expiry;
        if (timer != null) {
            timer.cancel(false);
        }
        var released = onListenerClosed.getAndSet(null);
        if (released != null) {
            released.run();
        }
    }

    @Override
    public void close() {
        closed = true;
        closeListener();
        var ch = channel;
        if (ch != null) {
            try {
                // A thread blocked in sendfile (transferTo) does not notice a close, but a shutdown wakes it.
                ch.shutdownInput();
                ch.shutdownOutput();
            } catch (IOException ignored) {
                // Not connected, or already closed.
            }
        }
        closeQuietly(ch);
    }

    private static void closeQuietly(Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // Already closed or reset; nothing else to release.
            }
        }
    }

    /** {@code 227 Entering Passive Mode (127,0,0,1,117,48).} text, or null if the address is not IPv4. */
    String pasvText(InetAddress shown) {
        if (!(shown instanceof Inet4Address)) {
            return null;
        }
        var a = shown.getAddress();
        int port = port();
        return String.format(Locale.ROOT, "Entering Passive Mode (%d,%d,%d,%d,%d,%d).",
                a[0] & 0xff, a[1] & 0xff, a[2] & 0xff, a[3] & 0xff, port >> 8, port & 0xff);
    }

    /** {@code PORT h1,h2,h3,h4,p1,p2}. */
    static InetSocketAddress parsePort(String arg) {
        var parts = arg.strip().split(",");
        if (parts.length != 6) {
            throw new IllegalArgumentException("PORT takes h1,h2,h3,h4,p1,p2.");
        }
        var bytes = new byte[6];
        for (int i = 0; i < 6; i++) {
            int n = Integer.parseInt(parts[i].strip()); // NumberFormatException is an IllegalArgumentException
            if (n < 0 || n > 255) {
                throw new IllegalArgumentException("PORT numbers are 0-255.");
            }
            bytes[i] = (byte) n;
        }
        try {
            var address = InetAddress.getByAddress(Arrays.copyOf(bytes, 4));
            return new InetSocketAddress(address, (bytes[4] & 0xff) << 8 | (bytes[5] & 0xff));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("Bad PORT address.");
        }
    }

    /** {@code EPRT |1|132.235.1.2|6275|} or {@code EPRT |2|::1|6275|} (RFC 2428). */
    static InetSocketAddress parseEprt(String arg) {
        var text = arg.strip();
        if (text.length() < 6) {
            throw new IllegalArgumentException("EPRT takes |protocol|address|port|.");
        }
        var d = Pattern.quote(text.substring(0, 1));
        var parts = text.split(d, -1);
        if (parts.length != 5 || !parts[0].isEmpty() || !parts[4].isEmpty()) {
            throw new IllegalArgumentException("EPRT takes |protocol|address|port|.");
        }
        if (!parts[1].equals("1") && !parts[1].equals("2")) {
            throw new UnsupportedOperationException("Network protocol not supported, use (1,2)");
        }
        // Address literals only, parsed without the resolver: a client's text never causes a name lookup.
        var address = parts[1].equals("1") ? ipv4(parts[2]) : Inet6Address.ofLiteral(parts[2]);
        int port = Integer.parseInt(parts[3]);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("EPRT port out of range.");
        }
        return new InetSocketAddress(address, port);
    }

    /** {@code 192.0.2.7}: four decimal numbers, nothing else (not {@code 1.2.3}, not a name). */
    private static InetAddress ipv4(String text) {
        if (!text.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            throw new IllegalArgumentException("Bad EPRT address.");
        }
        return Inet4Address.ofLiteral(text); // IllegalArgumentException for a part over 255
    }
}
