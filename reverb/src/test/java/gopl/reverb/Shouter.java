package gopl.reverb;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;

/** A raw-socket client of reverb for tests, reading its echoes as lines of bytes. */
final class Shouter implements AutoCloseable {
    private final Socket socket;
    private final BufferedInputStream in;

    Shouter(int port) throws IOException {
        this(new Socket("localhost", port));
    }

    Shouter(Socket connected) throws IOException {
        socket = connected;
        socket.setSoTimeout(30_000); // a test that waits longer has failed
        in = new BufferedInputStream(socket.getInputStream());
    }

    Shouter shout(String line) throws IOException {
        return send((line + "\n").getBytes(UTF_8));
    }

    Shouter send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        return this;
    }

    /** The next echo line without its newline, or null at end of stream. */
    byte[] lineBytes() throws IOException {
        var line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                return line.size() == 0 ? null : line.toByteArray();
            }
            line.write(b);
        }
        return line.toByteArray();
    }

    String line() throws IOException {
        var bytes = lineBytes();
        return bytes == null ? null : new String(bytes, UTF_8);
    }

    void halfClose() throws IOException {
        socket.shutdownOutput();
    }

    /** Whether the server has closed the connection: end of stream, or a reset if we wrote after. */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true;
        }
    }

    /** Vanishes without a goodbye: the server sees a reset, not an end of stream. */
    void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    Socket socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
