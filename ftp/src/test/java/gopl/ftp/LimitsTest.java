package gopl.ftp;

import java.nio.file.Path;

/** {@link AttackCases} on an in-process server over loopback. */
class LimitsTest extends AttackCases {
    @Override
    FtpUnderTest start(Path root, String... options) {
        return TestServer.start(root, options);
    }
}
