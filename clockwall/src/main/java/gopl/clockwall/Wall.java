package gopl.clockwall;

import gopl.common.StatusLine;
import java.util.List;
import java.util.StringJoiner;

/**
 * Draws the table: a header of names and a row of times. On a terminal the row is the status
 * line, redrawn in place; for scripts each row is a new line, columns separated by spaces.
 */
final class Wall {
    private final List<ClockFeed> feeds;
    private final StatusLine out;
    private final int[] widths;

    Wall(List<ClockFeed> feeds, StatusLine out) {
        this.feeds = feeds;
        this.out = out;
        this.widths = feeds.stream().mapToInt(f -> Math.max(f.name().length(), "00:00:00".length())).toArray();
    }

    /** Whether the row is redrawn in place (a terminal) rather than printed once a second. */
    boolean inPlace() {
        return out.isLive();
    }

    void header() {
        out.println(join(feeds.stream().map(ClockFeed::name).toList()));
        out.show(row());
    }

    /** Prints the current row: redrawn over the last one on a terminal, a new line otherwise. */
    void draw() {
        if (inPlace()) {
            out.show(row());
        } else {
            out.println(row());
        }
    }

    /** Leaves the last row on screen and the cursor on a fresh line when the wall stops. */
    void finish() {
        out.keep();
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
