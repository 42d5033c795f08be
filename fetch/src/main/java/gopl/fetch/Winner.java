package gopl.fetch;

import gopl.common.Http;
import gopl.common.IoErrors;
import gopl.common.StatusLine;
import gopl.common.Terminal;
import gopl.common.ToolException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The winning response, written where the options say: to stdout, or to -o's or -O's file (whole
 * or not at all); with -i its status line and headers first, with -I only those, as curl writes
 * them ({@code HTTP/1.1 200 OK}, CRLF line ends, a blank line after).
 */
final class Winner {
    private final FirstResponse.Winner winner;
    private final FetchCommand command;

    Winner(FirstResponse.Winner winner, FetchCommand command) {
        this.winner = winner;
        this.command = command;
    }

    void save() throws IOException {
        var target = command.outputFile(winner.uri());
        if (target == null) {
            write(command.body);
            return;
        }
        try (var file = OutputFile.create(target)) {
            write(file.stream());
            file.commit();
        } catch (ToolException e) {
            throw e;
        } catch (IOException e) {
            throw new ToolException("cannot write " + target + ": " + IoErrors.reason(e));
        }
    }

    private void write(OutputStream out) throws IOException {
        var response = winner.response();
        if (command.head || command.include) {
            writeHead(out, response);
        }
        if (command.head) {
            response.close();
            out.flush();
            return;
        }
        var err = command.spec.commandLine().getErr();
        // The body on the same terminal would garble a status line: then none is drawn.
        var status = command.silent || Terminal.stdoutIsTerminal() ? StatusLine.off(err) : StatusLine.stderr(err);
        new BodyCopy(command.timeout, status, command.maxSize, command.compressed).copy(winner, out);
    }

    /** The status line and the headers, as curl -i and -I write them. */
    private static void writeHead(OutputStream out, Response response) {
        var head = new StringBuilder("HTTP/1.1 ");
        var text = Http.statusText(response.status());
        head.append(text.startsWith("HTTP status ") ? Integer.toString(response.status()) : text).append("\r\n");
        response.headers().forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        try {
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
