package gopl.clock;

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
 * changes, until the client goes away. Each client runs on its own virtual thread (TcpServer).
 */
public final class ClockServer {
    private static final Logger log = LoggerFactory.getLogger(ClockServer.class);
    private static final Duration SECOND = Duration.ofSeconds(1);

    private final DateTimeFormatter format;
    private final ZoneId zone;

    public ClockServer(ZoneId zone) {
        this.zone = zone;
        this.format = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(zone);
    }

    /** Serves until the listener is closed. */
    public void serve(TcpServer listener) {
        log.info("clock listening on {} (zone {})", listener.address(), zone);
        listener.serve(this::handle);
    }

    /** Go's handleConn: write the time, wait for the next second, repeat until the write fails. */
    void handle(Socket socket) throws InterruptedException {
        var client = socket.getRemoteSocketAddress();
        log.info("{} connected", client);
        var ticker = new Ticker(SECOND);
        Instant now = Instant.now();
        try {
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
