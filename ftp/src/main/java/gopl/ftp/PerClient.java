package gopl.ftp;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts what each client holds (sessions, passive ports) against a limit per client, so that
 * one client cannot take what the server has for everyone. A client is an IPv4 address, or an
 * IPv6 /64: one IPv6 subscriber is given a whole /64, and would otherwise be 2^64 clients.
 */
final class PerClient {
    private final int limit;
    private final ConcurrentHashMap<InetAddress, Integer> held = new ConcurrentHashMap<>();

    PerClient(int limit) {
        this.limit = limit;
    }

    int limit() {
        return limit;
    }

    /** Takes one for {@code client} if it holds fewer than the limit; returns whether it did. */
    boolean tryAcquire(InetAddress client) {
        var taken = new boolean[1];
        held.compute(key(client), (k, n) -> {
            int count = n == null ? 0 : n;
            taken[0] = count < limit;
            return taken[0] ? count + 1 : n;
        });
        return taken[0];
    }

    /** Gives back one that {@link #tryAcquire} took. */
    void release(InetAddress client) {
        held.computeIfPresent(key(client), (k, n) -> n > 1 ? n - 1 : null);
    }

    /** The client an address belongs to: itself for IPv4, its /64 network for IPv6. */
    static InetAddress key(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address;
        }
        var bytes = Arrays.copyOf(address.getAddress(), 16);
        Arrays.fill(bytes, 8, 16, (byte) 0);
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new AssertionError("16 bytes are an IPv6 address", e);
        }
    }
}
