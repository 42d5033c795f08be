package gopl.crawler;

import gopl.common.IoErrors;
import gopl.common.ToolException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Who crawler and mirror say they are, with wget's spellings: {@code --header}, {@code --user} and
 * {@code --password} (HTTP basic, to the start URLs' sites only), {@code --load-cookies} (a Netscape
 * cookies.txt) and {@code --no-cookies}. A picocli mixin, applied to an engine with {@link #applyTo}.
 */
public final class IdentityOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--header", paramLabel = "'NAME: VALUE'",
            description = "Send this header field with every request (repeatable), as wget --header.")
    List<String> headers = new ArrayList<>();

    @Option(names = {"--user", "--http-user"}, paramLabel = "USER",
            description = "HTTP basic authentication to the start URL's site (never sent elsewhere), with --password.")
    String user;

    @Option(names = {"--password", "--http-password"}, paramLabel = "PASSWORD", description = "The password for --user.")
    String password;

    @Option(names = "--load-cookies", paramLabel = "FILE",
            description = "Send the cookies of this Netscape cookies.txt (as a browser exports them), as wget does.")
    Path cookies;

    @Option(names = "--no-cookies", description = "Keep no cookie the sites set (by default they are kept for the run, as wget does).")
    boolean noCookies;

    /** Sets these on the engine's builder: a usage error for a malformed header, a run-time one for an unreadable cookies.txt. */
    public Crawler.Builder applyTo(Crawler.Builder builder) {
        var fields = new LinkedHashMap<String, String>();
        for (var header : headers) {
            int colon = header.indexOf(':');
            var name = colon < 0 ? "" : header.substring(0, colon).strip();
            var value = colon < 0 ? "" : header.substring(colon + 1).strip();
            if (name.isEmpty() || !name.chars().allMatch(c -> c > 32 && c < 127) || value.chars().anyMatch(c -> c == '\r' || c == '\n')) {
                throw new ParameterException(spec.commandLine(), "--header '" + header + "' is not NAME: VALUE");
            }
            fields.put(name, value);
        }
        builder.headers(fields);
        if (user != null || password != null) {
            builder.credentials(user == null ? "" : user, password == null ? "" : password);
        }
        if (cookies != null) {
            try {
                builder.cookies(Cookies.load(cookies));
            } catch (IOException e) {
                throw new ToolException("cannot read " + cookies + ": " + IoErrors.reason(e));
            }
        } else if (!noCookies) {
            builder.cookies(new Cookies());
        }
        return builder;
    }
}
