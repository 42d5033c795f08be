package gopl.netcat;

import gopl.common.Tls;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import javax.net.ssl.SSLException;

/**
 * The lines {@code -v} prints, worded as OpenBSD nc words them, since scripts grep them:
 * {@code Connection to HOST PORT port [tcp/http] succeeded!}, {@code Listening on HOST PORT},
 * {@code Connection received on HOST PORT}.
 */
final class Report {
    private Report() {}

    /** nc's line for a port that accepted: the address joins the name when they differ and -n is off. */
    static String succeeded(String host, InetAddress address, int port, boolean udp, boolean numeric) {
        var service = numeric ? "*" : Services.name(port, udp);
        return "Connection to " + host + alsoAddress(host, address, numeric) + " " + port + " port ["
                + protocol(udp) + "/" + service + "] succeeded!";
    }

    /** nc's line for an address that did not: {@code connect to HOST port 80 (tcp) failed: Connection refused}. */
    static String failed(String host, InetAddress address, int port, boolean udp, boolean numeric, IOException e) {
        var how = e instanceof SocketTimeoutException ? "timed out" : "failed: " + describe(e);
        return "connect to " + host + alsoAddress(host, address, numeric) + " port " + port + " ("
                + protocol(udp) + ") " + how;
    }

    /** {@code Listening on localhost 8000}, {@code Bound on 0.0.0.0 53}, {@code Connection received on ...}. */
    static String on(String what, InetAddress address, int port, boolean numeric) {
        return what + " on " + name(address, numeric) + " " + port;
    }

    /** The host's name as getnameinfo gives it (a reverse lookup), or its address with -n or without a name. */
    static String name(InetAddress address, boolean numeric) {
        if (numeric) {
            return literal(address);
        }
        var name = address.getHostName();
        return name.equals(address.getHostAddress()) ? literal(address) : name;
    }

    /** An address as C writes it: {@code 127.0.0.1}, {@code ::1} (Java writes {@code 0:0:0:0:0:0:0:1}). */
    static String literal(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address.getHostAddress();
        }
        var groups = address.getHostAddress().replaceFirst("%.*", "").split(":");
        int bestStart = -1;
        int bestLength = 1; // RFC 5952: only a run of two or more zero groups becomes ::
        for (int i = 0; i < groups.length; ) {
            int j = i;
            while (j < groups.length && groups[j].equals("0")) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = Math.max(j, i + 1);
        }
        if (bestStart < 0) {
            return String.join(":", groups);
        }
        var head = String.join(":", Arrays.copyOfRange(groups, 0, bestStart));
        var tail = String.join(":", Arrays.copyOfRange(groups, bestStart + bestLength, groups.length));
        return head + "::" + tail;
    }

    /** Why an I/O operation failed, in the C library's words where Java has them. */
    static String describe(IOException e) {
        if (e instanceof SSLException ssl) {
            return Tls.describe(ssl);
        }
        if (e instanceof PortUnreachableException) {
            return "Connection refused";
        }
        var message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message;
    }

    private static String alsoAddress(String host, InetAddress address, boolean numeric) {
        var literal = literal(address);
        return numeric || literal.equals(host) ? "" : " (" + literal + ")";
    }

    private static String protocol(boolean udp) {
        return udp ? "udp" : "tcp";
    }
}
