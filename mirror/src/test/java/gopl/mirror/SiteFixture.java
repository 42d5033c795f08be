package gopl.mirror;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A test's site on loopback and the directory to mirror it into, new for each test. */
abstract class SiteFixture {
    @TempDir
    Path tmp;

    Path out;
    TestSite site;

    @BeforeEach
    void startSite() throws IOException {
        out = tmp.resolve("out");
        site = new TestSite();
    }

    @AfterEach
    void stopSite() {
        site.close();
    }

    /** Where the site is mirrored: DIR/127.0.0.1:PORT. */
    Path host() {
        return out.resolve("127.0.0.1:" + site.port());
    }
}
