package gopl.ftp;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;

/**
 * The name resolver of the test JVM (registered in META-INF/services): the JDK's own, which it
 * asks, plus a record of every name looked up, so a test can show that a client's text never
 * became a DNS query.
 */
public final class RecordingResolver extends InetAddressResolverProvider {
    private static final Queue<String> LOOKUPS = new ConcurrentLinkedQueue<>();

    /** Every name looked up in this JVM so far. */
    static List<String> lookups() {
        return List.copyOf(LOOKUPS);
    }

    @Override
    public InetAddressResolver get(Configuration configuration) {
        var builtin = configuration.builtinResolver();
        return new InetAddressResolver() {
            @Override
            public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
                LOOKUPS.add(host);
                return builtin.lookupByName(host, policy);
            }

            @Override
            public String lookupByAddress(byte[] address) throws UnknownHostException {
                return builtin.lookupByAddress(address);
            }
        };
    }

    @Override
    public String name() {
        return "recording";
    }
}
