package gopl.ftp;

import java.nio.file.Path;
import java.util.Locale;

/** {@link FileAttackCases} on an in-process server over loopback. */
class FileAttackTest extends FileAttackCases {
    @Override
    FtpUnderTest start(Path root, String... options) {
        return TestServer.start(root, options);
    }

    /** The server in this JVM formats with this JVM's default locale: set for the test, then put back. */
    @Override
    FtpUnderTest startInLocale(Path root, String languageTag) {
        var previous = Locale.getDefault();
        Locale.setDefault(Locale.forLanguageTag(languageTag));
        var server = TestServer.start(root);
        return new FtpUnderTest() {
            @Override
            public int port() {
                return server.port();
            }

            @Override
            public void close() throws InterruptedException {
                try {
                    server.close();
                } finally {
                    Locale.setDefault(previous);
                }
            }
        };
    }
}
