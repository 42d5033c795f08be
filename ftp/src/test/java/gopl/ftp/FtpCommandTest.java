package gopl.ftp;

import static org.assertj.core.api.Assertions.assertThat;

import gopl.common.Cli;
import gopl.common.testing.Certificates;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FtpCommandTest {
    @TempDir
    Path tmp;

    record Run(int status, String out, String err) {}

    private static Run run(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int status = Cli.run(new FtpCommand(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "-port 70000 | port 70000 is out of range",
        "--user bob | --user needs --password-file",
        "--user anonymous --password-file pw | --user: anonymous is the anonymous login",
        "--password pw | --password is gone (ps shows it to every user of the machine): use --password-file or --users",
        "--user bob --password pw | --password is gone",
        "--password-file pw | --password-file needs --user",
        "--no-anonymous | --no-anonymous needs --users or --user",
        "--tls-cert c.pem | --tls-cert needs --tls-key",
        "--tls-key k.pem | --tls-key needs --tls-cert",
        "--tls-cert c.pem --tls-key k.pem --keystore s.p12 | use either --tls-cert and --tls-key, or --keystore",
        "--require-tls | --require-tls needs --tls-cert and --tls-key, or --keystore",
        "--implicit-tls-port 990 | --implicit-tls-port needs --tls-cert and --tls-key, or --keystore",
        "--passive-ports 3000-2000 | is not a port range",
        "--passive-ports abc | is not a port range",
        "--idle-timeout soon | is not a duration",
        "--data-timeout 0 | --data-timeout must be more than 0",
        "--max-sessions 0 | --max-sessions must be at least 1",
        "--max-per-ip 0 | --max-per-ip must be at least 1",
        "--max-login-fails 0 | --max-login-fails must be at least 1",
        "--max-list-entries 0 | --max-list-entries must be at least 1",
        "--login-timeout 0 | --login-timeout must be more than 0",
        "--accept-timeout 0 | --accept-timeout must be more than 0",
        "--delay-failed-login soon | is not a duration",
        "--public-address ::1 | is not an IPv4 address",
        "--bogus | Unknown option",
        "extra | Unmatched argument",
    })
    void usageErrorsAreOneLineAndExitTwo(String args, String message) {
        var run = run(args.split(" "));
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).startsWith("ftp: ").contains(message).hasLineCount(1);
    }

    @Test
    void aMissingRootOrPasswordFileIsARuntimeFailure() {
        var run = run("--root", tmp.resolve("missing").toString());
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("ftp: cannot share " + tmp.resolve("missing") + ": no such directory\n");
        run = run("--root", tmp.toString(), "--user", "bob", "--password-file", tmp.resolve("pw").toString());
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).startsWith("ftp: cannot read password file").hasLineCount(1);
    }

    @Test
    void badCertificatesAndKeysAreOneLineRuntimeFailures() throws Exception {
        var ec = Certificates.selfSigned(tmp, "ec", "EC");
        var rsa = Certificates.selfSigned(tmp, "rsa", "RSA");
        var missing = tmp.resolve("missing.pem");
        String[][] cases = {
            {"--tls-cert", missing.toString(), "--tls-key", ec.key().toString()},
            {"--tls-cert", ec.certificate().toString(), "--tls-key", missing.toString()},
            {"--tls-cert", ec.certificate().toString(), "--tls-key", rsa.key().toString()},
            {"--tls-cert", ec.key().toString(), "--tls-key", ec.key().toString()},
            {"--keystore", missing.toString()},
        };
        String[] messages = {
            "ftp: cannot read certificate " + missing + ": no such file",
            "ftp: cannot read private key " + missing + ": no such file",
            "ftp: " + rsa.key() + " is not the key of the certificate in " + ec.certificate(),
            "ftp: " + ec.key() + " has no PEM certificate",
            "ftp: cannot read keystore " + missing + ": no such file",
        };
        for (int i = 0; i < cases.length; i++) {
            var args = new java.util.ArrayList<>(List.of("--root", tmp.toString()));
            args.addAll(List.of(cases[i]));
            var run = run(args.toArray(String[]::new));
            assertThat(run.status()).as(messages[i]).isEqualTo(1);
            assertThat(run.err()).startsWith(messages[i]).hasLineCount(1);
        }
    }

    @Test
    void aKeystoreWithItsPasswordFromAFile() throws Exception {
        var store = Certificates.keystore(tmp, "store", "EC", "store-pass");
        Files.writeString(tmp.resolve("store-pw"), "store-pass\n");
        var command = new FtpCommand();
        Cli.commandLine(command, System.out, System.err).parseArgs("--root", tmp.toString(), "--keystore", store.toString(),
                "--keystore-password-file", tmp.resolve("store-pw").toString(), "--require-tls");
        var settings = command.settings();
        assertThat(settings.tls().required()).isTrue();
        assertThat(settings.tls().reuseRequired()).isTrue();
        Files.writeString(tmp.resolve("store-pw"), "wrong\n");
        var run = run("--root", tmp.toString(), "--keystore", store.toString(), "--keystore-password-file", tmp.resolve("store-pw").toString());
        assertThat(run.err()).isEqualTo("ftp: " + store + ": wrong keystore password\n");
    }

    @Test
    void bookAndGnuSpellingsGiveTheSameSettings() throws Exception {
        Files.writeString(tmp.resolve("pw"), "from-file\nignored\n");
        var go = new FtpCommand();
        picocli.CommandLine cli = Cli.commandLine(go, System.out, System.err);
        cli.parseArgs("-port", "2121", "-root", tmp.toString(), "-user", "bob", "-password-file", tmp.resolve("pw").toString());
        var settings = go.settings();
        assertThat(settings.accounts().login("bob", "from-file")).isPresent();
        assertThat(settings.jail().root()).isEqualTo(tmp.toRealPath());

        var gnu = new FtpCommand();
        Cli.commandLine(gnu, System.out, System.err).parseArgs("--port=2121", "--root=" + tmp, "--passive-ports=30000-30100",
                "--idle-timeout=1m30s", "--public-address=127.0.0.1");
        settings = gnu.settings();
        assertThat(settings.passivePorts()).isEqualTo(new DataConnection.Ports(30000, 30100));
        assertThat(settings.limits().idleTimeout()).hasSeconds(90);
        assertThat(settings.publicAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(settings.accounts().login("anonymous", "x")).isPresent();

        var limits = new FtpCommand();
        Cli.commandLine(limits, System.out, System.err).parseArgs("-root", tmp.toString(), "-max-per-ip", "4",
                "--login-timeout=20s", "-delay-failed-login", "2s", "--max-login-fails=5", "-accept-timeout=1m",
                "--max-list-entries", "500");
        assertThat(limits.settings().limits()).isEqualTo(new FtpServer.Limits(1000, 4, Duration.ofMinutes(5),
                Duration.ofSeconds(20), Duration.ofMinutes(1), Duration.ofMinutes(1),
                Duration.ofSeconds(2), 5, 500, Duration.ofMinutes(5)));

        // The spellings the other servers' LimitOptions use.
        var common = new FtpCommand();
        Cli.commandLine(common, System.out, System.err).parseArgs("-root", tmp.toString(), "--max-connections", "50",
                "--write-timeout=30s", "--idle-timeout", "0");
        assertThat(common.settings().limits().maxSessions()).isEqualTo(50);
        assertThat(common.settings().limits().writeTimeout()).hasSeconds(30);
        var noIdle = new FtpCommand();
        Cli.commandLine(noIdle, System.out, System.err).parseArgs("-root", tmp.toString(), "--idle-timeout", "0");
        assertThat(noIdle.settings().limits().writeTimeout()).hasMinutes(5);
    }

    @Test
    void helpListsTheOptions() {
        var run = run("--help");
        assertThat(run.status()).isZero();
        assertThat(run.out()).contains("-port, --port", "--root", "--user", "--no-anonymous", "--passive-ports",
                "--public-address", "--idle-timeout", "--max-per-ip", "--login-timeout", "--delay-failed-login",
                "--max-login-fails", "--accept-timeout", "--max-list-entries", "--version");
    }
}
