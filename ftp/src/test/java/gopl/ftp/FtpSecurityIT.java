package gopl.ftp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Nested;

/**
 * Issue 13's attacks on the real jar, each shown to fail: the cases of {@link AttackCases} and
 * {@link FileAttackCases}, which the {@code *Test} classes run in-process. Here the glob bombs
 * must also leave a normal client its listing and download within a second.
 */
class FtpSecurityIT {
    private static JarServer jar(Map<String, String> env, Path root, String... options) {
        var args = new ArrayList<>(List.of("--user", TestServer.USER, "--password-file", TestServer.passwordFile().toString()));
        args.addAll(List.of(options));
        return JarServer.start(env, root, args.toArray(String[]::new));
    }

    @Nested
    class Limits extends AttackCases {
        @Override
        FtpUnderTest start(Path root, String... options) {
            return jar(Map.of(), root, options);
        }

        @Override
        void checkVisitTime(Duration took) {
            assertThat(took).isLessThan(Duration.ofSeconds(1));
        }
    }

    @Nested
    class Files extends FileAttackCases {
        @Override
        FtpUnderTest start(Path root, String... options) {
            return jar(Map.of(), root, options);
        }

        @Override
        FtpUnderTest startInLocale(Path root, String languageTag) {
            var locale = Locale.forLanguageTag(languageTag);
            var options = "-Duser.language=" + locale.getLanguage() + " -Duser.country=" + locale.getCountry();
            return jar(Map.of("JAVA_TOOL_OPTIONS", options), root);
        }
    }
}
