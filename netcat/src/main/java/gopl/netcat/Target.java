package gopl.netcat;

import gopl.common.HostPort;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where to connect or listen, read from the TARGET words the ways nc and the book write them:
 * {@code HOST PORT}, {@code HOST:PORT}, {@code [::1]:8000}, just {@code PORT}, nothing (the
 * book's localhost:8000), {@code PATH} with {@code -U}, and for {@code -z} several ports
 * ({@code 20-30}, {@code 22 80 443}, {@code 22,80,8000-8010}). Every problem is an
 * IllegalArgumentException whose message is the usage error.
 *
 * @param ports one port, or for -z the ports to probe in the order given
 * @param socket a Unix domain socket's path ({@code -U}), else null
 */
record Target(String host, List<Integer> ports, Path socket) {
    static final String DEFAULT_HOST = "localhost";
    static final int DEFAULT_PORT = 8000;
    /** The most ports one scan may name: every port once. */
    static final int MAX_PORTS = 65_535;

    int port() {
        return ports.getFirst();
    }

    @Override
    public String toString() {
        return socket != null ? socket.toString() : HostPort.format(host, port());
    }

    /** {@code -U PATH}. */
    static Target unix(List<String> words, String portOption) {
        if (words.size() != 1) {
            throw new IllegalArgumentException(words.isEmpty() ? "-U needs the socket's path"
                    : "-U takes one socket path and no port: " + String.join(" ", words));
        }
        if (portOption != null) {
            throw new IllegalArgumentException("-p gives a port, which a Unix socket (-U) does not have");
        }
        return new Target(null, List.of(), Path.of(words.getFirst()));
    }

    /** Connecting: HOST PORT..., HOST:PORT, PORT on localhost, or nothing. */
    static Target connect(List<String> words, boolean udp) {
        if (words.isEmpty()) {
            return new Target(DEFAULT_HOST, List.of(DEFAULT_PORT), null);
        }
        var first = words.getFirst();
        if (words.size() > 1) {
            return new Target(unbracket(first), ports(words.subList(1, words.size()), udp), null);
        }
        if (isPortList(first)) {
            return new Target(DEFAULT_HOST, ports(words, udp), null);
        }
        if (!isHostPort(first)) {
            throw new IllegalArgumentException("missing port: write netcat " + first + " PORT, or " + first + ":PORT");
        }
        var parsed = HostPort.parse(first);
        return new Target(parsed.host(), List.of(parsed.port()), null);
    }

    /**
     * Listening: [HOST] [PORT], HOST:PORT, or nc's {@code -p PORT} and {@code -s HOST}. Port 0
     * picks a free one.
     */
    static Target listen(List<String> words, String portOption, String hostOption, String defaultHost, boolean udp) {
        Integer optionPort = portOption == null ? null : port(portOption, udp, true);
        var first = words.isEmpty() ? null : words.getFirst();
        boolean hostOnly = words.size() == 1 && !isPortList(first) && !isHostPort(first);
        if ((optionPort != null && !words.isEmpty() && !hostOnly) || (hostOption != null && words.size() > 1)) {
            throw new IllegalArgumentException(optionPort != null
                    ? "give the port once: either -p " + portOption + " or a PORT argument"
                    : "give the address once: either -s " + hostOption + " or a HOST argument");
        }
        var host = hostOption != null ? hostOption : defaultHost;
        int fallbackPort = optionPort == null ? DEFAULT_PORT : optionPort;
        if (words.isEmpty()) {
            return new Target(host, List.of(fallbackPort), null);
        }
        if (words.size() == 2) {
            return new Target(unbracket(first), List.of(port(words.get(1), udp, true)), null);
        }
        if (words.size() > 2) {
            throw new IllegalArgumentException("-l listens on one port: " + String.join(" ", words));
        }
        if (hostOnly) {
            return new Target(unbracket(first), List.of(fallbackPort), null);
        }
        if (isPortList(first)) {
            return new Target(host, List.of(port(first, udp, true)), null);
        }
        var parsed = HostPort.parse(first);
        return new Target(parsed.host(), List.of(parsed.port()), null);
    }

    /** nc's port words: numbers, service names and lo-hi ranges (either way round); commas as well. */
    static List<Integer> ports(List<String> words, boolean udp) {
        var ports = new ArrayList<Integer>();
        for (var word : words) {
            for (var part : word.split(",", -1)) {
                int dash = part.indexOf('-');
                if (dash > 0 && Character.isDigit(part.charAt(0))) {
                    int lo = port(part.substring(0, dash), udp, false);
                    int hi = port(part.substring(dash + 1), udp, false);
                    addRange(ports, Math.min(lo, hi), Math.max(lo, hi));
                } else {
                    addRange(ports, port(part, udp, false), port(part, udp, false));
                }
            }
        }
        return List.copyOf(ports);
    }

    private static void addRange(List<Integer> ports, int lo, int hi) {
        if (ports.size() + (hi - lo + 1) > MAX_PORTS) {
            throw new IllegalArgumentException("too many ports: at most " + MAX_PORTS + " in one scan");
        }
        for (int port = lo; port <= hi; port++) {
            ports.add(port);
        }
    }

    /** A port number or service name ({@code http}); 0 only where it means "pick a free port". */
    static int port(String word, boolean udp, boolean zeroAllowed) {
        if (zeroAllowed && word.equals("0")) {
            return 0;
        }
        if (!word.isEmpty() && !Character.isDigit(word.charAt(0)) && !word.startsWith("-")) {
            var service = Services.port(word, udp);
            if (service.isEmpty()) {
                throw new IllegalArgumentException("'" + word + "' is not a port number or a service in /etc/services");
            }
            return service.getAsInt();
        }
        return HostPort.parsePort(word);
    }

    /** Ports, ranges, lists: {@code 8000}, {@code 20-30}, {@code 22,80}. */
    private static boolean isPortList(String word) {
        return !word.isEmpty() && word.chars().allMatch(c -> Character.isDigit(c) || c == '-' || c == ',')
                && Character.isDigit(word.charAt(0));
    }

    /** HOST:PORT, [IPv6]:PORT or :PORT; a bare IPv6 address such as ::1 or [::1] has no port. */
    private static boolean isHostPort(String word) {
        return word.startsWith("[") ? word.contains("]:")
                : word.indexOf(':') >= 0 && word.indexOf(':') == word.lastIndexOf(':');
    }

    private static String unbracket(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
