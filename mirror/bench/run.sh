#!/usr/bin/env bash
# mirror against `wget --mirror` on the same generated local site, in the same run. Three rows:
#   delay   the site of bench/Site.java (JDK HttpServer), every response delayed DELAY_MS: wall time
#           of `bin/mirror` and `wget --mirror --convert-links --page-requisites`, and whether both
#           saved the same set of files;
#   static  the same site as static files behind Go's http.FileServer (bench/static.go), no delay:
#           wall time and CPU (user + sys) per file of `mirror --wait 0` (default per-host cap)
#           and `wget --mirror --convert-links --page-requisites --no-parent`;
#   rerun   each tool run again over its own static-site mirror, nothing changed: wall time,
#           requests and bytes the server sent and received.
#
#   mirror/bench/run.sh [PAGES] [DELAY_MS]     default 2000 pages, every response delayed 10 ms
#
# mirror runs as users run it: through bin/mirror (a checkout's launcher, with its class-data
# archive), and in the static and rerun rows also as an install runs it, gopl-mirror from the
# release archive (with its AOT cache): the unpacked archive under dist/target (bin/dist, or
# bin/build verify, makes it), or GOPL_MIRROR=PATH; without either, its rows are left out.
# Environment: RUNS (runs of each tool, default 3; the medians are compared), CONCURRENCY
# (mirror's --concurrency in the delay row, default 20), ROWS (default "delay static rerun"),
# KEEP=1 to keep the mirrors (the path is printed).
#
# Each run writes into a new directory, and no mirror is deleted before the end: on a file system
# without a journal (as / is here), ext4 skips inodes freed in the last minute or so when it
# allocates one, so creating 2,200 files just after deleting a mirror took wget 2.4 to 3.7 s of
# system time instead of 0.4 s (perf: find_inode_bit, recently_deleted). The same holds for the
# mirrors this script deletes when it ends (then syncs): leave a few minutes between two
# invocations (100 s was not always enough here), or the second measures the first one's deletions.
# Needs wget, curl and go (apt-get install wget curl golang).
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
pages=${1:-2000}
delay=${2:-10}
runs=${RUNS:-3}
concurrency=${CONCURRENCY:-20}
. "$root/bin/lib/jdk.sh"
gopl_find_jdk
rows=${ROWS:-delay static rerun}
for tool in wget curl go; do
  if ! command -v "$tool" >/dev/null; then
    echo "bench: needs $tool (apt-get install wget curl golang)" >&2
    exit 1
  fi
done
"$root/bin/mirror" --version >/dev/null # builds the jar if it is missing or stale
installed=${GOPL_MIRROR:-$(ls -d "$root"/dist/target/gopl-tools-*-linux-x64/bin/gopl-mirror 2>/dev/null | head -n1)}
if [ -n "$installed" ] && [ ! -x "$installed" ]; then
  echo "bench: $installed is not executable" >&2
  exit 1
fi

tmp=$(mktemp -d)
site=""
static=""
cleanup() {
  local status=$?
  for server in $site $static; do kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true; done
  if [ "${KEEP:-0}" = 1 ]; then echo "mirrors kept in $tmp"; else rm -rf "$tmp" && sync; fi
  exit "$status"
}
trap cleanup EXIT

