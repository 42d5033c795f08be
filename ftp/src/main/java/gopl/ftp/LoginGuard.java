package gopl.ftp;

import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Slows password guessing per client, across all of its connections. A client's passwords are
 * checked one at a time, and each failure holds the next check back for the delay times the
 * client's recent failures (at most {@link #MAX_PAUSE}). Opening more connections does not help:
 * they queue for the same turn, and a client that hangs up during the pause still waits it out.
 * Failures are forgotten {@link #FORGET_AFTER} after the last one, or when a named user logs in:
 * an anonymous login (anyone may make one) forgives nothing.
 */
final class LoginGuard {
    static final Duration MAX_PAUSE = Duration.ofMinutes(1);
    static final Duration FORGET_AFTER = Duration.ofMinutes(15);
    /** A check that would wait longer than this is refused at once: the client's queue is long. */
    static final Duration MAX_WAIT = Duration.ofMinutes(2);
    private static final int REMEMBERED = 10_000; // clients, beyond those logging in right now

    /** Checks a name and a password (a bcrypt check waits for a checker thread). */
    @FunctionalInterface
    interface Check {
        Optional<Accounts.Account> run() throws InterruptedException;
    }

    /** How a login attempt ended. */
    sealed interface Outcome {
        record LoggedIn(Accounts.Account account) implements Outcome {}

        /** Wrong password; {@code failures} is the client's recent failures, this one included. */
        record Failed(int failures) implements Outcome {}

        /** Refused unchecked: the client has too many attempts waiting. */
        record Refused() implements Outcome {}
    }

    private static final class Client {
        final ReentrantLock turn = new ReentrantLock(true);
        int failures; // guarded by turn
        long lastFailure; // guarded by turn

        boolean idle() {
            return !turn.isLocked() && !turn.hasQueuedThreads();
        }
    }

    private final Duration delay;
    private final Map<InetAddress, Client> clients = new LinkedHashMap<>(16, 0.75f, true); // guarded by itself

    LoginGuard(Duration delay) {
        this.delay = delay;
    }

    /** Runs {@code check} in the client's turn; a failure pauses before the turn passes on. */
    Outcome attempt(InetAddress address, Check check) throws InterruptedException {
        var client = client(PerClient.key(address));
        if (!client.turn.tryLock(MAX_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            return new Outcome.Refused();
        }
        try {
            long now = System.nanoTime();
            if (client.failures > 0 && now - client.lastFailure > FORGET_AFTER.toNanos()) {
                client.failures = 0;
            }
            var account = check.run();
            if (account.isPresent()) {
                if (!account.get().name().equals("anonymous")) {
                    client.failures = 0; // a password's owner
                }
                return new Outcome.LoggedIn(account.get());
            }
            client.failures++;
            client.lastFailure = now;
            Thread.sleep(pause(client.failures));
            return new Outcome.Failed(client.failures);
        } finally {
            client.turn.unlock();
        }
    }

    /** The pause after a client's {@code failures}-th recent failure. */
    Duration pause(int failures) {
        var pause = delay.multipliedBy(failures);
        return pause.compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause;
    }

    private Client client(InetAddress key) {
        synchronized (clients) {
            var client = clients.computeIfAbsent(key, k -> new Client());
            if (clients.size() > REMEMBERED) {
                forgetIdle(key);
            }
            return client;
        }
    }

    /** Drops the least recently seen clients with no attempt under way, down to the limit; never {@code keep}. */
    private void forgetIdle(InetAddress keep) {
        for (var it = clients.entrySet().iterator(); it.hasNext() && clients.size() > REMEMBERED; ) {
            var entry = it.next();
            if (!entry.getKey().equals(keep) && entry.getValue().idle()) {
                it.remove();
            }
        }
    }
}
