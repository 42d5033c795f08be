#!/usr/bin/env python3
"""Issue 13's attacks on a build of the ftp server, measured: run it on two jars to compare.

Usage: ftp/bench/attacks.py [JAR] [ATTACK...]
JAR defaults to ftp/target/ftp.jar (build it with bin/build -pl ftp -am package). ATTACKS are
names from the table below (all by default). Each attack starts its own server on a free
loopback port with the options it names (every one of them exists in the oldest build too) and
prints one line: the attack, then what it got. Needs python3 only; uses 127.0.0.2 as a second
client address (any Linux loopback has it). JAVA_HOME, or the JDK 25 bin/lib/jdk.sh finds.
"""
import ftplib
import io
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
USER, PASSWORD = "bob", "s3cret"


def java():
    if os.environ.get("JAVA_HOME"):
        return os.path.join(os.environ["JAVA_HOME"], "bin", "java")
    home = subprocess.run(["bash", "-c", '. "$0/bin/lib/jdk.sh" && gopl_find_jdk && echo "$JAVA_HOME"', REPO],
                          capture_output=True, text=True, check=True).stdout.strip()
    return os.path.join(home, "bin", "java")


class Server:
    """The jar serving a new temporary directory (.root) on a free port of 127.0.0.1, with a write
    account; killed, and its directory removed, on exit."""

    def __init__(self, jar, *options, env=None):
        self.root = tempfile.mkdtemp(prefix="ftp-attack-root-")
        os.chmod(self.root, 0o755)
        self.log = tempfile.NamedTemporaryFile(prefix="ftp-attack-", suffix=".log", delete=False)
        args = [java(), "-jar", jar, "-port", "0", "--host", "127.0.0.1", "-root", self.root,
                "--user", USER, "--password", PASSWORD, *options]
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=self.log,
                                        env=dict(os.environ, **(env or {})))
        deadline = time.time() + 30
        while time.time() < deadline:
            m = re.search(r"on 127\.0\.0\.1:(\d+)", open(self.log.name).read())
            if m:
                self.port = int(m.group(1))
                return
            time.sleep(0.05)
        raise RuntimeError("server did not start: " + open(self.log.name).read())

    def cpu_seconds(self):
        """User plus system CPU time the server used so far."""
        fields = open(f"/proc/{self.process.pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.process.kill()
        self.process.wait()
        os.unlink(self.log.name)
        shutil.rmtree(self.root)

    def file(self, name, content=b""):
        """Writes a file in the shared directory; returns its path."""
        path = os.path.join(self.root, name)
        with open(path, "wb") as f:
            f.write(content)
        return path


def control(port, source="127.0.0.1", timeout=15):
    """A raw control connection from SOURCE: (socket, file to read replies from), greeting read."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout, source_address=(source, 0))
    f = s.makefile("rb")
    return s, f, reply(f)


def reply(f):
    """One whole reply, multi-line ones joined; '' at end of stream."""
    first = f.readline().decode("utf-8", "replace")
    if len(first) < 4 or first[3] != "-":
        return first.rstrip("\r\n")
    lines = [first]
    while True:
        line = f.readline().decode("utf-8", "replace")
        lines.append(line)
        if not line or line.startswith(first[:3] + " "):
            return "".join(lines).rstrip("\r\n")


def send(s, f, line):
    s.sendall((line + "\r\n").encode("utf-8"))
    return reply(f)


def login(s, f, user="anonymous", password="x"):
    send(s, f, "USER " + user)
    return send(s, f, "PASS " + password)


def client(server, user="anonymous", password="x"):
    """An ftplib client of SERVER, logged in, each read waiting at most 15 s."""
    ftp = ftplib.FTP(timeout=15, encoding="utf-8")
    ftp.connect("127.0.0.1", server.port)
    ftp.login(user, password)
    return ftp


def watch(limit, step, closed):
    """Calls closed() every STEP seconds until it says True, for at most LIMIT seconds; says how long that took."""
    start = time.time()
    while time.time() - start < limit:
        if closed():
            return f"closed after {time.time() - start:.0f} s"
        time.sleep(step)
    return f"still open after {limit} s"


def glob_bomb(jar):
    """4 sessions send STAT, 40 stars and a #, over and over; then a normal client (its second visit) lists and downloads."""
    with Server(jar) as server:
        server.file("a" * 40, b"a")
        server.file("file.bin", os.urandom(100_000))
        stop = threading.Event()
        sockets = []
        answered = []

        def bomb():
            try:
                s, f, _ = control(server.port, timeout=60)
                sockets.append(s)
                login(s, f)
                while not stop.is_set() and send(s, f, "STAT " + "*" * 40 + "#"):
                    answered.append(1)
            except OSError:
                pass

        def visit():
            ftp = client(server)
            ftp.nlst()
            ftp.retrbinary("RETR file.bin", lambda b: None)
            ftp.quit()

        visit()  # a warm-up: what is timed below is the attack, not the JIT
        threads = [threading.Thread(target=bomb, daemon=True) for _ in range(4)]
        cpu = server.cpu_seconds()
        for t in threads:
            t.start()
        time.sleep(1)
        start = time.time()
        try:
            visit()
            visited = f"listed and downloaded in {time.time() - start:.3f} s"
        except (OSError, EOFError, ftplib.Error) as e:
            visited = f"no answer in {time.time() - start:.0f} s ({type(e).__name__})"
        used = server.cpu_seconds() - cpu
        window = time.time() - start + 1
        stop.set()
        for s in sockets:
            s.close()
        return f"normal client {visited}; {len(answered)} bombs answered; server CPU {used:.1f} s in {window:.1f} s"


def sessions_per_address(jar):
    """50 connections from 127.0.0.1, then one from 127.0.0.2."""
    with Server(jar) as server:
        held = [control(server.port) for _ in range(50)]
        greeted = sum(1 for _, _, g in held if g.startswith("220"))
        _, _, other = control(server.port, "127.0.0.2")
        for s, _, _ in held:
            s.close()
    return f"127.0.0.1 got {greeted} of 50 sessions; 127.0.0.2 then got '{other[:3]}'"


def noop_without_login(jar):
    """NOOP every 5 s without logging in, watched for 75 s."""
    with Server(jar) as server:
        s, f, _ = control(server.port, timeout=80)

        def refused():
            try:
                return not send(s, f, "NOOP").startswith("200")
            except OSError:
                return True

        result = watch(75, 5, refused)
        s.close()
    return result


def password_guessing(jar):
    """50 connections from one address guess bob's password for 10 s (default --delay-failed-login)."""
    with Server(jar) as server:
        checked = []
        stop = time.time() + 10

        def guess(i):
            try:
                s, f, g = control(server.port, timeout=12)
                n = 0
                while g.startswith("220") and time.time() < stop:
                    send(s, f, "USER " + USER)
                    r = send(s, f, f"PASS guess-{i}-{n}")
                    n += 1
                    if r.startswith("530") or r.startswith("421 Too many failed"):
                        if time.time() <= stop:
                            checked.append(r)
                    if not r.startswith("530"):
                        break
                s.close()
            except OSError:
                pass

        threads = [threading.Thread(target=guess, args=(i,), daemon=True) for i in range(50)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(15)
    return f"{len(checked)} wrong passwords answered in 10 s ({len(checked) / 10:.1f} a second)"


def passive_hold(jar):
    """PASV and never connect: how long the port keeps listening, watched for 45 s."""
    with Server(jar) as server:
        s, f, _ = control(server.port, timeout=60)
        login(s, f)
        m = re.search(r"\((\d+),(\d+),(\d+),(\d+),(\d+),(\d+)\)", send(s, f, "PASV"))
        port = int(m.group(5)) * 256 + int(m.group(6))

        def not_listening():
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.3).close()
            except ConnectionRefusedError:
                return True
            except OSError:
                pass  # accept queue full of probes: still listening
            return False

        result = watch(45, 0.5, not_listening)
        s.close()
    return "passive port " + result


def passive_exhaustion(jar):
    """--passive-ports of 10 ports: 10 sessions from 127.0.0.1 each PASV; then 127.0.0.2 tries."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    first = min(probe.getsockname()[1], 65526)
    probe.close()
    with Server(jar, "--passive-ports", f"{first}-{first + 9}") as server:
        held = []
        got = 0
        for _ in range(10):
            s, f, g = control(server.port)
            if g.startswith("220"):
                login(s, f)
                got += send(s, f, "PASV").startswith("227")
            held.append(s)
        s, f, _ = control(server.port, "127.0.0.2")
        login(s, f)
        other = send(s, f, "PASV")[:3]
        for h in held + [s]:
            h.close()
    return f"127.0.0.1 took {got} of 10 passive ports; 127.0.0.2's PASV then got {other}"


class Swapper(threading.Thread):
    """Swaps a file for a symbolic link to TARGET and back (one rename each way), until stopped."""

    def __init__(self, path, target):
        super().__init__(daemon=True)
        self.path, self.target, self.stop = path, target, threading.Event()
        os.link(path, path + ".real")

    def run(self):
        nxt = self.path + ".next"
        while not self.stop.is_set():
            for make in (lambda: os.symlink(self.target, nxt), lambda: os.link(self.path + ".real", nxt)):
                try:
                    make()
                    os.rename(nxt, self.path)
                except OSError:
                    pass


def symlink_races(jar):
    """A local user swaps pub.txt for a link to a secret outside while clients RETR, APPE and SITE CHMOD it 1000 times each."""
    outside = tempfile.mkdtemp(prefix="ftp-attack-outside-")
    secret = os.path.join(outside, "secret.txt")
    open(secret, "w").write("top secret")
    os.chmod(secret, 0o600)
    with Server(jar) as server:
        swapper = Swapper(server.file("pub.txt", b"public"), secret)
        swapper.start()
        ftp = client(server, USER, PASSWORD)
        leaked = appended = chmodded = 0
        for _ in range(1000):
            data = []
            try:
                ftp.retrbinary("RETR pub.txt", data.append)
            except ftplib.error_perm:
                pass
            leaked += b"".join(data) == b"top secret"
        for _ in range(1000):
            before = os.path.getsize(secret)
            try:
                ftp.storbinary("APPE pub.txt", io.BytesIO(b"x"))
            except ftplib.error_perm:
                pass
            appended += os.path.getsize(secret) > before
        for _ in range(1000):
            try:
                ftp.sendcmd("SITE CHMOD 644 pub.txt")
            except ftplib.error_perm:
                pass
            if os.stat(secret).st_mode & 0o777 != 0o600:
                chmodded += 1
                os.chmod(secret, 0o600)
        swapper.stop.set()
        swapper.join()
        ftp.close()
    shutil.rmtree(outside)
    return f"secret read {leaked}, appended to {appended}, chmodded {chmodded} times (of 1000 each)"


def locale_digits(jar):
    """The server's locale is ar-EG: what PASV says."""
    with Server(jar, env={"JAVA_TOOL_OPTIONS": "-Duser.language=ar -Duser.country=EG"}) as server:
        s, f, _ = control(server.port)
        login(s, f)
        pasv = send(s, f, "PASV")
        s.close()
    return f"PASV replied {pasv!r}" + ("" if pasv.isascii() else " (no client can parse it)")


def terminal_escapes(jar):
    """A write account uploads a file named with ESC and BEL; an anonymous LIST, raw."""
    evil = "evil\x1b]0;owned\x07\x1b[2J.txt"
    with Server(jar) as server:
        ftp = client(server, USER, PASSWORD)
        ftp.storbinary("STOR " + evil, io.BytesIO(b"x"))
        ftp.quit()
        ftp = client(server)
        lines = []
        ftp.retrlines("LIST", lines.append)
        ftp.quit()
    listing = "\n".join(lines)
    return f"LIST carried {listing.count(chr(27))} ESC and {listing.count(chr(7))} BEL bytes"


def drip(jar):
    """--idle-timeout 5s: a command line dripped one byte a second, never ended, watched for 30 s."""
    with Server(jar, "--idle-timeout", "5s") as server:
        s, f, _ = control(server.port, timeout=40)
        login(s, f)
        s.settimeout(1)

        def hung_up():
            try:
                s.sendall(b"x")
                s.recv(200)  # the server's 421, or the end of the stream
                return True
            except socket.timeout:
                return False  # still reading our line: one more byte
            except OSError:
                return True

        result = watch(30, 0, hung_up)
        s.close()
    return result


def huge_directory(jar):
    """LIST of a directory of 100,000 files."""
    with Server(jar) as server:
        os.mkdir(os.path.join(server.root, "big"))
        for i in range(100_000):
            server.file(f"big/f{i:06d}")
        ftp = client(server)
        lines = []
        start = time.time()
        done = ftp.retrlines("LIST big", lines.append)
        took = time.time() - start
        ftp.quit()
    return f"{len(lines)} lines in {took:.2f} s, then '{done}'"


ATTACKS = {f.__name__: f for f in (glob_bomb, sessions_per_address, noop_without_login, password_guessing, passive_hold,
                                    passive_exhaustion, symlink_races, locale_digits, terminal_escapes, drip, huge_directory)}


def main():
    args = sys.argv[1:]
    jar = args.pop(0) if args and args[0].endswith(".jar") else os.path.join(REPO, "ftp", "target", "ftp.jar")
    for name in args or ATTACKS:
        try:
            result = ATTACKS[name](jar)
        except Exception as e:  # one attack's failure must not hide the others' results
            result = f"failed to run: {type(e).__name__}: {e}"
        print(f"{name:22} {result}", flush=True)


if __name__ == "__main__":
    main()
