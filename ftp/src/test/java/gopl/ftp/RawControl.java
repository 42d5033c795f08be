package gopl.ftp;

import gopl.common.Tls;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/** A control connection driven by hand, for what a client library hides: exact bytes, odd orders, ABOR. */
final class RawControl implements AutoCloseable {
    private static final Pattern PASV = Pattern.compile("\\((\\d+),(\\d+),(\\d+),(\\d+),(\\d+),(\\d+)\\)");

    final Socket socket;
    String greeting;
    private InetAddress from; // the local address of this connection, and so of its data connections
    private BufferedReader in;
    private OutputStream out;
    private SSLSocket tls; // after secure()

    private RawControl(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(20_000);
        this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        this.out = socket.getOutputStream();
    }

    /** Connected, greeting read. */
    static RawControl open(int port) throws IOException {
        return open(port, null, Duration.ofSeconds(20));
    }

    /** Connected from {@code from} (another loopback address, say) unless null, each read waiting at most {@code timeout}. */
    static RawControl open(int port, InetAddress from, Duration timeout) throws IOException {
        var socket = new Socket();
        try {
            if (from != null) {
                socket.bind(new InetSocketAddress(from, 0));
            }
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), (int) timeout.toMillis());
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        var control = new RawControl(socket);
        control.from = from;
        socket.setSoTimeout((int) timeout.toMillis());
        control.greeting = control.reply();
        return control;
    }

    static RawControl anonymous(int port) throws IOException {
        var control = open(port);
        control.send("USER anonymous");
        control.expect("PASS x", 230);
        return control;
    }

    /** Sends a command line and returns the whole reply (every line of a multi-line one, joined by \n). */
    String send(String line) throws IOException {
        write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        return reply();
    }

    String expect(String line, int code) throws IOException {
        var reply = send(line);
        if (!reply.startsWith(code + " ") && !reply.startsWith(code + "-")) {
            throw new AssertionError(line + ": expected " + code + ", got: " + reply);
        }
        return reply;
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next reply, all its lines; null at end of stream. */
    String reply() throws IOException {
        var first = in.readLine();
        if (first == null || first.length() < 4 || first.charAt(3) != '-') {
            return first;
        }
        var all = new StringBuilder(first);
        var end = first.substring(0, 3) + " ";
        for (String line; (line = in.readLine()) != null; ) {
            all.append('\n').append(line);
            if (line.startsWith(end)) {
                break;
            }
        }
        return all.toString();
    }

    /**
     * AUTH TLS, then the handshake as a client of {@code context}, after which every command and
     * reply goes through TLS. {@code context} keeps the session under the server's address and
     * port, so that {@link #tlsData} can resume it, as curl and lftp do.
     */
    RawControl secure(SSLContext context) throws IOException {
        expect("AUTH TLS", 234);
        tls = handshake(context, socket, socket.getPort());
        this.in = new BufferedReader(new InputStreamReader(tls.getInputStream(), StandardCharsets.UTF_8));
        this.out = tls.getOutputStream();
        return this;
    }

    /** The control connection's TLS session (after {@link #secure}). */
    SSLSession tlsSession() {
        return tls.getSession();
    }

    /** A TLS client socket over {@code tcp}, handshaken. */
    static SSLSocket handshake(SSLContext context, Socket tcp, int port) throws IOException {
        var socket = (SSLSocket) context.getSocketFactory().createSocket(tcp, "127.0.0.1", port, true);
        socket.setSSLParameters(Tls.parameters(context));
        socket.startHandshake();
        return socket;
    }

    /** A TLS data connection to {@code address} that resumes this control connection's session, as curl does. */
    TlsClient tlsData(InetSocketAddress address, SSLContext context) throws IOException {
        return TlsClient.connect(context, connect(address, from), "127.0.0.1", socket.getPort());
    }

    /** PASV, then a data connection to the port it names, from this connection's own address. */
    Socket pasv() throws IOException {
        return connect(pasvAddress(), from);
    }

    /** Sends PASV and returns the address it names. */
    InetSocketAddress pasvAddress() throws IOException {
        var reply = expect("PASV", 227);
        var m = PASV.matcher(reply);
        if (!m.find()) {
            throw new AssertionError("bad PASV reply: " + reply);
        }
        var host = m.group(1) + "." + m.group(2) + "." + m.group(3) + "." + m.group(4);
        return new InetSocketAddress(host, Integer.parseInt(m.group(5)) * 256 + Integer.parseInt(m.group(6)));
    }

    /** A data connection to {@code address}, from {@code from} (another loopback address, say) unless null. */
    static Socket connect(InetSocketAddress address, InetAddress from) throws IOException {
        var data = new Socket();
        if (from != null) {
            data.bind(new InetSocketAddress(from, 0));
        }
        data.connect(address, 10_000);
        data.setSoTimeout(20_000);
        return data;
    }

    static int code(String reply) {
        return Integer.parseInt(reply.substring(0, 3));
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
