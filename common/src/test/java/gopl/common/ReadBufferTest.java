package gopl.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A ReadBuffer over a loopback connection: it grows only while reads fill it, and reads keep to the deadline. */
@Timeout(60)
class ReadBufferTest {
    private ServerSocket listener;
    private Socket client;
    private Socket served;

    @BeforeEach
    void connect() throws IOException {
        listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        client = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
        served = listener.accept();
    }

    @AfterEach
    void close() throws IOException {
        client.close();
        served.close();
        listener.close();
    }

    /** Fills until {@code total} bytes are read; the largest single read. */
    private static int largestRead(ReadBuffer input, int total) throws IOException {
        int largest = 0;
        for (int read = 0; read < total; ) {
            int n = input.fill(0);
            read += n;
            largest = Math.max(largest, n);
        }
        return largest;
    }

    @Test
    void growsWhileReadsFillItUpToTheCapAndShrinksAfter() throws IOException {
        var input = new ReadBuffer(served, 16, 256);
        client.getOutputStream().write(new byte[10_000]);
        assertThat(input.fill(0)).isEqualTo(16); // the first read: the small buffer, full
        assertThat(largestRead(input, 10_000 - 16)).isEqualTo(256);
        assertThat(input.bytes()).hasSize(256);
        client.getOutputStream().write("hello".getBytes());
        assertThat(input.fill(0)).isEqualTo(5); // a read that does not fill it...
        client.getOutputStream().write('x');
        assertThat(input.fill(0)).isOne();
        assertThat(input.bytes()).hasSize(16); // ...and the buffer is small again
    }

    @Test
    void consumesUpToANewline() throws IOException {
        var input = new ReadBuffer(served, 64, 64);
        client.getOutputStream().write("one\ntwo\n".getBytes());
        int total = input.fill(0);
        while (total < 8) {
            total += input.fill(0); // loopback may split it
        }
        int newline = input.indexOf((byte) '\n');
        assertThat(new String(input.bytes(), input.start(), newline - input.start())).isEqualTo("one");
        input.consumeTo(newline + 1);
        assertThat(input.isEmpty()).isFalse();
        input.consumeTo(input.indexOf((byte) '\n') + 1);
        assertThat(input.isEmpty()).isTrue();
    }

    @Test
    void aReadPastTheDeadlineTimesOut() throws IOException {
        var input = new ReadBuffer(served, 16, 16);
        long deadline = System.nanoTime() + Duration.ofMillis(200).toNanos();
        assertThatThrownBy(() -> input.fill(deadline)).isInstanceOf(SocketTimeoutException.class);
        assertThatThrownBy(() -> input.fill(System.nanoTime() - 1)).isInstanceOf(SocketTimeoutException.class);
        client.getOutputStream().write('x');
        assertThat(input.fill(0)).isOne(); // no deadline: waits for the byte
    }
}
