package gopl.ftp;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The server's passive ports, shared out fairly: a listener that no data connection reaches in
 * the accept timeout closes (holding a port is not activity), and with a {@code --passive-ports}
 * range each client may hold at most a quarter of it at once, so one client cannot take the range
 * and lock everyone else out of passive mode.
 */
final class PassivePorts {
    private final DataConnection.Ports range;
    private final Duration acceptTimeout;
    private final ScheduledExecutorService timer;
    private final PerClient shares;

    PassivePorts(DataConnection.Ports range, Duration acceptTimeout, ScheduledExecutorService timer) {
        this.range = range;
        this.acceptTimeout = acceptTimeout;
        this.timer = timer;
        this.shares = range == null ? null : new PerClient(share(range));
    }

    /** The most ports of {@code range} that one client may hold: a quarter, and at least one. */
    static int share(DataConnection.Ports range) {
        return Math.max(1, (range.last() - range.first() + 1) / 4);
    }

    /** A passive listener on {@code local} for {@code client}. */
    DataConnection open(InetAddress local, InetAddress client) throws IOException {
        DataConnection data;
        if (shares == null) {
            data = DataConnection.passive(local, client, null, () -> {});
        } else {
            if (!shares.tryAcquire(client)) {
                throw new IOException("your address already holds " + shares.limit() + " passive ports, its share");
            }
            try {
                data = DataConnection.passive(local, client, range, () -> shares.release(client));
            } catch (IOException | RuntimeException e) {
                shares.release(client);
                throw e;
            }
        }
        data.expireAfter(timer, acceptTimeout);
        return data;
    }
}
