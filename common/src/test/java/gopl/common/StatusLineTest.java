package gopl.common;

import static org.assertj.core.api.Assertions.assertThat;

import gopl.common.StatusLine.Mode;
import gopl.common.testing.Eventually;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the status line writes, for each kind of stream, with the facts injected. */
class StatusLineTest {
    private final StringWriter written = new StringWriter();

    private StatusLine line(Mode mode, int columns) {
        return new StatusLine(new PrintWriter(written), mode, columns);
    }

    private String written() {
        synchronized (written.getBuffer()) {
            return written.toString();
        }
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
        "false, xterm-256color, null, OFF",
        "false, dumb, null, OFF",
        "true, xterm-256color, null, ANSI",
        "true, screen, '', ANSI",
        "true, dumb, null, PLAIN",
        "true, null, null, PLAIN",
        "true, xterm, 1, PLAIN",
    })
    void modeFollowsTheTerminalTermAndNoColor(boolean terminal, String term, String noColor, Mode mode) {
        var env = new java.util.HashMap<String, String>();
        if (term != null) {
            env.put("TERM", term);
        }
        if (noColor != null) {
            env.put("NO_COLOR", noColor);
        }
        assertThat(StatusLine.mode(terminal, env)).isEqualTo(mode);
    }

    @Test
    void columnsComeFromTheEnvironment() {
        assertThat(StatusLine.columns(Map.of("COLUMNS", "132"))).isEqualTo(132);
        assertThat(StatusLine.columns(Map.of("COLUMNS", "wide"))).isEqualTo(80);
        assertThat(StatusLine.columns(Map.of())).isEqualTo(80);
    }

    @Test
    void offDrawsNothingAndPrintsLinesPlainly() {
        try (var status = line(Mode.OFF, 80)) {
            assertThat(status.isLive()).isFalse();
            status.show("busy");
            status.println("warning");
            status.refreshEvery(Duration.ofMillis(1), () -> "never drawn");
        }
        assertThat(written()).isEqualTo("warning" + System.lineSeparator());
    }

    @Test
    void ansiRedrawsWithEraseToEndAndPrintsLinesAboveIt() {
        try (var status = line(Mode.ANSI, 80)) {
            status.show("one");
            status.show("two");
            status.println("warning");
        }
        assertThat(written()).isEqualTo("\rone\033[K" + "\rtwo\033[K" + "\r\033[Kwarning\n\rtwo\033[K" + "\r\033[K");
    }

    @Test
    void plainUsesNoEscapeSequencesOnlyBlanks() {
        try (var status = line(Mode.PLAIN, 80)) {
            status.show("longer");
            status.show("short");
            status.println("w");
        }
        assertThat(written()).doesNotContain("\033")
                .isEqualTo("\rlonger" + "\rshort " + "\r     \rw\n\rshort" + "\r     \r");
    }

    @Test
    void aLongLineIsCutToTheTerminalAndControlCharactersAreShownAsQuestionMarks() {
        var status = line(Mode.ANSI, 20);
        status.show("x".repeat(19));
        status.show("a\nb\tc" + "y".repeat(30));
        assertThat(written()).isEqualTo("\r" + "x".repeat(19) + "\033[K" + "\ra?b?c" + "y".repeat(13) + "…\033[K");
    }

    @Test
    void keepLeavesTheLastLineOnScreen() {
        var status = line(Mode.ANSI, 80);
        status.show("10:00:00");
        status.keep();
        status.close();
        assertThat(written()).isEqualTo("\r10:00:00\033[K\n");
    }

    @Test
    void refreshRedrawsOnEachTickUntilClosed() {
        var ticks = new AtomicInteger();
        var status = line(Mode.ANSI, 80).refreshEvery(Duration.ofMillis(5), () -> "tick " + ticks.incrementAndGet());
        Eventually.eventually(Duration.ofSeconds(30), "three redraws", () -> written().contains("tick 3"));
        status.close();
        int drawn = ticks.get();
        // close() joined the refresh thread: the erase is the last thing written, and no tick follows.
        assertThat(written()).endsWith("tick " + drawn + "\033[K\r\033[K");
        assertThat(ticks).hasValue(drawn);
    }

    @Test
    void linesPrintedFromManyThreadsWhileRefreshingStayWhole() throws Exception {
        var threads = new ArrayList<Thread>();
        try (var status = line(Mode.ANSI, 80).refreshEvery(Duration.ofMillis(1), () -> "status")) {
            for (int t = 0; t < 4; t++) {
                int thread = t;
                threads.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 200; i++) {
                        status.println("message " + thread + " " + i);
                    }
                }));
            }
            for (var thread : threads) {
                thread.join();
            }
        }
        var lines = written().split("\n", -1);
        assertThat(lines).hasSize(801); // 800 messages, then whatever redraw and erase came last
        assertThat(lines[800]).doesNotContain("message");
        for (int i = 0; i < 800; i++) {
            // Whatever redraws and erases came before it on the line, the message is what follows the last.
            var text = lines[i].replaceAll("(?s)^.*(\033\\[K|\r)", "");
            assertThat(text).matches("message \\d \\d+");
        }
    }
}
