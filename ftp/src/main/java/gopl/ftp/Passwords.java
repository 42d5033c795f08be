package gopl.ftp;

import java.security.SecureRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * bcrypt password hashes, from Spring Security's {@code BCrypt} (spring-security-crypto: pure
 * Java, no dependencies, maintained with Spring Security's security process). bcrypt rather than
 * argon2: a check costs CPU time only (4 KB of memory, where argon2's strength is megabytes per
 * check, which a server taking logins from the network would have to budget against floods), and
 * the hashes are the ones {@code htpasswd -B}, {@code mkpasswd -m bcrypt} and Python's bcrypt
 * write. The comparison inside {@code checkpw} takes the same time however much of a guess is right.
 *
 * <p>A check at the default cost takes tens of milliseconds of CPU. Checks run on a few platform
 * threads of their own (half the cores), never on the virtual threads' carriers: a burst of logins
 * then waits its turn instead of stalling every session and transfer of the server meanwhile.
 */
final class Passwords implements AutoCloseable {
    /** 2^10 rounds: 50 to 100 ms a check on this machine class, OWASP's minimum for bcrypt. */
    static final int DEFAULT_COST = 10;
    /** bcrypt reads at most 72 bytes of a password; longer ones are refused rather than cut short. */
    static final int MAX_BYTES = 72;
    private static final Pattern HASH = Pattern.compile("\\$2[aby]\\$(0[4-9]|[12]\\d|3[01])\\$[./A-Za-z0-9]{53}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ExecutorService checkers;
    private final String decoy; // checked for unknown users, so that they take as long as known ones

    Passwords() {
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        this.checkers = Executors.newFixedThreadPool(threads, Thread.ofPlatform().name("password-check-", 0).daemon().factory());
        this.decoy = hash(new byte[] {'x'}, DEFAULT_COST);
    }

    /** Whether {@code text} is a bcrypt hash ({@code $2b$10$} and 53 characters of salt and hash). */
    static boolean isHash(String text) {
        return HASH.matcher(text).matches();
    }

    /** A new hash of {@code password} at {@code cost} (4 to 31), with a fresh random salt. */
    static String hash(byte[] password, int cost) {
        if (password.length > MAX_BYTES) {
            throw new IllegalArgumentException("a password longer than " + MAX_BYTES + " bytes (bcrypt reads no more)");
        }
        return BCrypt.hashpw(password, BCrypt.gensalt("$2b", cost, RANDOM));
    }

    /** Whether {@code password} matches {@code hash}; waits for a checker thread. */
    boolean matches(byte[] password, String hash) throws InterruptedException {
        boolean tooLong = password.length > MAX_BYTES;
        var task = checkers.submit(() -> BCrypt.checkpw(tooLong ? new byte[] {'x'} : password, hash));
        try {
            return task.get() && !tooLong;
        } catch (ExecutionException e) {
            return false; // a damaged hash matches nothing (the users file was checked at start)
        }
    }

    /** Spends what a check of a known user would, and fails: unknown names are not told apart by time. */
    void decoy(byte[] password) throws InterruptedException {
        matches(password, decoy);
    }

    @Override
    public void close() {
        checkers.shutdownNow();
    }
}
