#!/usr/bin/env python3
"""Generates a benchmark tree: about FILES files in DIRS directories under ROOT.

Deterministic (fixed seed). Directories nest four levels deep; file sizes are mostly small (as in
a source tree) with a few larger ones, plus some hard links, symlinks and sparse files, so that
du has real work on every code path.
Usage: gentree.py ROOT [FILES] [DIRS]
"""
import os
import random
import sys

root = sys.argv[1]
files = int(sys.argv[2]) if len(sys.argv) > 2 else 500_000
dirs = int(sys.argv[3]) if len(sys.argv) > 3 else 30_000
rng = random.Random(8)

# Fan-out per level so that the four levels hold about `dirs` directories in all.
fan = max(2, round(dirs ** 0.25))
paths = []
frontier = [root]
while len(paths) < dirs:
    parent = frontier.pop(0)
    for i in range(fan):
        if len(paths) >= dirs:
            break
        path = os.path.join(parent, f"d{i:02}")
        paths.append(path)
        frontier.append(path)
for path in paths:
    os.makedirs(path, exist_ok=True)

blob = os.urandom(64 * 1024)
made = []
for n in range(files):
    directory = paths[n % len(paths)]
    name = os.path.join(directory, f"f{n}.txt")
    kind = rng.random()
    if kind < 0.01 and made:
        os.link(rng.choice(made), name)
    elif kind < 0.02:
        os.symlink(f"../f{n}.txt", name)
    elif kind < 0.025:
        with open(name, "wb") as f:
            f.truncate(rng.randrange(1, 64) * 1024 * 1024)  # sparse
    else:
        size = int(rng.expovariate(1 / 3000)) if rng.random() < 0.97 else rng.randrange(64 * 1024)
        with open(name, "wb") as f:
            f.write(blob[: min(size, len(blob))])
        made.append(name)
print(f"{files} files in {len(paths)} directories under {root}", file=sys.stderr)
