package gopl.ftp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Optional;

/**
 * Who may log in: anonymous users ({@code anonymous} or {@code ftp}, any password), who may only
 * read, and at most one named account, which may also write.
 */
final class Accounts {
    /** A logged-in user. */
    record Account(String name, boolean canWrite) {}

    private final boolean anonymous;
    private final String user;
    private final byte[] password;

    Accounts(boolean anonymous, String user, String password) {
        this.anonymous = anonymous;
        this.user = user;
        this.password = password == null ? null : password.getBytes(StandardCharsets.UTF_8);
    }

    static boolean isAnonymousName(String name) {
        var lower = name.toLowerCase(Locale.ROOT);
        return lower.equals("anonymous") || lower.equals("ftp");
    }

    boolean anonymousAllowed() {
        return anonymous;
    }

    /** The account these credentials open, if any. */
    Optional<Account> login(String name, String pass) {
        if (user != null && user.equals(name)) {
            // Constant-time, so response timing does not reveal how much of a guess was right.
            var given = pass.getBytes(StandardCharsets.UTF_8);
            return MessageDigest.isEqual(given, password) ? Optional.of(new Account(user, true)) : Optional.empty();
        }
        if (anonymous && isAnonymousName(name)) {
            return Optional.of(new Account("anonymous", false));
        }
        return Optional.empty();
    }

    /** For the start-up line: {@code anonymous read-only, user bob read-write}. */
    String describe() {
        var anon = anonymous ? "anonymous read-only" : "no anonymous login";
        return user == null ? anon : anon + ", user " + user + " read-write";
    }
}
