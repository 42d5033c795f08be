#!/usr/bin/env python3
"""Times commands round-robin: one run of each per round, so that a shared machine's changing load
falls on all of them alike and their ratio stays fair (hyperfine runs each command's runs in a
block). Prints a Markdown table of whole-process wall time and CPU time (user + system).

Usage: interleave.py ROUNDS COMMAND...     (each COMMAND one shell-quoted string; the last is "ours")
"""
import resource
import shlex
import statistics
import subprocess
import sys
import time

rounds = int(sys.argv[1])
commands = sys.argv[2:]
walls = {c: [] for c in commands}
cpus = {c: [] for c in commands}


def cpu_of_children():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


for command in commands:  # one warm-up each
    subprocess.run(shlex.split(command), stdout=subprocess.DEVNULL, check=True)
for _ in range(rounds):
    for command in commands:
        cpu = cpu_of_children()
        start = time.perf_counter()
        subprocess.run(shlex.split(command), stdout=subprocess.DEVNULL, check=True)
        walls[command].append(time.perf_counter() - start)
        cpus[command].append(cpu_of_children() - cpu)

ours = statistics.median(walls[commands[-1]])
print(f"| Command ({rounds} interleaved rounds) | Median wall [s] | Min wall [s] | Median CPU [s] | Wall vs ours |")
print("|:---|---:|---:|---:|---:|")
for command in commands:
    wall = statistics.median(walls[command])
    print(f"| `{command}` | {wall:.3f} | {min(walls[command]):.3f} | {statistics.median(cpus[command]):.3f} "
          f"| {wall / ours:.2f}× |")
