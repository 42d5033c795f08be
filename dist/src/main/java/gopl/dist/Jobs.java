package gopl.dist;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One typical job per tool, run through its launcher: at build time it is the training run that
 * makes the tool's AOT cache, and ArchiveIT runs it again from the unpacked archive to prove the
 * tool works there. A one-shot tool runs and its output is checked; a server is started on a free
 * port, a client talks to it over loopback, and SIGTERM stops it.
 */
final class Jobs {
    /** A training run ends with the JVM writing the cache, which takes seconds on a busy machine. */
    private static final long TIMEOUT_SECONDS = 180;

    private final Fixtures fixtures;
    private final Path work;
    private final AtomicInteger runs = new AtomicInteger();

    Jobs(Fixtures fixtures, Path work) {
        this.fixtures = fixtures;
        this.work = work;
    }

    /** Whether the tool has a job here; a tool without one is trained on {@code --help} only. */
    static boolean has(String tool) {
        return List.of("du", "netcat", "fetch", "crawler", "mirror", "mandelbrot", "clockwall", "clock", "reverb",
                "chat", "ftp").contains(tool);
    }

    /** Runs the tool's job (or {@code --help}) with the launcher in this environment; returns its stdout. */
    String run(String tool, Path launcher, Map<String, String> env) throws IOException, InterruptedException {
        return run(tool, launcher, env, false);
    }

    /**
     * The training run: the job, except for netcat, which is trained on {@code -z}: a port check is
     * where its start-up counts (scripts that wait for a server call it in a loop), while a copy
     * runs long enough for class loading not to matter.
     */
    String train(String tool, Path launcher, Map<String, String> env) throws IOException, InterruptedException {
        return run(tool, launcher, env, true);
    }

    private String run(String tool, Path launcher, Map<String, String> env, boolean training)
            throws IOException, InterruptedException {
        var out = work.resolve(tool + "-" + runs.incrementAndGet());
        return switch (tool) {
            case "clock", "reverb", "chat", "ftp" -> serverJob(tool, launcher, env, out);
            default -> oneShotJob(tool, launcher, env, out, training);
        };
    }

    private String oneShotJob(String tool, Path launcher, Map<String, String> env, Path out, boolean training)
            throws IOException, InterruptedException {
        var site = fixtures.site();
        var echo = Integer.toString(fixtures.echoPort());
        return switch (tool) {
            case "du" -> oneShot(launcher, env, "", "\t" + tree(out), "-v", tree(out));
            case "netcat" -> training ? oneShot(launcher, env, "", "", "-z", "127.0.0.1", echo)
                    : oneShot(launcher, env, "hello\n", "hello", "127.0.0.1", echo);
            case "fetch" -> oneShot(launcher, env, "", "<a href=a.html>", site);
            case "crawler" -> oneShot(launcher, env, "", site + "c.txt", "-depth=3", site);
            case "mirror" -> {
                oneShot(launcher, env, "", "", "-P", out.toString(), fixtures.mirrorSite());
                yield expectFile(tool, out.resolve(site.replaceFirst("^http://", "").replace("/", "")).resolve("mirror/p999.html"));
            }
            case "mandelbrot" -> {
                oneShot(launcher, env, "", "", "-o", out + ".png", "--width", "256", "--height", "256");
                yield expectFile(tool, Path.of(out + ".png"));
            }
            case "clockwall" -> oneShot(launcher, env, "", "Here", "-n", "1", "Here=127.0.0.1:" + fixtures.clockPort());
            default -> oneShot(launcher, env, "", "", "--help");
        };
    }

