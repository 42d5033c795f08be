package gopl.crawler;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --max-pages} and {@code -Q}/{@code --quota}, the limits crawler and mirror share: a picocli mixin. */
public final class CrawlLimits {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = {"--max-pages"}, paramLabel = "N",
            description = "Record at most N URLs; links to further ones are not followed. Default: ${DEFAULT-VALUE}.")
    int maxPages = 100_000;

    @Option(names = {"-Q", "--quota"}, paramLabel = "SIZE", converter = QuotaConverter.class,
            description = "Start no request once SIZE was downloaded (500M, 2G; inf or 0: none), as wget -Q. Default: 1G.")
    long quota = 1L << 30;

    public int maxPages() {
        if (maxPages < 1) {
            throw new ParameterException(spec.commandLine(), "--max-pages must be at least 1");
        }
        return maxPages;
    }

    public long quota() {
        return quota;
    }
}
