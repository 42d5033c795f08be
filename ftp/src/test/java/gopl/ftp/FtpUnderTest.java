package gopl.ftp;

/** A running server the attack tests aim at: in-process ({@link TestServer}) or the real jar ({@link JarServer}). */
interface FtpUnderTest extends AutoCloseable {
    int port();
}
