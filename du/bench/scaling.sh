#!/usr/bin/env bash
# How far two cores can take any du on this tree: the kernel's own scaling limit, measured.
#
#   du/bench/scaling.sh TREE          (RUNS=N rounds, default 5; TREE from gentree.py or run.sh)
#
# Times, interleaved round by round (bench/interleave.py), on the same warm tree:
#   - GNU du -sk on the whole tree (one thread: issue 20's yardstick);
#   - two GNU du -sk at once, each on half of TREE's top-level directories (every other one):
#     the same stat and getdents work split over both cores with nothing shared in user space,
#     so its wall time is the least any two-thread walk of this tree can take on this machine;
#   - ours, -sk, with one walker and with the default two (bin/du, JVM start-up included);
#   - ours on an empty directory: what start-up alone costs, before and beside the walk.
# The CPU column is user + system time of the command and its children.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
tree=$(cd "${1:?usage: scaling.sh TREE}" && pwd)
runs=${RUNS:-5}
ours="$root/bin/du"
options="-XX:+UseSerialGC -XX:TieredStopAtLevel=1" # bin/du's own
empty=$(mktemp -d "${TMPDIR:-/tmp}/du-scaling.XXXXXX")
trap 'rmdir "$empty"' EXIT

even=() odd=() i=0
for dir in "$tree"/*/; do
  if [ $((i++ % 2)) -eq 0 ]; then even+=("${dir%/}"); else odd+=("${dir%/}"); fi
done
[ ${#odd[@]} -gt 0 ] || { echo "scaling.sh: $tree needs two or more top-level directories" >&2; exit 1; }
echo "== halves: ${#even[@]} and ${#odd[@]} top-level directories;" \
  "$(du -s --inodes "${even[@]}" | awk '{n += $1} END {print n}') and" \
  "$(du -s --inodes "${odd[@]}" | awk '{n += $1} END {print n}') entries" >&2
# A fresh class-data archive made by a walk, as run.sh makes it (see there); this also warms the cache.
rm -f "$root/du/target/du.jsa"
"$ours" -sk "$tree" >/dev/null
"$ours" --version >&2

load() { cut -d' ' -f1-3 /proc/loadavg; }
echo "== machine: $(nproc) cores, $(uname -r); load average before: $(load)" >&2
python3 "$here/interleave.py" "$runs" \
  "scaling@@du -sk TREE@@du -sk $tree" \
  "scaling@@du -sk HALF1 & du -sk HALF2 (at once)@@du -sk ${even[*]} & du -sk ${odd[*]}; wait" \
  "scaling@@bin/du -sk EMPTY (start-up only)@@$ours -sk $empty" \
  "scaling@@bin/du -sk TREE, one walker@@GOPL_JAVA_OPTS='$options -Dgopl.du.walkers=1' $ours -sk $tree" \
  "scaling@@bin/du -sk TREE@@$ours -sk $tree"
echo >&2
echo "== load average after: $(load)" >&2