    private String serverJob(String tool, Path launcher, Map<String, String> env, Path out)
            throws IOException, InterruptedException {
        return switch (tool) {
            case "clock" -> server(launcher, env, List.of(), (in, send) -> expect(in.readLine(), "\\d\\d:\\d\\d:\\d\\d.*"));
            case "reverb" -> server(launcher, env, List.of("--delay", "10ms"), (in, send) -> {
                send.print("hello\n");
                send.flush();
                return expect(in.readLine(), "\\s*HELLO") + expect(in.readLine(), "\\s*hello") + expect(in.readLine(), "\\s*hello");
            });
            case "chat" -> server(launcher, env, List.of(), (in, send) -> {
                var welcome = expect(in.readLine(), "Welcome.*");
                send.print("alice\n");
                send.flush();
                var joined = expect(in.readLine(), "You are alice.*");
                send.print("/quit\n");
                send.flush();
                return welcome + joined;
            });
            default -> {
                Files.createDirectories(out);
                Files.writeString(out.resolve("hello.txt"), "hello\n");
                yield server(launcher, env, List.of("-root", out.toString()), (in, send) -> {
                    var log = new StringBuilder(expect(in.readLine(), "220.*"));
                    for (var command : List.of("USER anonymous:331.*", "PASS guest:230.*", "PWD:257.*", "QUIT:221.*")) {
                        var parts = command.split(":", 2);
                        send.print(parts[0] + "\r\n");
                        send.flush();
                        log.append(expect(in.readLine(), parts[1]));
                    }
                    return log.toString();
                });
            }
        };
    }

    private interface Client {
        String talk(BufferedReader in, PrintWriter send) throws IOException;
    }

    private String oneShot(Path launcher, Map<String, String> env, String stdin, String expected, String... args)
            throws IOException, InterruptedException {
        var command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        var run = Run.start(command, env, work, stdin);
        run.finish(TIMEOUT_SECONDS);
        if (run.exitCode() != 0 || !run.stdout().contains(expected)) {
            throw run.failure("expected exit 0 and '" + expected + "' on stdout");
        }
        return run.stdout();
    }

    /** Starts the server on a free port, lets the client talk to it, then stops it with SIGTERM. */
    private String server(Path launcher, Map<String, String> env, List<String> args, Client client)
            throws IOException, InterruptedException {
        int port = Fixtures.freePort();
        var command = new ArrayList<>(List.of(launcher.toString(), "-port", Integer.toString(port)));
        command.addAll(args);
        var run = Run.start(command, env, work, "");
        String transcript;
        try (var socket = connect(port, run)) {
            socket.setSoTimeout(30_000);
            var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            var send = new PrintWriter(socket.getOutputStream(), false, StandardCharsets.UTF_8);
            transcript = client.talk(in, send);
        } catch (IOException | IllegalStateException e) {
            run.process().destroy();
            run.finish(TIMEOUT_SECONDS);
            throw run.failure("the client's exchange failed: " + e.getMessage());
        }
        run.process().destroy();
        run.finish(TIMEOUT_SECONDS);
        if (run.exitCode() != 0 && run.exitCode() != 143) {
            throw run.failure("expected the server to stop cleanly on SIGTERM");
        }
        return transcript;
    }

    /** Connects once the server listens: a bounded poll of the port, given up if the server exits. */
    private static Socket connect(int port, Run run) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                return new Socket(InetAddress.getLoopbackAddress(), port);
            } catch (ConnectException e) {
                if (!run.process().isAlive() || System.nanoTime() > deadline) {
                    run.finish(TIMEOUT_SECONDS);
                    throw run.failure("the server never listened on port " + port);
                }
                Thread.sleep(20);
            }
        }
    }

    private static String expect(String line, String pattern) {
        if (line == null || !line.matches(pattern)) {
            throw new IllegalStateException("expected a line like '" + pattern + "', got " + (line == null ? "end of stream" : "'" + line + "'"));
        }
        return line + "\n";
    }

    private static String expectFile(String tool, Path file) throws IOException {
        if (!Files.isRegularFile(file) || Files.size(file) == 0) {
            throw new IllegalStateException(tool + ": expected it to write " + file);
        }
        return file.toString();
    }

    /** A small tree for du: a few files in a few directories. */
    private static String tree(Path out) throws IOException {
        var tree = out.resolveSibling(out.getFileName() + "-tree");
        if (!Files.exists(tree)) {
            for (int d = 0; d < 3; d++) {
                var dir = Files.createDirectories(tree.resolve("d" + d));
                for (int f = 0; f < 5; f++) {
                    Files.writeString(dir.resolve("f" + f), "x".repeat(100 * f));
                }
            }
        }
        return tree.toString();
    }
}
