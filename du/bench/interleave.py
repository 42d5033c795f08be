#!/usr/bin/env python3
"""Times commands round-robin: one run of each per round, so that a shared machine's changing load
falls on all of them alike and their ratios stay fair (hyperfine runs each command's runs in a
block). Prints one Markdown table per group: median and minimum wall time, median CPU time (user +
system, the command and its children), peak resident memory, and wall time relative to the group's
last command ("ours").

Usage: interleave.py ROUNDS GROUP@@LABEL@@COMMAND...
       (COMMAND runs under sh -c, so it may be a pipeline; its output is discarded)
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time

rounds = int(sys.argv[1])
specs = [arg.split("@@", 2) for arg in sys.argv[2:]]
walls = {i: [] for i in range(len(specs))}
cpus = {i: [] for i in range(len(specs))}
rss = {i: 0 for i in range(len(specs))}


# Linux carries a process's peak RSS across exec, so a command forked from this Python process
# reports at least Python's own (about 14 MiB). GNU time, forked from here, forks the command from
# its own small image and reports that child's peak alone.
GNU_TIME = os.path.exists("/usr/bin/time")  # Debian package: time
peak_file = tempfile.NamedTemporaryFile(prefix="interleave-rss-", delete=False).name


def run(command):
    """Wall seconds, CPU seconds (wait4's accounting) and peak RSS (KiB) of one run."""
    argv = ["sh", "-c", command]
    if GNU_TIME:
        argv = ["/usr/bin/time", "-f", "%M", "-o", peak_file] + argv
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        sys.exit(f"interleave.py: '{command}' failed (status {status})")
    peak = usage.ru_maxrss
    if GNU_TIME:
        with open(peak_file) as f:
            peak = int(f.read().split()[-1])
    return wall, usage.ru_utime + usage.ru_stime, peak


for _, _, command in specs:  # one warm-up each
    run(command)
for _ in range(rounds):
    for i, (_, _, command) in enumerate(specs):
        wall, cpu, peak = run(command)
        walls[i].append(wall)
        cpus[i].append(cpu)
        rss[i] = max(rss[i], peak)

os.unlink(peak_file)
groups = []
for group, _, _ in specs:
    if group not in groups:
        groups.append(group)
for group in groups:
    members = [i for i, spec in enumerate(specs) if spec[0] == group]
    ours = statistics.median(walls[members[-1]])
    print(f"\n**{group}** ({rounds} interleaved rounds)\n")
    print("| Command | Median wall [s] | Min wall [s] | Median CPU [s] | Peak RSS [MiB] | Wall vs ours |")
    print("|:---|---:|---:|---:|---:|---:|")
    for i in members:
        wall = statistics.median(walls[i])
        print(f"| `{specs[i][1]}` | {wall:.3f} | {min(walls[i]):.3f} | {statistics.median(cpus[i]):.3f} "
              f"| {rss[i] / 1024:.1f} | {wall / ours:.2f}× |")
