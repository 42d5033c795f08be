package gopl.clockwall;

import java.io.PrintStream;
import java.util.List;
import java.util.StringJoiner;

/**
 * Draws the table: a header of names and a row of times. On a terminal the row is redrawn in
 * place; for scripts each row is a new line, columns separated by spaces.
 */
final class Wall {
    private static final String REDRAW = "\r\033[K"; // carriage return, then erase to end of line

    private final List<ClockFeed> feeds;
    private final PrintStream out;
    private final boolean inPlace;
    private final int[] widths;

    Wall(List<ClockFeed> feeds, PrintStream out, boolean inPlace) {
        this.feeds = feeds;
        this.out = out;
        this.inPlace = inPlace;
        this.widths = feeds.stream().mapToInt(f -> Math.max(f.name().length(), "00:00:00".length())).toArray();
    }

    void header() {
        out.println(join(feeds.stream().map(ClockFeed::name).toList()));
        if (inPlace) {
            out.print(row());
            out.flush();
        }
    }

    /** Prints the current row: redrawn over the last one on a terminal, a new line otherwise. */
    void draw() {
        if (inPlace) {
            out.print(REDRAW + row());
            out.flush();
        } else {
            out.println(row());
        }
    }

    /** Leaves the cursor on a fresh line when the wall stops. */
    void finish() {
        if (inPlace) {
            out.println();
        }
        out.flush();
    }

    String row() {
        return join(feeds.stream().map(ClockFeed::cell).toList());
    }

    private String join(List<String> cells) {
        var line = new StringJoiner("  ");
        for (int i = 0; i < cells.size(); i++) {
            line.add(String.format("%-" + widths[i] + "s", cells.get(i)));
        }
        return line.toString().stripTrailing();
    }
}
