package gopl.mirror;

import gopl.crawler.UrlPattern;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** wget's options for what a recursive download takes, with wget's names and meanings: a picocli mixin for {@link Scope}. */
final class ScopeOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = {"-np", "--no-parent"}, description = "Follow no page link above the start URL's directory (requisites are fetched).")
    boolean noParent;

    @Option(names = {"-A", "--accept"}, paramLabel = "LIST", split = ",",
            description = "Keep only files whose names end with one of LIST or match one of its patterns (*.pdf); "
                    + "HTML pages are still fetched for their links.")
    List<String> accept = new ArrayList<>();

    @Option(names = {"-R", "--reject"}, paramLabel = "LIST", split = ",",
            description = "Fetch and keep no file whose name ends with one of LIST or matches one of its patterns.")
    List<String> reject = new ArrayList<>();

    @Option(names = {"-I", "--include-directories"}, paramLabel = "LIST", split = ",",
            description = "Fetch only from these directories (and below; wildcards allowed).")
    List<String> include = new ArrayList<>();

    @Option(names = {"-X", "--exclude-directories"}, paramLabel = "LIST", split = ",",
            description = "Fetch nothing from these directories (and below; wildcards allowed).")
    List<String> exclude = new ArrayList<>();

    @Option(names = "--accept-regex", paramLabel = "REGEX", description = "Fetch only URLs in which REGEX occurs.")
    String acceptRegex;

    @Option(names = "--reject-regex", paramLabel = "REGEX", description = "Fetch no URL in which REGEX occurs.")
    String rejectRegex;

    @Option(names = {"-H", "--span-hosts"}, description = "Follow links to other hosts too (those of -D, if given).")
    boolean spanHosts;

    @Option(names = {"-D", "--domains"}, paramLabel = "LIST", split = ",",
            description = "With -H, the domains to follow links to (and their subdomains).")
    List<String> domains = new ArrayList<>();

    @Option(names = "--exclude-domains", paramLabel = "LIST", split = ",", description = "With -H, domains not to follow links to.")
    List<String> excludeDomains = new ArrayList<>();

    Scope.Rules rules() {
        return new Scope.Rules(spanHosts, clean(domains), clean(excludeDomains), noParent, clean(accept), clean(reject),
                clean(include), clean(exclude), pattern(acceptRegex, "--accept-regex"), pattern(rejectRegex, "--reject-regex"));
    }

    private UrlPattern pattern(String regex, String option) {
        try {
            return regex == null ? null : UrlPattern.compile(regex);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), option + ": " + e.getMessage());
        }
    }

    private static List<String> clean(List<String> entries) {
        return entries.stream().map(String::strip).filter(entry -> !entry.isEmpty()).toList();
    }
}
