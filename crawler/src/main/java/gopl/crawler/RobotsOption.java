package gopl.crawler;

import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --[no-]robots}, on by default, and wget's spelling {@code -e robots=off}: a picocli mixin for crawler and mirror. */
public final class RobotsOption {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--robots", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Honour each site's robots.txt (RFC 9309) and its Crawl-delay, as wget does (on by default; "
                    + "--no-robots or wget's -e robots=off to ignore it).")
    boolean robots;

    @Option(names = "-e", paramLabel = "robots=off", hidden = true)
    String wgetCommand;

    /** Whether to honour robots.txt; a usage error for an {@code -e} command other than robots=on/off. */
    public boolean honour() {
        if (wgetCommand == null) {
            return robots;
        }
        return switch (wgetCommand.replace(" ", "").toLowerCase(Locale.ROOT)) {
            case "robots=off" -> false;
            case "robots=on" -> true;
            default -> throw new ParameterException(spec.commandLine(), "-e understands robots=off and robots=on only");
        };
    }
}
