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

/**
 * A ReadBuffer over a loopback connection: it grows only while reads fill it and the input budget
 * has room, keeps lines within the budget, gives it all back, and reads keep to the deadline.
 */
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
        var input = new ReadBuffer(served, 16, 256, 256, new InputBudget(1 << 20));
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
        var input = new ReadBuffer(served, 64, 64, 64, new InputBudget(1 << 20));
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
        var input = new ReadBuffer(served, 16, 16, 16, new InputBudget(1 << 20));
        long deadline = System.nanoTime() + Duration.ofMillis(200).toNanos();
        assertThatThrownBy(() -> input.fill(deadline)).isInstanceOf(SocketTimeoutException.class);
        assertThatThrownBy(() -> input.fill(System.nanoTime() - 1)).isInstanceOf(SocketTimeoutException.class);
        client.getOutputStream().write('x');
        assertThat(input.fill(0)).isOne(); // no deadline: waits for the byte
    }

    @Test
    void growsOnlyWithinTheBudgetAndGivesBackWhatItTook() throws IOException {
        var budget = new InputBudget(100);
        var input = new ReadBuffer(served, 16, 256, 256, budget);
        client.getOutputStream().write(new byte[1000]);
        assertThat(input.fill(0)).isEqualTo(16);
        assertThat(largestRead(input, 1000 - 16)).isEqualTo(64); // 16 to 64 took 48; 64 to 256 would take 192 more
        assertThat(input.bytes()).hasSize(64);
        assertThat(budget.left()).isEqualTo(100 - 48);
        input.release();
        assertThat(budget.left()).isEqualTo(100);
        input.release(); // twice gives back nothing more
        assertThat(budget.left()).isEqualTo(100);
    }

    @Test
    void keepsALineAcrossReadsOnlyWithinTheBudget() throws IOException {
        var budget = new InputBudget(40);
        var input = new ReadBuffer(served, 16, 16, 64, budget);
        client.getOutputStream().write("0123456789abcdef0123456789abcdef".getBytes());
        int read = 0;
        while (read < 32) {
            int n = input.fill(0);
            assertThat(input.keep(input.start(), input.end())).isTrue();
            input.consumeTo(input.end());
            read += n;
        }
        var line = input.takeLine();
        assertThat(new String(line)).isEqualTo("0123456789abcdef0123456789abcdef");
        assertThat(budget.left()).as("the line taken is held until dropped").isEqualTo(40 - 32);
        client.getOutputStream().write("0123456789".getBytes());
        input.fill(0);
        assertThat(input.keep(input.start(), input.end())).as("no room for 10 more bytes").isFalse();
        assertThat(input.kept()).isEqualTo(32);
        input.dropLine();
        assertThat(budget.left()).isEqualTo(40);
        assertThat(new String(line)).as("the line taken is the caller's").isEqualTo("0123456789abcdef0123456789abcdef");
        assertThat(input.keep(input.start(), input.end())).isTrue();
        input.release();
        assertThat(budget.left()).isEqualTo(40);
    }

    @Test
    void theBudgetIsTakenWholeOrNotAtAll() {
        var budget = new InputBudget(10);
        assertThat(budget.take(11)).isFalse();
        assertThat(budget.take(10)).isTrue();
        assertThat(budget.take(1)).isFalse();
        budget.give(10);
        assertThat(budget.left()).isEqualTo(10);
    }
}
