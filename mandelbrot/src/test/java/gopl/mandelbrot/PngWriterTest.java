package gopl.mandelbrot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PngWriterTest {
    /** The PNG of the book's picture at this size, through the scalar loop. */
    private static byte[] png(int width, int height) throws IOException {
        var picture = new Mandelbrot(width, height);
        var out = new ByteArrayOutputStream();
        var writer = new PngWriter(out, width, height);
        for (int py = 0; py < height; py++) {
            var row = new byte[width];
            picture.renderRow(py, row);
            writer.writeRow(row);
        }
        writer.finish();
        return out.toByteArray();
    }

    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource({"1, 1", "7, 3", "64, 64", "100, 6000", "4096, 200", "32768, 20"})
    void decodesToTheRenderedPixelsOverPackBoundaries(int width, int height) throws IOException {
        // 100x6000 is 606,000 filtered bytes, three packs; 32768 wide is seven rows a pack.
        var image = MandelbrotCommandTest.decode(png(width, height));
        var picture = new Mandelbrot(width, height);
        var row = new byte[width];
        for (int py = 0; py < height; py++) {
            picture.renderRow(py, row);
            for (int px = 0; px < width; px++) {
                assertThat(image.getRaster().getSample(px, py, 0)).as("(%d,%d)", px, py).isEqualTo(row[px] & 0xFF);
            }
        }
    }

    @Test
    void theJoinedPacksAreOneZlibStreamWithTheRightChecksum() throws Exception {
        byte[] idat = idat(png(100, 6000));
        var inflater = new Inflater(); // zlib wrapper: checks the Adler-32 at the end
        inflater.setInput(idat);
        var filtered = new byte[6000 * 101 + 1];
        int n = 0;
        while (!inflater.finished()) {
            int got = inflater.inflate(filtered, n, filtered.length - n);
            assertThat(got > 0 || inflater.finished()).as("inflater progresses").isTrue();
            n += got;
        }
        assertThat(n).isEqualTo(6000 * 101);
        assertThat(inflater.getRemaining()).as("nothing after the checksum").isZero();
        inflater.end();
    }

    @Test
    void aCorruptChecksumIsCaught() throws IOException {
        // The check above could pass by not checking: flip the last byte of the Adler-32 and see.
        byte[] idat = idat(png(100, 6000));
        idat[idat.length - 1] ^= 1;
        var inflater = new Inflater();
        inflater.setInput(idat);
        assertThatThrownBy(() -> {
            var sink = new byte[1 << 16];
            while (!inflater.finished()) {
                inflater.inflate(sink);
            }
        }).isInstanceOf(DataFormatException.class);
        inflater.end();
    }

    @Test
    void parallelPacksCostUnderAPercentAgainstOneStream() throws IOException {
        // 4096x512 is eight packs; each starts with the 32 KiB before it as its dictionary.
        int width = 4096, height = 512;
        byte[] ours = idat(png(width, height));
        var picture = new Mandelbrot(width, height);
        var filtered = new ByteArrayOutputStream();
        var previous = new byte[width];
        for (int py = 0; py < height; py++) {
            var row = new byte[width];
            picture.renderRow(py, row);
            filtered.write(2);
            for (int x = 0; x < width; x++) {
                filtered.write(row[x] - previous[x]);
            }
            previous = row;
        }
        var deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);
        deflater.setInput(filtered.toByteArray());
        deflater.finish();
        var buffer = new byte[1 << 20];
        int single = 0;
        while (!deflater.finished()) {
            single += deflater.deflate(buffer);
        }
        deflater.end();
        assertThat((double) ours.length).isLessThan(single * 1.01);
    }

    @Test
    void theSameRowsGiveTheSameBytes() throws IOException {
        assertThat(png(100, 6000)).isEqualTo(png(100, 6000)); // packs finish in any order
    }

    @Test
    void finishingEarlyIsABug() throws IOException {
        var writer = new PngWriter(new ByteArrayOutputStream(), 10, 3);
        writer.writeRow(new byte[10]);
        assertThatThrownBy(writer::finish).isInstanceOf(IllegalStateException.class).hasMessage("wrote 1 of 3 rows");
    }

    /** The contents of the IDAT chunks, joined: the zlib stream. */
    private static byte[] idat(byte[] png) {
        var buffer = ByteBuffer.wrap(png, 8, png.length - 8);
        var idat = new ByteArrayOutputStream();
        while (buffer.hasRemaining()) {
            int length = buffer.getInt();
            var type = new byte[4];
            buffer.get(type);
            var data = new byte[length];
            buffer.get(data);
            buffer.getInt(); // CRC: ImageIO checks those
            if (new String(type, java.nio.charset.StandardCharsets.US_ASCII).equals("IDAT")) {
                idat.writeBytes(data);
            }
        }
        return idat.toByteArray();
    }
}
