package gopl.clock;

import gopl.common.GoDuration;
import gopl.common.TcpServer;
import gopl.common.Ticker;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clock's protocol: on connect, the time at once; then the time each time the wall-clock second
 * changes (or each interval), until the client goes away. Each client runs on its own virtual
 * thread (TcpServer); a client that stops reading is dropped by TcpServer's write timeout.
 */
public final class ClockServer {
    private static final Logger log = LoggerFactory.getLogger(ClockServer.class);
    private static final int SEND_BUFFER = 4096;

    private final DateTimeFormatter format;
    private final ZoneId zone;
    private final Duration interval;

    public ClockServer(ZoneId zone) {
        this(zone, Duration.ofSeconds(1));
    }

    /** Tells the time every {@code interval} (at least 1ms), with milliseconds if it is not whole seconds. */
    public ClockServer(ZoneId zone, Duration interval) {
        this.zone = zone;
        this.interval = interval;
        var pattern = interval.toMillis() % 1000 == 0 ? "HH:mm:ss" : "HH:mm:ss.SSS";
        this.format = DateTimeFormatter.ofPattern(pattern).withZone(zone);
    }

    /** Serves until the listener is closed. */
    public void serve(TcpServer listener) {
        var every = interval.equals(Duration.ofSeconds(1)) ? "" : ", every " + GoDuration.format(interval);
        log.info("clock listening on {} (zone {}{})", listener.address(), zone, every);
        listener.serve(this::handle);
    }

    /** Go's handleConn: write the time, wait for the next second, repeat until the write fails. */
    void handle(Socket socket) throws InterruptedException {
        var client = socket.getInetAddress().getHostAddress() + ":" + socket.getPort();
        log.info("{} connected", client);
        var ticker = new Ticker(interval);
        Instant now = Instant.now();
        try {
            // A line is 9 bytes: a small buffer is plenty, and it keeps what a client that stops
            // reading can make us queue small, so its writes block (and time out) soon.
            socket.setSendBufferSize(SEND_BUFFER);
            OutputStream out = socket.getOutputStream();
            while (true) {
                out.write(line(now));
                out.flush();
                now = ticker.await();
            }
        } catch (IOException e) {
            log.info("{} disconnected", client); // e.g. the client closed its end
        }
    }

    byte[] line(Instant instant) {
        return (format.format(instant) + "\n").getBytes(StandardCharsets.US_ASCII);
    }
}
