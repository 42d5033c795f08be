package gopl.netcat;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * {@code -z}: which of the ports accept a connection. nc tries them one after another; here up to
 * {@link #PARALLEL} probes run at once, each on a virtual thread, and their {@code -v} lines are
 * printed in the order of the ports given, as nc prints them, each as soon as the ports before
 * it are done. The exit status is nc's: 0 when any port was open.
 */
final class PortScan {
    /** Probes at once: enough to scan a range quickly, few enough not to look like a SYN flood. */
    static final int PARALLEL = 32;
    /** nc waits this long for a UDP port to refuse when -w does not say. */
    private static final int UDP_SECONDS = 3;
    private static final byte[] PROBE = {'X'};

    private record Probe(boolean open, List<String> lines) {}

    private final String host;
    private final List<InetAddress> addresses;
    private final Dialer dialer;
    private final boolean udp;
    private final boolean numeric;
    private final Duration timeout;

    PortScan(String host, List<InetAddress> addresses, Dialer dialer, boolean udp, boolean numeric, Duration timeout) {
        this.host = host;
        this.addresses = addresses;
        this.dialer = dialer;
        this.udp = udp;
        this.numeric = numeric;
        this.timeout = timeout;
    }

    /** Probes every port, printing nc's lines on {@code err} when verbose; 0 if any port was open, else 1. */
    int run(List<Integer> ports, boolean verbose, PrintWriter err) throws InterruptedException {
        var probes = new ArrayList<Future<Probe>>();
        var output = new Output(probes, verbose, err);
        if (ports.size() == 1) {
            // The common check of one port, on this thread, with no future: starting the virtual
            // threads' scheduler for it, or even initialising CompletableFuture (and with it the
            // common ForkJoinPool), would cost a -z run more CPU than its own work (issue 14).
            output.print(probe(ports.getFirst(), verbose));
            return output.anyOpen ? 0 : 1;
        }
        var permits = new Semaphore(PARALLEL);
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int port : ports) {
                permits.acquire();
                probes.add(executor.submit(() -> {
                    try {
                        return probe(port, verbose);
                    } finally {
                        permits.release();
                    }
                }));
                output.printReady(false);
            }
            output.printReady(true);
        }
        return output.anyOpen ? 0 : 1;
    }

    /** Prints probes in the order of the ports, each once every probe before it has been printed. */
    private static final class Output {
        private final List<Future<Probe>> probes;
        private final boolean verbose;
        private final PrintWriter err;
        private int printed;
        boolean anyOpen;

        Output(List<Future<Probe>> probes, boolean verbose, PrintWriter err) {
            this.probes = probes;
            this.verbose = verbose;
            this.err = err;
        }

        /** Prints the finished probes at the head of the list; with {@code all}, waits for the rest too. */
        void printReady(boolean all) throws InterruptedException {
            while (printed < probes.size() && (all || probes.get(printed).isDone())) {
                Probe probe;
                try {
                    probe = probes.get(printed++).get();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException failure ? failure : new IllegalStateException(e);
                }
                print(probe);
            }
        }

        void print(Probe probe) {
            if (verbose) {
                probe.lines().forEach(err::println);
                err.flush();
            }
            anyOpen |= probe.open();
        }
    }

    private Probe probe(int port, boolean verbose) {
        return udp ? probeUdp(port, verbose) : probeTcp(port, verbose);
    }

    /**
     * One TCP port. The {@code -v} lines are worded only with -v: {@link Report#succeeded} names the
     * service, and reading {@code /etc/services} for it took more than the connection itself.
     */
    private Probe probeTcp(int port, boolean verbose) {
        var lines = new ArrayList<String>();
        var socket = dialer.tcp(addresses, port, (address, e) -> {
            if (verbose) {
                lines.add("netcat: " + Report.failed(host, address, port, false, numeric, e));
            }
        });
        if (socket == null) {
            return new Probe(false, lines);
        }
        try (socket) {
            if (verbose) {
                lines.add(Report.succeeded(host, socket.socket().getInetAddress(), port, false, numeric));
            }
        } catch (IOException ignored) {
            // Closing a probe: nothing to lose.
        }
        return new Probe(true, lines);
    }

    /**
     * nc's UDP test: send an X each second for a few seconds; the port is closed if the host
     * answers one with ICMP port unreachable, and open otherwise (or at once, if it replies).
     * nc prints nothing for a closed UDP port, even with -v.
     */
    private Probe probeUdp(int port, boolean verbose) {
        int seconds = timeout == null ? UDP_SECONDS : (int) Math.max(1, timeout.toSeconds());
        try (var channel = dialer.udp(addresses, port)) {
            var socket = channel.socket(); // the adaptor has the receive timeout a channel lacks
            socket.setSoTimeout(1000);
            var reply = new DatagramPacket(new byte[1], 1);
            for (int i = 0; i < seconds; i++) {
                socket.send(new DatagramPacket(PROBE, PROBE.length));
                try {
                    socket.receive(reply);
                    break;
                } catch (SocketTimeoutException silence) {
                    // No refusal yet: try again, then call it open.
                }
            }
            return new Probe(true, verbose ? List.of(Report.succeeded(host, socket.getInetAddress(), port, true, numeric)) : List.of());
        } catch (PortUnreachableException refused) {
            return new Probe(false, List.of());
        } catch (IOException e) {
            return new Probe(false, verbose ? List.of("netcat: " + Report.failed(host, addresses.getFirst(), port, true, numeric, e)) : List.of());
        }
    }
}
