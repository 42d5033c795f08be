package gopl.netcat;

import gopl.common.GoDuration;
import gopl.common.ToolException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.util.function.Supplier;

/**
 * netcat's three ways to run, once the command line is read: connect and copy, scan ports
 * ({@code -z}), or listen for one client, one after another ({@code -k}) or many at once
 * ({@code --broker}).
 */
final class Modes {
    private final NetcatCommand command;
    private final Target target;
    private final Dialer dialer;

    Modes(NetcatCommand command, Target target) {
        this.command = command;
        this.target = target;
        this.dialer = command.dialer();
    }

    /** Connects, then copies both ways until the session ends. */
    int connect() throws InterruptedException {
        if (command.unix) {
            return session(Link.of(Dialer.unix(target.socket())), target.toString(), command.input());
        }
        if (command.udp) {
            var channel = dialer.udp(dialer.resolve(target.host(), "connect " + target), target.port());
            return session(Link.of(channel, null), target.toString(), command.input());
        }
        var channel = dialer.tcp(target.host(), target.port());
        var address = channel.socket().getInetAddress();
        command.say(Report.succeeded(target.host(), address, target.port(), false, command.numeric));
        return session(command.ssl.enabled() ? secure(channel) : Link.of(channel), target.toString(), command.input());
    }

    private Link secure(SocketChannel channel) {
        try {
            return Link.of(command.ssl.client(channel.socket(), target.host(), target.port(), command.timeout));
        } catch (IOException e) {
            closeQuietly(channel);
            var reason = Report.describe(e);
            var hint = reason.contains("not trusted") ? "; --ssl-trustfile FILE trusts its CA, --ssl-noverify any" : "";
            throw new ToolException("TLS with " + target + ": " + reason + hint);
        }
    }

    /** {@code -z}: nc's exit status, and its lines with -v. */
    int scan() throws InterruptedException {
        if (command.unix) {
            try (var channel = Dialer.unix(target.socket())) {
                return 0; // nc says nothing when a Unix socket answers, even with -v; a failure is one line
            } catch (IOException closing) {
                return 0;
            }
        }
        var addresses = dialer.resolve(target.host(), target.host());
        var scan = new PortScan(target.host(), addresses, dialer, command.udp, command.numeric, command.timeout);
        return scan.run(target.ports(), command.verbose, command.err());
    }

    /** Copies over one link until the session ends; the link is closed after. */
    private int session(Link link, String peer, Netcat.Input in) throws InterruptedException {
        try (link) {
            // instanceof, not a pattern switch: its bootstrap spins a class on every run (a few ms).
            if (run(link, peer, in) instanceof Netcat.Failed failed) {
                throw new ToolException(failed.message());
            }
            return 0;
        } catch (IOException e) {
            return 0; // closing: the session is over either way
        }
    }

    private Netcat.Event run(Link link, String peer, Netcat.Input in) throws InterruptedException {
        var end = new Netcat(link, peer, in, command.output(), command.sessionOptions()).run();
        if (end instanceof Netcat.Idle) {
            command.say("netcat: nothing moved for " + GoDuration.format(command.timeout) + "; closed");
        }
        return end;
    }

    /** {@code -l}: one client, or with -k one after another, or with --broker many at once. */
    int listen() throws IOException, InterruptedException {
        try (var listener = open()) {
            listener.announce().forEach(command::say);
            if (command.broker) {
                new Broker(listener, command.maxClients, command::say, line -> command.warn("netcat: " + line))
                        .run(command.inputStream());
                return 0;
            }
            if (command.udp && command.keepOpen) {
                return session(listener.everyone(), listener.where(), NetcatCommand.input(InputStream.nullInputStream()));
            }
            if (!command.keepOpen) {
                var stdin = command.input();
                return serve(listener, () -> stdin);
            }
            // Each session's sender is interrupted when it ends, which closes its channel: a new one each time.
            var shared = new SharedInput(command.inputStream());
            return serve(listener, () -> NetcatCommand.input(shared));
        }
    }

    private int serve(Listener listener, Supplier<Netcat.Input> in) throws IOException, InterruptedException {
        boolean served = false;
        do {
            Listener.Client client;
            try {
                client = listener.accept(command.timeout);
            } catch (ClosedChannelException e) {
                return 0; // closed by the shutdown hook: netcat is being stopped
            } catch (SocketTimeoutException e) {
                if (served) {
                    command.say("netcat: no new connection within " + GoDuration.format(command.timeout));
                    return 0;
                }
                throw new ToolException("no connection on " + listener.where() + " within "
                        + GoDuration.format(command.timeout));
            }
            served = true;
            command.say(client.received());
            if (serve(client, in.get()) instanceof Netcat.OutputClosed) {
                return 0;
            }
        } while (command.keepOpen);
        return 0;
    }

    /** One client's session; with -k a failure is reported and the next client served. */
    private Netcat.Event serve(Listener.Client client, Netcat.Input in) throws InterruptedException {
        String failure;
        try (var link = client.link()) {
            link.handshake(command.timeout);
            var end = run(link, client.name(), in);
            if (!(end instanceof Netcat.Failed failed)) {
                return end;
            }
            failure = failed.message();
        } catch (IOException e) { // a failed TLS handshake, mostly
            failure = client.name() + ": " + Report.describe(e);
        }
        if (!command.keepOpen) {
            throw new ToolException(failure);
        }
        command.warn("netcat: " + failure);
        return new Netcat.Failed(failure);
    }

    private Listener open() {
        if (command.unix) {
            var listener = Listener.unix(target.socket(), backlog());
            Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(listener), "unlink-socket"));
            return listener;
        }
        var address = listenAddress();
        if (command.udp) {
            return Listener.udp(target.host(), address, target.port(), command.numeric);
        }
        return Listener.tcp(target.host(), address, target.port(), backlog(), command.numeric, command.ssl.server());
    }

    private InetAddress listenAddress() {
        return dialer.resolve(target.host(), "cannot listen on " + target).getFirst();
    }

    /** nc's backlogs: 1 over TCP, 5 over a Unix socket; clients of -k and --broker queue up. */
    private int backlog() {
        return command.keepOpen || command.broker ? 50 : command.unix ? 5 : 1;
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // Closing is all we wanted.
        }
    }
}
