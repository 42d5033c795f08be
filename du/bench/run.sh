#!/usr/bin/env bash
# Benchmark: our du against GNU du, ncdu and gdu on a generated tree of about 500,000 files in
# 30,000 directories, warm cache, whole-process wall time (JVM start-up included), all commands
# interleaved round by round in one run, in three groups:
#   totals       du -sk, ncdu -0 -o /dev/null, gdu -n -p -s, and ours -sk
#   one level    du -d1, gdu -n -p (its top-level listing), and ours -d1
#   every entry  du -a | tail -1, ncdu -o - and gdu -o - (every entry, as JSON), and ours -a | tail -1
#
#   du/bench/run.sh [FILES [DIRS]]        (defaults: 500000 30000)
#
# Needs python3 (to generate the tree and time the runs), GNU du, ncdu and gdu (apt-get install
# ncdu gdu), and GNU time (/usr/bin/time, package time) for the peak RSS column: without it that
# column is at least python's own RSS. The tree goes in a temporary directory under ${TMPDIR:-/tmp}
# and is removed afterwards; BENCH_TREE=DIR measures an existing tree instead (kept). RUNS=N sets
# the rounds.
#
# Ours runs twice in each group: as a checkout runs it (bin/du, the dev launcher, with its class-data
# archive) and as an install runs it (gopl-du from the release archive, with its AOT cache: what a
# user who installed the tools types). The installed one is the unpacked archive under dist/target
# (bin/dist, or bin/build verify, makes it), or GOPL_DU=PATH; without either, its rows are left out.
# The installed one runs twice more, forced onto its FFM system calls (-Dgopl.du.native=ffm) instead
# of its JNI library, just before its JNI rows: "× ours" of an FFM row is then FFM / JNI.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
files=${1:-500000}
dirs=${2:-30000}
runs=${RUNS:-10}

for tool in python3 du ncdu gdu; do
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

# bin/du builds the jar if needed; it also sets du's JVM options (see bin/du). Its class-data
# archive (target/du.jsa) is written at the end of the first run after a build and then kept: made
# by a --version run it would hold a few classes, and every timed run would load and verify the
# walk's 180 others (picocli's, du's) from the jar, about 60 ms of CPU each. So the first run here
# is a walk, the first check below.
ours="$root/bin/du"
rm -f "$root/du/target/du.jsa"
installed=${GOPL_DU:-$(ls -d "$root"/dist/target/gopl-tools-*-linux-x64/bin/gopl-du 2>/dev/null | head -n1)}
[ -n "$installed" ] && [ ! -x "$installed" ] && { echo "run.sh: $installed is not executable" >&2; exit 1; }

echo "== checking that the output agrees with GNU du's" >&2
for candidate in "$ours" ${installed:+"$installed"}; do
  for options in -sk -sb -d1 -a; do
    if ! cmp -s <(du $options "$tree") <("$candidate" $options "$tree"); then
      echo "run.sh: du $options and $candidate differ on $tree" >&2
      exit 1
    fi
    echo "   du $options: same $(du $options "$tree" | wc -l) lines from $candidate" >&2
  done
  "$candidate" --version >&2
done

load() { cut -d' ' -f1-3 /proc/loadavg; }
echo "== machine: $(nproc) cores, $(uname -r); load average before: $(load)" >&2
t=$tree
rows=()
if [ -n "$installed" ]; then
  ffm="GOPL_JAVA_OPTS=-Dgopl.du.native=ffm"
  rows=(
    "totals (du -s)@@gopl-du -sk TREE (installed, FFM)@@$ffm $installed -sk $t"
    "totals (du -s)@@gopl-du -sk TREE (installed)@@$installed -sk $t"
    "one level (du -d1)@@gopl-du -d1 TREE (installed, FFM)@@$ffm $installed -d1 $t"
    "one level (du -d1)@@gopl-du -d1 TREE (installed)@@$installed -d1 $t"
    "every entry (du -a)@@gopl-du -a TREE \\| tail -1 (installed, FFM)@@$ffm $installed -a $t | tail -1"
    "every entry (du -a)@@gopl-du -a TREE \\| tail -1 (installed)@@$installed -a $t | tail -1"
  )
fi
python3 "$here/interleave.py" "$runs" \
  "totals (du -s)@@du -sk TREE@@du -sk $t" \
  "totals (du -s)@@ncdu -0 -o /dev/null TREE@@ncdu -0 -o /dev/null $t" \
  "totals (du -s)@@gdu -n -p -s --no-prefix TREE@@gdu -n -p -s --no-prefix $t" \
  "totals (du -s)@@bin/du -sk TREE@@$ours -sk $t" \
  "one level (du -d1)@@du -d1 TREE@@du -d1 $t" \
  "one level (du -d1)@@gdu -n -p --no-prefix TREE@@gdu -n -p --no-prefix $t" \
  "one level (du -d1)@@bin/du -d1 TREE@@$ours -d1 $t" \
  "every entry (du -a)@@du -a TREE \\| tail -1@@du -a $t | tail -1" \
  "every entry (du -a)@@ncdu -0 -o - TREE \\| tail -c1@@ncdu -0 -o - $t | tail -c1" \
  "every entry (du -a)@@gdu -n -p -o - TREE \\| tail -c1@@gdu -n -p -o - $t | tail -c1" \
  "every entry (du -a)@@bin/du -o - TREE \\| tail -c1@@$ours -o - $t | tail -c1" \
  "every entry (du -a)@@bin/du -a TREE \\| tail -1@@$ours -a $t | tail -1" \
  ${rows[@]+"${rows[@]}"}
echo >&2
echo "== load average after: $(load)" >&2
