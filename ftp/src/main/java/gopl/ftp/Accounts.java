package gopl.ftp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Who may log in: anonymous users ({@code anonymous} or {@code ftp}, any password) read the whole
 * root, unless {@code --no-anonymous}; named users come from {@code --users FILE} (a bcrypt hash,
 * a home directory that is their {@code /}, read-only or read-write) and from {@code --user} with
 * {@code --password-file} (the whole root, read-write).
 */
final class Accounts implements AutoCloseable {
    /** A logged-in user, and the part of the tree they see as {@code /}. */
    record Account(String name, boolean canWrite, Jail jail) {}

    /** A named user: a bcrypt hash (from --users) or a password (from --password-file), and what they may do. */
    record User(String name, Credential credential, Jail home, String homeName, boolean canWrite) {}

    /** How a user's password is checked. */
    sealed interface Credential {
        /** A bcrypt hash from the users file. */
        record Hash(String bcrypt) implements Credential {}

        /** A password read from a file; compared in constant time. */
        record Secret(byte[] password) implements Credential {}
    }

    private final boolean anonymous;
    private final Jail root;
    private final Map<String, User> users = new LinkedHashMap<>();
    private final Passwords passwords; // null when no user has a hash

    Accounts(boolean anonymous, Jail root, List<User> named) {
        this.anonymous = anonymous;
        this.root = root;
        for (var user : named) {
            if (users.putIfAbsent(user.name(), user) != null) {
                throw new IllegalArgumentException("user " + user.name() + " is defined twice");
            }
        }
        boolean hashes = named.stream().anyMatch(u -> u.credential() instanceof Credential.Hash);
        this.passwords = hashes ? new Passwords() : null;
    }

    static boolean isAnonymousName(String name) {
        var lower = name.toLowerCase(Locale.ROOT);
        return lower.equals("anonymous") || lower.equals("ftp");
    }

    boolean anonymousAllowed() {
        return anonymous;
    }

    boolean hasUsers() {
        return !users.isEmpty();
    }

    /** The anonymous account, if {@code name} is an anonymous one and anonymous logins are on. */
    Optional<Account> anonymous(String name) {
        return anonymous && isAnonymousName(name) ? Optional.of(new Account("anonymous", false, root)) : Optional.empty();
    }

    /**
     * The account these credentials open, if any. A named user's password is checked whatever the
     * anonymous setting; an unknown name costs as much time as a known one with a wrong password.
     */
    Optional<Account> login(String name, String pass) throws InterruptedException {
        var given = pass.getBytes(StandardCharsets.UTF_8);
        var user = users.get(name);
        if (user != null) {
            return matches(user.credential(), given) ? Optional.of(new Account(name, user.canWrite(), user.home())) : Optional.empty();
        }
        var anonymousAccount = anonymous(name);
        if (anonymousAccount.isPresent()) {
            return anonymousAccount;
        }
        if (passwords != null) {
            passwords.decoy(given);
        }
        return Optional.empty();
    }

    private boolean matches(Credential credential, byte[] given) throws InterruptedException {
        return switch (credential) {
            case Credential.Hash hash -> passwords.matches(given, hash.bcrypt());
            // Constant-time, so response timing does not reveal how much of a guess was right.
            case Credential.Secret secret -> MessageDigest.isEqual(given, secret.password());
        };
    }

    /** For the start-up line: {@code anonymous read-only, 3 users (bob read-write in /incoming, ...)}. */
    String describe() {
        var anon = anonymous ? "anonymous read-only" : "no anonymous login";
        if (users.isEmpty()) {
            return anon;
        }
        var shown = users.values().stream().limit(3)
                .map(u -> u.name() + (u.canWrite() ? " read-write" : " read-only") + " in " + u.homeName()).toList();
        return anon + ", " + users.size() + (users.size() == 1 ? " user (" : " users (") + String.join(", ", shown)
                + (users.size() > 3 ? ", ..." : "") + ")";
    }

    @Override
    public void close() {
        if (passwords != null) {
            passwords.close();
        }
    }
}
