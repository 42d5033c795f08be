#!/usr/bin/env python3
"""What one session costs, phase by phase: SESSIONS sessions one after another, each connecting,
logging in anonymously, fetching PATH through PASV and quitting, with the time of each phase.

Usage: phases.py HOST PORT SESSIONS [PATH]
Prints one line: the median microseconds of each phase, in order
  connect+greeting  USER+PASS  PASV  TYPE+RETR-to-150  150-to-226(data)  QUIT  whole
after a warm-up of a tenth of the sessions (at least 5). Sequential sessions show the server's
own latency per step, which the 200-at-once round hides behind the client's threads.
"""
import socket
import statistics
import sys
import time

host, port, sessions = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
path = sys.argv[4] if len(sys.argv) > 4 else "small.bin"


class Control:
    def __init__(self):
        self.sock = socket.create_connection((host, port), timeout=15)
        self.file = self.sock.makefile("rb")

    def reply(self):
        line = self.file.readline().decode()
        if len(line) > 3 and line[3] == "-":
            end = line[:3] + " "
            while not line.startswith(end):
                line = self.file.readline().decode()
        return line

    def send(self, command):
        self.sock.sendall(command.encode() + b"\r\n")
        return self.reply()


def session():
    marks = [time.perf_counter()]
    c = Control()
    c.reply()
    marks.append(time.perf_counter())
    c.send("USER anonymous")
    c.send("PASS bench@")
    marks.append(time.perf_counter())
    pasv = c.send("PASV")
    numbers = pasv[pasv.index("(") + 1:pasv.index(")")].split(",")
    data = socket.create_connection((".".join(numbers[:4]), int(numbers[4]) * 256 + int(numbers[5])), timeout=15)
    marks.append(time.perf_counter())
    c.send("TYPE I")
    opening = c.send("RETR " + path)
    assert opening[:3] in ("125", "150"), opening
    marks.append(time.perf_counter())
    while data.recv(1 << 16):
        pass
    data.close()
    done = c.reply()
    assert done.startswith("226"), done
    marks.append(time.perf_counter())
    c.send("QUIT")
    c.sock.close()
    marks.append(time.perf_counter())
    return [b - a for a, b in zip(marks, marks[1:])] + [marks[-1] - marks[0]]


for _ in range(max(5, sessions // 10)):
    session()
phases = [session() for _ in range(sessions)]
print(" ".join(f"{statistics.median(p[i] for p in phases) * 1e6:.0f}" for i in range(len(phases[0]))))
