package gopl.dist;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The README's examples of one tool, for its man page: the tool's cell in the README's table of
 * tools, then the shell blocks of its {@code ## tool} section, with {@code bin/X} spelled as the
 * installed command {@code gopl-X}. So an example added to the README reaches the man page too.
 */
final class Examples {
    private static final Pattern BIN = Pattern.compile("\\bbin/([a-z]+)");

    private Examples() {}

    static List<String> of(String readme, String tool) {
        var examples = new LinkedHashSet<String>();
        var row = Pattern.compile("(?m)^\\| \\[" + Pattern.quote(tool) + "]\\(#[^)]*\\) \\|[^|]*\\| `([^`]+)` \\|").matcher(readme);
        if (row.find()) {
            examples.add(row.group(1).replace("\\|", "|"));
        }
        for (var block : shellBlocks(section(readme, tool))) {
            examples.add(block);
        }
        return examples.stream().map(example -> BIN.matcher(example).replaceAll("gopl-$1")).toList();
    }

    /** The text from {@code ## tool} to the next second-level heading. */
    private static String section(String readme, String tool) {
        var start = Pattern.compile("(?m)^## " + Pattern.quote(tool) + "\\s*$").matcher(readme);
        if (!start.find()) {
            return "";
        }
        var rest = readme.substring(start.end());
        var next = Pattern.compile("(?m)^## ").matcher(rest);
        return next.find() ? rest.substring(0, next.start()) : rest;
    }

    private static List<String> shellBlocks(String section) {
        var blocks = new ArrayList<String>();
        var fence = Pattern.compile("(?ms)^```(?:sh|bash|shell)\\s*\\n(.*?)^```").matcher(section);
        while (fence.find()) {
            blocks.add(fence.group(1).stripTrailing());
        }
        return blocks;
    }
}
