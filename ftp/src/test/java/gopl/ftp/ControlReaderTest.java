package gopl.ftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ControlReaderTest {
    private static ControlReader reader(byte[] bytes) {
        return new ControlReader(new ByteArrayInputStream(bytes), 64);
    }

    private static byte[] bytes(int... values) {
        var out = new ByteArrayOutputStream();
        for (int v : values) {
            out.write(v);
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        var out = new ByteArrayOutputStream();
        for (var p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void readsCrlfAndBareLfLines() throws IOException {
        var in = reader("USER bob\r\nPASS x\nQUIT\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(in.readLine()).isEqualTo("USER bob");
        assertThat(in.readLine()).isEqualTo("PASS x");
        assertThat(in.readLine()).isEqualTo("QUIT");
        assertThat(in.readLine()).isNull();
    }

    @Test
    void decodesUtf8() throws IOException {
        var in = reader("RETR héllo ✓.txt\r\n".getBytes(StandardCharsets.UTF_8));
        assertThat(in.readLine()).isEqualTo("RETR héllo ✓.txt");
    }

    @Test
    void anOverlongUtf8DotIsNotADot() throws IOException {
        // C0 AE is an overlong encoding of '.', a classic path traversal trick.
        var in = reader(concat("CWD ".getBytes(StandardCharsets.US_ASCII), bytes(0xC0, 0xAE, 0xC0, 0xAE), bytes('\r', '\n')));
        var line = in.readLine();
        assertThat(line).startsWith("CWD ").doesNotContain("..");
    }

    @Test
    void dropsTelnetInterruptAndSynchBeforeAbor() throws IOException {
        // BSD ftp: IAC IP, IAC DM (the DM sent as urgent data, kept inline), then ABOR.
        var in = reader(concat(bytes(255, 244, 255, 242), "ABOR\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertThat(in.readLine()).isEqualTo("ABOR");
    }

    @Test
    void dropsOptionNegotiationAndKeepsEscapedIac() throws IOException {
        var in = reader(concat(bytes(255, 253, 1), "NOOP".getBytes(StandardCharsets.US_ASCII), bytes(255, 255, '\r', '\n')));
        assertThat(in.readLine().getBytes(StandardCharsets.UTF_8)).startsWith("NOOP".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void aStrayIacBeforeTextKeepsTheText() throws IOException {
        // ftplib-style IAC IP IAC with the DM lost: the text after it must survive.
        var in = reader(concat(bytes(255, 244, 255), "ABOR\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertThat(in.readLine()).isEqualTo("ABOR");
    }

    @Test
    void aTooLongLineIsRefusedAndTheNextOneRead() throws IOException {
        var in = reader(("RETR " + "x".repeat(500) + "\r\nNOOP\r\n").getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(in::readLine).isInstanceOf(ControlReader.TooLong.class);
        assertThat(in.readLine()).isEqualTo("NOOP");
    }

    @Test
    void aTimeoutKeepsThePartLineReadSoFar() throws IOException {
        var in = new ControlReader(new InputStream() {
            private final byte[] script = "NO|OP\r\n".getBytes(StandardCharsets.US_ASCII);
            private int pos;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (pos >= script.length) {
                    return -1;
                }
                if (script[pos] == '|') {
                    pos++;
                    throw new SocketTimeoutException("tick");
                }
                b[off] = script[pos++];
                return 1;
            }
        }, 64);
        assertThatThrownBy(in::readLine).isInstanceOf(SocketTimeoutException.class);
        assertThat(in.readLine()).isEqualTo("NOOP");
    }
}
