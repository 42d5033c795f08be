#!/usr/bin/env bash
# mirror against `wget --mirror --convert-links --page-requisites` on the same generated local
# site, in the same run: wall time of each, and whether both saved the same set of files.
#
#   mirror/bench/run.sh [PAGES] [DELAY_MS]     default 2000 pages, every response delayed 10 ms
#
# mirror runs as users run it, through bin/mirror. Environment: RUNS (runs of each tool, default 3;
# the medians are compared), CONCURRENCY (mirror's --concurrency, default 20), KEEP=1 to keep the
# two mirrors (the path is printed).
# Needs wget (apt-get install wget).
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
pages=${1:-2000}
delay=${2:-10}
runs=${RUNS:-3}
concurrency=${CONCURRENCY:-20}
. "$root/bin/lib/jdk.sh"
gopl_find_jdk
if ! command -v wget >/dev/null; then
  echo "bench: needs wget (apt-get install wget)" >&2
  exit 1
fi
"$root/bin/mirror" --version >/dev/null # builds the jar if it is missing or stale

tmp=$(mktemp -d)
site=""
cleanup() {
  local status=$?
  if [ -n "$site" ]; then kill "$site" 2>/dev/null; wait "$site" 2>/dev/null || true; fi
  if [ "${KEEP:-0}" = 1 ]; then echo "mirrors kept in $tmp"; else rm -rf "$tmp"; fi
  exit "$status"
}
trap cleanup EXIT

"$JAVA_HOME/bin/java" "$root/mirror/bench/Site.java" "$pages" "$delay" >"$tmp/port" 2>"$tmp/site.log" &
site=$!
for _ in $(seq 100); do [ -s "$tmp/port" ] && break; sleep 0.1; done
port=$(head -n1 "$tmp/port")
url="http://127.0.0.1:$port/"
echo "site: $url, $pages pages, ${delay} ms per response; $(nproc) CPUs; $(wget --version | head -n1)"

now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# Runs "$@" in a fresh directory $tmp/$1 and prints its wall time in seconds.
timed() {
  local name=$1
  shift
  rm -rf "${tmp:?}/$name"
  mkdir -p "$tmp/$name"
  local start end
  start=$(now)
  (cd "$tmp/$name" && "$@") >"$tmp/$name.log" 2>&1 || true
  end=$(now)
  echo "$end - $start" | bc
}

mirror_times=()
wget_times=()
for i in $(seq "$runs"); do
  mirror_times+=("$(timed mirror "$root/bin/mirror" --concurrency "$concurrency" "$url")")
  wget_times+=("$(timed wget wget -q --mirror --convert-links --page-requisites "$url")")
  echo "run $i: mirror ${mirror_times[-1]}s, wget ${wget_times[-1]}s"
done
m=$(printf '%s\n' "${mirror_times[@]}" | median)
w=$(printf '%s\n' "${wget_times[@]}" | median)

(cd "$tmp/mirror" && find . -type f | sort) >"$tmp/mirror.files"
(cd "$tmp/wget" && find . -type f | sort) >"$tmp/wget.files"
files=$(wc -l <"$tmp/mirror.files")
absolute() { grep -rho "href=\"http://127.0.0.1:$port[^\"]*\"" "$tmp/$1" | wc -l; }

echo
printf '%-8s %8s %7s %26s\n' tool "median s" files "links left to the site"
printf '%-8s %8.2f %7d %26d\n' mirror "$m" "$files" "$(absolute mirror)"
printf '%-8s %8.2f %7d %26d\n' wget "$w" "$(wc -l <"$tmp/wget.files")" "$(absolute wget)"
tail -n1 "$tmp/mirror.log"
printf 'speedup: %.1fx (wget median / mirror median, %d runs each)\n' "$(echo "$w / $m" | bc -l)" "$runs"
if diff -q "$tmp/mirror.files" "$tmp/wget.files" >/dev/null; then
  echo "same files: yes ($files)"
else
  echo "same files: NO"
  diff "$tmp/mirror.files" "$tmp/wget.files" | head -20
  exit 1
fi