echo "$pages pages; $(nproc) CPUs; load: $(uptime | sed 's/.*load average: //'); $(wget --version | head -n1)"
now() { date +%s.%N; }
# Empties $tmp/$1 for a fresh run without deleting anything: the old one is moved aside (see above).
fresh_dir() {
  [ -e "$tmp/$1" ] && mv "$tmp/$1" "$(mktemp -u "$tmp/old.XXXXXX")"
  mkdir -p "$tmp/$1"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# Runs "$@" in a fresh directory $tmp/$1 and prints its wall time in seconds.
timed() {
  local name=$1
  shift
  fresh_dir "$name"
  local start end
  start=$(now)
  (cd "$tmp/$name" && "$@") >"$tmp/$name.log" 2>&1 || true
  end=$(now)
  echo "$end - $start" | bc
}

delay_row() {
"$JAVA_HOME/bin/java" "$root/mirror/bench/Site.java" "$pages" "$delay" >"$tmp/port" 2>"$tmp/site.log" &
site=$!
for _ in $(seq 100); do [ -s "$tmp/port" ] && break; sleep 0.1; done
port=$(head -n1 "$tmp/port")
url="http://127.0.0.1:$port/"
echo
echo "== delay: $url, ${delay} ms per response"
mirror_times=()
wget_times=()
for i in $(seq "$runs"); do
  mirror_times+=("$(timed mirror "$root/bin/mirror" --concurrency "$concurrency" "$url")")
  wget_times+=("$(timed wget wget -q --mirror --convert-links --page-requisites "$url")")
  echo "run $i: mirror ${mirror_times[-1]}s, wget ${wget_times[-1]}s"
done
m=$(printf '%s\n' "${mirror_times[@]}" | median)
w=$(printf '%s\n' "${wget_times[@]}" | median)

(cd "$tmp/mirror" && find . -type f ! -path "./.mirror/*" | sort) >"$tmp/mirror.files"
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
kill "$site"; wait "$site" 2>/dev/null || true; site=""
}

# Runs "$@" in $tmp/$1 (emptied first if $2 is "fresh") against the static server and prints
# "WALL USER SYS REQUESTS SENT RECEIVED": seconds, then what the server counted during the run.
measured() {
  local name=$1 fresh=$2
  shift 2
  if [ "$fresh" = fresh ]; then fresh_dir "$name"; fi
  local r0 s0 x0 r1 s1 x1
  read -r r0 s0 x0 < <(curl -s "$stats")
  (cd "$tmp/$name" && /usr/bin/time -f '%e %U %S' -o "$tmp/$name.time" "$@") >"$tmp/$name.log" 2>&1 || true
  read -r r1 s1 x1 < <(curl -s "$stats")
  echo "$(tail -n1 "$tmp/$name.time") $((r1 - r0)) $((s1 - s0)) $((x1 - x0))"
}

start_static() {
  go build -o "$tmp/static" "$root/mirror/bench/static.go"
  mkdir -p "$tmp/www"
  "$tmp/static" "$tmp/www" >"$tmp/static.port" 2>"$tmp/static.log" &
  static=$!
  for _ in $(seq 100); do [ -s "$tmp/static.port" ] && break; sleep 0.1; done
  read -r sport statsport <"$tmp/static.port"
  "$JAVA_HOME/bin/java" "$root/mirror/bench/Site.java" "$pages" 0 --write "$tmp/www" "$sport"
  surl="http://127.0.0.1:$sport/"
  stats="http://127.0.0.1:$statsport/"
  # bin/mirror keeps a class-data archive (target/mirror.jsa), written at the end of a run when it
  # is missing. JDK 25 does not rewrite one left from an older jar (it only warns, silenced), nor
  # one written by the `--version` above (a few classes), so: a fresh one from a whole untimed
  # run, as a user's second run would have.
  rm -f "$root/mirror/target/mirror.jsa"
  (fresh_dir warm-up && cd "$tmp/warm-up" && "$root/bin/mirror" -q --wait 0 "$surl") || true
}

# Prints a row: tool, median wall, median CPU (user + sys), CPU per file in ms, files.
static_row() {
  local tool=$1 files=$2
  shift 2
  local wall cpu
  wall=$(printf '%s\n' "$@" | awk '{print $1}' | median)
  cpu=$(printf '%s\n' "$@" | awk '{print $2 + $3}' | median)
  printf '%-11s %8.2f %8.2f %14.2f %7d\n' "$tool" "$wall" "$cpu" "$(echo "$cpu * 1000 / $files" | bc -l)" "$files"
  echo "$wall $cpu" >"$tmp/${tool#*/}.static"
}

static_rows() {
  echo
  echo "== static: $surl (Go http.FileServer, no delay)"
  local m=() n=() w=()
  for i in $(seq "$runs"); do
    m+=("$(measured mirror-static fresh "$root/bin/mirror" --wait 0 "$surl")")
    [ -z "$installed" ] || n+=("$(measured installed-static fresh "$installed" --wait 0 "$surl")")
    w+=("$(measured wget-static fresh wget -q --mirror --convert-links --page-requisites --no-parent "$surl")")
    echo "run $i: bin/mirror ${m[-1]% * * *}${installed:+, gopl-mirror ${n[-1]% * * *}}, wget ${w[-1]% * * *} (wall user sys)"
  done
  local mf wf
  mf=$(cd "$tmp/mirror-static" && find . -type f ! -path './.mirror/*' | wc -l)
  wf=$(cd "$tmp/wget-static" && find . -type f | wc -l)
  printf '%-11s %8s %8s %14s %7s\n' tool "wall s" "CPU s" "CPU ms / file" files
  static_row bin/mirror "$mf" "${m[@]}"
  [ -z "$installed" ] || static_row gopl-mirror "$(cd "$tmp/installed-static" && find . -type f ! -path './.mirror/*' | wc -l)" "${n[@]}"
  static_row wget "$wf" "${w[@]}"
  local ww wc tool
  read -r ww wc <"$tmp/wget.static"
  for tool in bin/mirror ${installed:+gopl-mirror}; do
    read -r mw mc <"$tmp/${tool#*/}.static"
    printf '%s / wget: wall %.2fx (goal <= 1.0x), CPU per file %.2fx (goal <= 2x)\n' "$tool" \
      "$(echo "$mw / $ww" | bc -l)" "$(echo "($mc / $mf) / ($wc / $wf)" | bc -l)"
  done
  tail -n1 "$tmp/mirror-static.log"
}

# Prints a rerun row from a measured line: tool, run, wall, CPU, requests, bytes.
rerun_row() {
  local wall user sys req sent recv
  read -r wall user sys req sent recv <<<"$3"
  printf '%-11s %-6s %8.2f %8.2f %9d %12d %12d\n' "$1" "$2" "$wall" "$(echo "$user + $sys" | bc -l)" "$req" "$sent" "$recv"
}

# Each tool once into an empty directory, then again over its mirror of the unchanged static site.
rerun_rows() {
  echo
  echo "== rerun: each tool again over its own mirror of $surl, nothing changed"
  local mirror_first mirror_again installed_first installed_again wget_first wget_again
  mirror_first=$(measured mirror-static fresh "$root/bin/mirror" --wait 0 "$surl")
  mirror_again=$(measured mirror-static keep "$root/bin/mirror" --wait 0 "$surl")
  tail -n1 "$tmp/mirror-static.log"
  if [ -n "$installed" ]; then
    installed_first=$(measured installed-static fresh "$installed" --wait 0 "$surl")
    installed_again=$(measured installed-static keep "$installed" --wait 0 "$surl")
  fi
  wget_first=$(measured wget-static fresh wget -q --mirror --convert-links --page-requisites --no-parent "$surl")
  wget_again=$(measured wget-static keep wget -q --mirror --convert-links --page-requisites --no-parent "$surl")
  printf '%-11s %-6s %8s %8s %9s %12s %12s\n' tool run "wall s" "CPU s" requests "bytes sent" "bytes recv"
  rerun_row bin/mirror first "$mirror_first"
  rerun_row bin/mirror again "$mirror_again"
  if [ -n "$installed" ]; then
    rerun_row gopl-mirror first "$installed_first"
    rerun_row gopl-mirror again "$installed_again"
  fi
  rerun_row wget first "$wget_first"
  rerun_row wget again "$wget_again"
}

for row in $rows; do
  case $row in
    delay) delay_row ;;
    static) [ -n "$static" ] || start_static; static_rows ;;
    rerun) [ -n "$static" ] || start_static; rerun_rows ;;
    *) echo "bench: unknown row $row (delay, static, rerun)" >&2; exit 2 ;;
  esac
done
