package gopl.crawler;

import gopl.common.ByteSize;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * How hard crawler and mirror press a site, with wget's spellings: {@code --max-per-host},
 * {@code -w}/{@code --wait}, {@code --random-wait}, {@code --limit-rate}. A picocli mixin,
 * applied to an engine with {@link #applyTo}.
 */
public final class PolitenessOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = {"--max-per-host"}, paramLabel = "N",
            description = "Requests in flight to one host at most (default: ${DEFAULT-VALUE}).")
    int maxPerHost = Crawler.DEFAULT_PER_HOST;

    @Option(names = {"-w", "--wait"}, paramLabel = "SECONDS", converter = WaitConverter.class,
            description = "One request at a time per host, each SECONDS after the last ended (2, 0.5, 500ms, 1m), as wget -w.")
    Duration wait = Duration.ZERO;

    @Option(names = {"--random-wait"}, description = "Wait 0.5 to 1.5 times --wait, at random, as wget does.")
    boolean randomWait;

    @Option(names = {"--limit-rate"}, paramLabel = "RATE", converter = ByteSize.class,
            description = "Download at most RATE bytes per second in all (200k, 2M), as wget --limit-rate.")
    long limitRate;

    /** A usage error for an impossible value: call before the work starts. */
    public void check() {
        if (maxPerHost < 1) {
            throw new ParameterException(spec.commandLine(), "--max-per-host must be at least 1");
        }
    }

    /** Sets these on the engine's builder. */
    public Crawler.Builder applyTo(Crawler.Builder builder) {
        return builder.maxPerHost(maxPerHost).wait(wait).randomWait(randomWait).limitRate(limitRate);
    }
}
