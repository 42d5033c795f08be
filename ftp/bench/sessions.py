#!/usr/bin/env python3
"""N FTP clients at the same instant, each logging in, fetching one file and quitting.

Usage: sessions.py HOST PORT CLIENTS ROUNDS [PATH]
Prints the median wall time (from the start signal until the last client is done) and the
number of clients that failed or got a wrong byte count (EXPECTED_SIZE), then exits 1 if any did.
A client that hears nothing for 15 s fails: that is what a listen backlog overflow looks like.
"""
import ftplib
import os
import statistics
import sys
import threading
import time

host, port, clients, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
path = sys.argv[5] if len(sys.argv) > 5 else "small.bin"
expected = int(os.environ.get("EXPECTED_SIZE", "-1"))


def session(start, results, i):
    start.wait()
    try:
        ftp = ftplib.FTP(timeout=15)
        ftp.connect(host, port)
        ftp.login()
        size = 0

        def got(block):
            nonlocal size
            size += len(block)

        ftp.retrbinary("RETR " + path, got)
        ftp.quit()
        results[i] = size
    except Exception as e:  # report every kind of failure, keep the others going
        results[i] = e


def one_round():
    start = threading.Barrier(clients + 1)
    results = [None] * clients
    threads = [threading.Thread(target=session, args=(start, results, i)) for i in range(clients)]
    for t in threads:
        t.start()
    start.wait()
    began = time.perf_counter()
    for t in threads:
        t.join()
    took = time.perf_counter() - began
    failures = [r for r in results if not isinstance(r, int) or (expected >= 0 and r != expected)]
    return took, failures


times = []
failed = 0
for r in range(rounds):
    took, failures = one_round()
    times.append(took)
    failed += len(failures)
    print(f"round {r + 1}: {clients} sessions in {took:.3f}s, {len(failures)} failed"
          + (f" (first: {failures[0]!r})" if failures else ""), file=sys.stderr)
print(f"{statistics.median(times):.3f} {failed}")
sys.exit(1 if failed else 0)
