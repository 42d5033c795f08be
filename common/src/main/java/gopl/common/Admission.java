package gopl.common;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;

/**
 * The connection caps: at most {@code total} connections at once, and at most {@code perAddress}
 * from one client address (an IPv6 client counts by its /64, the block one subscriber is given,
 * so it cannot dodge the cap by changing the last bits). Zero means no cap. A client over a cap is
 * told so in one line and closed; the log gets one line for a run of refusals, not one each.
 */
final class Admission {
    private final Logger log;
    private final LogThrottle refusals = new LogThrottle(Duration.ofMinutes(1), "refused");
    private final AtomicLong refused = new AtomicLong();
    private volatile UnaryOperator<String> refusalLine = reason -> reason + "\n";

    static final String SERVER_FULL = "Too many connections; try again later.";
    static final String ADDRESS_FULL = "Too many connections from your address; try again later.";

    private volatile int total;
    private volatile int perAddress;
    private final AtomicInteger open = new AtomicInteger();
    // Only addresses with a connection open are here, so it is no bigger than the total.
    private final Map<String, Integer> byAddress = new ConcurrentHashMap<>();

    Admission(Logger log) {
        this.log = log;
    }

    void refuseWith(UnaryOperator<String> line) {
        this.refusalLine = line;
    }

    /** A sentence as a line on the wire, as refusals are written. */
    String line(String sentence) {
        return refusalLine.apply(sentence);
    }

    long refused() {
        return refused.get();
    }

    /** Lets the connection in, or tells it why not in one line and closes it. */
    boolean admit(MeteredSocket socket) {
        var refusal = admit(socket.getInetAddress());
        if (refusal == null) {
            return true;
        }
        refused.incrementAndGet();
        var from = socket.getInetAddress();
        var why = refusal.equals(SERVER_FULL)
                ? "the server is full (" + total + " connections)"
                : key(from) + " has " + openFrom(from) + " open, the most one address may have";
        refusals.event(why, (detail, more) -> log.warn("refusing connections: {} {}", detail, more));
        log.debug("refused {}: {}", socket.peer(), why);
        try (socket) { // the write cannot block: the socket's buffer is empty
            socket.getOutputStream().write(refusalLine.apply(refusal).getBytes(UTF_8));
        } catch (IOException e) {
            // Gone already: nothing to tell it.
        }
        return false;
    }

    void limit(int total, int perAddress) {
        if (total < 0 || perAddress < 0) {
            throw new IllegalArgumentException("connection caps cannot be negative");
        }
        this.total = total;
        this.perAddress = perAddress;
    }

    /** Lets a connection from {@code address} in and returns null, or returns why it may not come in. */
    private String admit(InetAddress address) {
        if (total > 0 && open.get() >= total) {
            return SERVER_FULL;
        }
        var key = key(address);
        var refused = new boolean[1];
        byAddress.compute(key, (k, n) -> {
            int now = n == null ? 0 : n;
            refused[0] = perAddress > 0 && now >= perAddress;
            return refused[0] ? n : now + 1;
        });
        if (refused[0]) {
            return ADDRESS_FULL;
        }
        open.incrementAndGet();
        return null;
    }

    /** A connection that {@link #admit} let in has ended. */
    void release(InetAddress address) {
        open.decrementAndGet();
        byAddress.computeIfPresent(key(address), (k, n) -> n <= 1 ? null : n - 1);
    }

    /** Connections from the address's key open now. */
    private int openFrom(InetAddress address) {
        return byAddress.getOrDefault(key(address), 0);
    }

    /** What counts as one client: its IPv4 address, or the /64 of its IPv6 address. */
    static String key(InetAddress address) {
        if (address instanceof Inet6Address v6) { // IPv4 clients of a dual-stack socket arrive as Inet4Address
            var prefix = Arrays.copyOf(v6.getAddress(), 16);
            Arrays.fill(prefix, 8, 16, (byte) 0);
            try {
                return InetAddress.getByAddress(prefix).getHostAddress() + "/64";
            } catch (java.net.UnknownHostException e) {
                throw new AssertionError(e); // 16 bytes is always an address
            }
        }
        return address.getHostAddress();
    }
}
