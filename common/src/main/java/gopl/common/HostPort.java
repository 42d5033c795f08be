package gopl.common;

/**
 * A {@code HOST:PORT} pair as Go's {@code net.Dial} takes it: {@code localhost:8000},
 * {@code [::1]:8000}, or {@code :8000} for localhost.
 */
public record HostPort(String host, int port) {
    public HostPort {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("empty host");
        }
        checkPort(port, String.valueOf(port));
    }

    /** Parses {@code HOST:PORT}; throws IllegalArgumentException with a message fit for the user. */
    public static HostPort parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("'" + text + "' is not HOST:PORT");
        }
        var host = text.substring(0, colon);
        var portText = text.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("'" + text + "' is not HOST:PORT (write an IPv6 host as [::1]:8000)");
        }
        if (host.isEmpty()) {
            host = "localhost";
        }
        return new HostPort(host, parsePort(portText));
    }

    /** Parses a TCP port number, 1 to 65535. */
    public static int parsePort(String text) {
        int port;
        try {
            port = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a port number");
        }
        checkPort(port, text);
        return port;
    }

    private static void checkPort(int port, String text) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + text + " is out of range (1-65535)");
        }
    }

    /**
     * {@code host:port}, with an IPv6 host in brackets ({@code [::1]:8000}). Unlike the record it
     * checks nothing, so it can also name what was asked for before a bind ({@code localhost:0}).
     */
    public static String format(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return format(host, port);
    }

    /** For {@code @Option(converter = HostPort.Converter.class)}. */
    public static final class Converter extends ParsingConverter<HostPort> {
        @Override
        protected HostPort read(String value) {
            return parse(value);
        }
    }
}
