#!/usr/bin/env bash
# Runs each attack of mirror/bench/HostileSite.java against the mirror and crawler jars, and
# prints one table row per attack: exit status, wall time, requests the site served (by first path
# segment), peak RSS, and files written outside the output directory.
#
#   mirror/bench/security.sh                               the jars of this tree
#   MIRROR_JAR=old/mirror.jar CRAWLER_JAR=old/crawler.jar mirror/bench/security.sh   an older build
#
# Each run is cut off after LIMIT seconds (default 60: exit 124). The JVM runs as bin/mirror runs it
# (C1 only, serial GC), with the machine's default heap unless a row says otherwise. ONLY=name
# runs the rows whose name contains it.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
. "$root/bin/lib/jdk.sh"
gopl_find_jdk
mirror_jar=${MIRROR_JAR:-$root/mirror/target/mirror.jar}
crawler_jar=${CRAWLER_JAR:-$root/crawler/target/crawler.jar}
limit=${LIMIT:-60}
for jar in "$mirror_jar" "$crawler_jar"; do
  [ -f "$jar" ] || { echo "security: no $jar (bin/build -q -pl crawler,mirror -am package -DskipTests)" >&2; exit 1; }
done

tmp=$(mktemp -d)
site=""
stop_site() {
  if [ -n "$site" ]; then kill "$site" 2>/dev/null; wait "$site" 2>/dev/null || true; site=""; fi
}
trap 'stop_site; rm -rf "$tmp"' EXIT

start_site() { # ROBOTS
  stop_site
  : >"$tmp/port"
  "$JAVA_HOME/bin/java" "$root/mirror/bench/HostileSite.java" "$1" >"$tmp/port" 2>"$tmp/site.log" &
  site=$!
  for _ in $(seq 200); do [ -s "$tmp/port" ] && break; sleep 0.1; done
  url="http://127.0.0.1:$(head -n1 "$tmp/port")"
}

# attack NAME TOOL ROBOTS PATH [ARG...]; JVM="-Xmx512m" attack ... adds JVM options.
attack() {
  local name=$1 tool=$2 robots=$3 path=$4
  shift 4
  if [ -n "${ONLY:-}" ] && [[ "$tool $name" != *"$ONLY"* ]]; then return; fi
  start_site "$robots"
  rm -rf "$tmp/out" "$tmp/elsewhere"
  mkdir -p "$tmp/out" "$tmp/elsewhere"
  local host="$tmp/out/${url#http://}"
  if [ "$name" = planted-symlink ]; then mkdir -p "$host/sym" && ln -s "$tmp/elsewhere" "$host/sym/img"; fi
  local jar=$mirror_jar args=(-o "$tmp/out")
  if [ "$tool" = crawler ]; then jar=$crawler_jar args=(); fi
  local status=0
  # shellcheck disable=SC2086 # JVM is a list of options
  /usr/bin/time -f "%e %M" -o "$tmp/time" timeout "$limit" "$JAVA_HOME/bin/java" -XX:TieredStopAtLevel=1 \
    -XX:+UseSerialGC ${JVM:-} -jar "$jar" "${args[@]}" "$@" "$url$path" >"$tmp/stdout" 2>"$tmp/stderr" || status=$?
  local secs rss
  read -r secs rss < <(tail -n1 "$tmp/time")
  local served outside note
  served=$(curl -s "$url/_stats" | tr -d '{}' | sed 's/, /; /g')
  outside=$(find "$tmp/elsewhere" -type f | wc -l)
  note=$(grep -m1 -o -E 'OutOfMemoryError[^"]*|reached the [a-z]+ of [0-9]+|is a symbolic link|robots.txt: [^;]*|only its first [0-9]+ links' "$tmp/stderr" || true)
  [ "$status" = 124 ] && note="cut off after ${limit}s${note:+; $note}"
  printf '| %s %s | %s%s | %s | %s s | %s | %d MiB | %s | %s |\n' "$tool" "$name" "$*" "${JVM:+ (JVM $JVM)}" \
    "$status" "$secs" "$served" $((rss / 1024)) "$outside" "$note"
}

echo "$(uptime); $(nproc) CPUs; $("$JAVA_HOME/bin/java" -version 2>&1 | head -n1)"
echo "mirror: $mirror_jar; crawler: $crawler_jar"
echo
echo '| Attack | Options | Exit | Time | Requests served | Peak RSS | Files outside DIR | Note |'
echo '|---|---|---|---|---|---|---|---|'
attack chain-of-html-images mirror none /chain -depth=1
attack endless-site mirror none /tree/1
attack endless-site mirror none /tree/1 --max-pages 5000
attack quota mirror none /big -Q 300M
attack large-bodies mirror none /big
JVM=-Xmx512m attack large-bodies mirror none /big
attack robots-drip mirror drip /redirect/ --timeout 5s
attack robots-regex mirror regex /regex
attack robots-503 mirror 503 /redirect/
attack css-unclosed-urls mirror none /css/
attack redirect-and-link mirror none /redirect/ -c 1
attack planted-symlink mirror none /sym/
attack endless-404-body mirror none /drip404/ --timeout 10s
attack huge-url mirror none /huge/
attack endless-site crawler none /tree/1 -depth=inf
attack endless-site crawler none /tree/1 -depth=inf --max-pages 5000
attack large-bodies crawler none /big --max-size 64M
JVM=-Xmx512m attack large-bodies crawler none /big --max-size 64M
attack redirect-and-link crawler none /redirect/ -c 1
attack endless-404-body crawler none /drip404/ --timeout 10s
