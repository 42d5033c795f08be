package gopl.netcat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Service names from {@code /etc/services}, as nc gets them from getservbyname and getservbyport:
 * {@code netcat host http}, and {@code [tcp/http]} in the {@code -v} line. Read on first use only,
 * so that start-up does not pay for it.
 */
final class Services {
    private static final Path FILE = Path.of("/etc/services");

    private Services() {}

    /** The port a service name stands for over TCP or UDP. */
    static OptionalInt port(String name, boolean udp) {
        var port = Table.INSTANCE.ports.get(key(name, udp));
        return port == null ? OptionalInt.empty() : OptionalInt.of(port);
    }

    /** The service's name for a port, or {@code *} as nc prints an unknown one. */
    static String name(int port, boolean udp) {
        return Table.INSTANCE.names.getOrDefault(key(String.valueOf(port), udp), "*");
    }

    private static String key(String nameOrPort, boolean udp) {
        return nameOrPort + (udp ? "/udp" : "/tcp");
    }

    /** Both directions of the table; the holder idiom reads the file when first asked. */
    private record Table(Map<String, Integer> ports, Map<String, String> names) {
        static final Table INSTANCE = read();

        private static Table read() {
            var ports = new HashMap<String, Integer>();
            var names = new HashMap<String, String>();
            try {
                for (var line : Files.readAllLines(FILE, StandardCharsets.ISO_8859_1)) {
                    // "http  80/tcp  www  # WorldWideWeb HTTP": a name, port/protocol, aliases.
                    var words = line.replaceFirst("#.*", "").trim().split("\\s+");
                    var portAndProtocol = words.length >= 2 ? words[1].split("/") : new String[0];
                    if (portAndProtocol.length != 2 || !portAndProtocol[0].matches("\\d{1,5}")) {
                        continue;
                    }
                    var suffix = "/" + portAndProtocol[1];
                    names.putIfAbsent(portAndProtocol[0] + suffix, words[0]);
                    for (int i = 0; i < words.length; i++) {
                        if (i != 1) {
                            ports.putIfAbsent(words[i] + suffix, Integer.parseInt(portAndProtocol[0]));
                        }
                    }
                }
            } catch (IOException e) {
                // No services file: numbers only, and "*" for every name, as nc without one.
            }
            return new Table(ports, names);
        }
    }
}
