package gopl.netcat;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code -z} against OpenBSD nc, both run on the same ports in the same test: the same exit
 * status and the same {@code -v} lines (nc's {@code nc: } prefix read as {@code netcat: }),
 * in the same order, although netcat probes many ports at once.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ScanIT {
    private static final byte[] NO_INPUT = new byte[0];

    /**
     * nc scans before and after ours: a port in the range that another process (a concurrent test
     * run) opened or closed meanwhile makes nc's two runs differ, and the comparison is made again,
     * a few times at most. Ours is held to nc's result whenever the range held still.
     */
    private static void assertSameAsNc(String... args) {
        for (int attempt = 1; ; attempt++) {
            var theirs = Proc.real("nc", args).run(NO_INPUT);
            var ours = Proc.ours(args).run(NO_INPUT);
            var theirsAfter = Proc.real("nc", args).run(NO_INPUT);
            boolean heldStill = theirs.status() == theirsAfter.status() && theirs.err().equals(theirsAfter.err())
                    && Arrays.equals(theirs.out(), theirsAfter.out());
            if (heldStill || attempt == 3) {
                Proc.assertSame(ours, theirs);
                return;
            }
        }
    }

    @Test
    void aRangeAndAListPrintNcsLinesInTheOrderGiven() throws Exception {
        try (var open = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int p = open.getLocalPort();
            assertSameAsNc("-zv", "127.0.0.1", (p - 2) + "-" + (p + 1));
            assertSameAsNc("-zv", "127.0.0.1", (p + 1) + "-" + (p - 1)); // nc reads a range either way round
            assertSameAsNc("-zv", "127.0.0.1", String.valueOf(p + 1), String.valueOf(p), String.valueOf(p - 1));
            assertSameAsNc("-zv", "localhost", String.valueOf(p));
            assertSameAsNc("-zvn", "127.0.0.1", String.valueOf(p));
            assertSameAsNc("-z", "127.0.0.1", String.valueOf(p));
            assertSameAsNc("-z", "127.0.0.1", String.valueOf(p + 1));
        }
    }

    @Test
    void aLongRangeKeepsPortOrderThoughProbedAtOnce() throws Exception {
        var listeners = new ArrayList<ServerSocket>();
        try {
            for (int i = 0; i < 3; i++) {
                listeners.add(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
            }
            int base = listeners.getFirst().getLocalPort();
            // Several times PortScan.PARALLEL ports, with the open ones somewhere inside.
            assertSameAsNc("-zv", "127.0.0.1", (base - 100) + "-" + (base + 100));
        } finally {
            for (var listener : listeners) {
                listener.close();
            }
        }
    }

    @Test
    void serviceNamesAreLookedUpUnlessDashN() throws Exception {
        assertSameAsNc("-zv", "127.0.0.1", "http"); // port 80, whatever listens there here
        var ours = Proc.ours("-zv", "127.0.0.1", "no-such-service").run(NO_INPUT);
        assertThat(ours.status()).isEqualTo(2);
        assertThat(ours.err()).startsWith("netcat: 'no-such-service' is not a port number or a service");
    }

    @Test
    void ipv6AndTheFamilyFlags() throws Exception {
        try (var open = new ServerSocket()) {
            open.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
            var port = String.valueOf(open.getLocalPort());
            assertSameAsNc("-zv", "::1", port);
            assertSameAsNc("-zv6", "::1", port);
            assertSameAsNc("-zvn", "::1", port);
        }
        // nc's getaddrinfo wording differs; the outcome and one line do not.
        for (var args : List.of(List.of("-zv4", "::1", "80"), List.of("-zvn", "localhost", "80"),
                List.of("-zv", "no-such-host.invalid", "80"))) {
            var theirs = Proc.real("nc", args.toArray(String[]::new)).run(NO_INPUT);
            var ours = Proc.ours(args.toArray(String[]::new)).run(NO_INPUT);
            assertThat(ours.status()).isEqualTo(theirs.status()).isEqualTo(1);
            assertThat(ours.err().lines()).hasSize(1);
        }
        assertThat(Proc.ours("-zv4", "::1", "80").run(NO_INPUT).err()).isEqualTo("netcat: ::1: no IPv4 address (-4)\n");
    }

    @Test
    void udpScanFindsASilentPortOpenAndARefusingOneClosed() throws Exception {
        try (var silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            var port = String.valueOf(silent.getLocalPort());
            assertSameAsNc("-zuv", "-w", "1", "127.0.0.1", port);
            int closed;
            try (var probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                closed = probe.getLocalPort();
            }
            // nc says nothing of a closed UDP port, even with -v: only the exit status tells.
            assertSameAsNc("-zuv", "-w", "1", "127.0.0.1", String.valueOf(closed));
            assertSameAsNc("-zu", "-w", "1", "127.0.0.1", port);
            // Without -v nc does not probe a UDP port at all and exits 0 whatever is there;
            // netcat probes as with -v, so its exit status means something.
            var closedPort = String.valueOf(closed);
            assertThat(Proc.real("nc", "-zu", "-w", "1", "127.0.0.1", closedPort).run(NO_INPUT).status()).isZero();
            assertThat(Proc.ours("-zu", "-w", "1", "127.0.0.1", closedPort).run(NO_INPUT).status()).isEqualTo(1);
        }
    }
}
