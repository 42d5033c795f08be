package gopl.common;

import picocli.CommandLine.Option;

/**
 * {@code --help} and {@code --version} for every tool, mixed in with {@code @Mixin}. Only long
 * forms (plus Go's {@code -help}), so that a tool may give {@code -h} or {@code -V} its own
 * meaning: picocli's {@code mixinStandardHelpOptions} silently disappears when a tool does that.
 */
public final class StandardOptions {
    @Option(names = {"--help", "-help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--version", versionHelp = true, description = "Print the version and exit.")
    boolean version;
}
