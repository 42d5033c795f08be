#!/usr/bin/env bash
# Benchmark: our du against GNU du -sk and gdu on a generated tree of about 500,000 files in
# 30,000 directories, warm cache, whole-process wall time (JVM start-up included), in one run.
#
#   du/bench/run.sh [FILES [DIRS]]        (defaults: 500000 30000)
#
# Needs python3 (to generate the tree and time the runs), GNU du and gdu (apt-get install gdu);
# with hyperfine installed (apt-get install hyperfine) it also prints hyperfine's table.
# The tree goes in a temporary directory under ${TMPDIR:-/tmp} and is removed afterwards;
# BENCH_TREE=DIR measures an existing tree instead (kept). RUNS=N sets the runs per command.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
files=${1:-500000}
dirs=${2:-30000}
runs=${RUNS:-10}

for tool in python3 du gdu; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is not installed" >&2; exit 1; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/du-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
if [ -n "${BENCH_TREE:-}" ]; then
  tree=$(cd "$BENCH_TREE" && pwd)
else
  tree=$work/tree
  echo "== generating $files files in $dirs directories under $tree" >&2
  python3 "$here/gentree.py" "$tree" "$files" "$dirs"
fi

# bin/du builds the jar if needed; it also sets du's JVM options (see bin/du).
ours=("$root/bin/du")
"${ours[@]}" --version >&2

echo "== checking that the numbers agree" >&2
for unit in -k -b; do
  gnu=$(du -s "$unit" "$tree")
  got=$("${ours[@]}" "$unit" "$tree")
  if [ "$gnu" != "$got" ]; then
    echo "run.sh: du -s $unit says '$gnu' but ours says '$got'" >&2
    exit 1
  fi
  echo "   du -s $unit: $gnu" >&2
done
echo "   gdu: $(gdu -n -p -s --no-prefix "$tree")" >&2

echo "== machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(uname -r)" >&2
commands=("du -sk $tree" "gdu -n -p -s --no-prefix $tree" "${ours[*]} $tree")
# Round-robin runs, so that a busy machine's load falls on every command alike.
python3 "$here/interleave.py" "$runs" "${commands[@]}" | sed "s|$tree|TREE|g; s|$root/||g"
if command -v hyperfine >/dev/null; then
  echo >&2
  hyperfine --warmup 2 --runs "$runs" --export-markdown "$work/results.md" --style basic "${commands[@]}" >&2
  sed "s|$tree|TREE|g; s|$root/||g" "$work/results.md"
fi
