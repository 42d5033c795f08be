#!/usr/bin/env bash
# Crawls a generated local site of PAGES pages (default 2000), each served after DELAY_MS
# (default 10 ms), with our crawler at several concurrencies and with wget --recursive, in the
# same run, and prints pages per second for each.
#
#   crawler/bench/run.sh [PAGES] [DELAY_MS]
#
# Needs wget (apt-get install wget) for the comparison; without it only our figures are printed.
set -euo pipefail
pages=${1:-2000}
delay=${2:-10}
. "$(dirname "$(readlink -f "$0")")/../../crawler/bench/site.sh"

"$root/bin/build" -q -pl crawler -am package -DskipTests >/dev/null
start_site "$pages" "$delay"
start_url="http://127.0.0.1:$port/"
expected=$((pages + 1)) # the pages and the index

now() { date +%s.%N; }
report() { # NAME COUNT START END
  awk -v name="$1" -v n="$2" -v s="$3" -v e="$4" \
    'BEGIN { t = e - s; printf "%-28s %6d pages %7.2f s %8.1f pages/s\n", name, n, t, n / t }'
}

echo "site: $pages pages + index, ${delay} ms per response, at $start_url"
"$JAVA_HOME/bin/java" -jar "$root/crawler/target/crawler.jar" -depth=0 "$start_url" >/dev/null 2>&1 # warm the page cache

crawl() { # NAME CONCURRENCY [JVM OPTIONS...]
  local name=$1 c=$2
  shift 2
  s=$(now)
  "$JAVA_HOME/bin/java" "$@" -jar "$root/crawler/target/crawler.jar" -depth=inf --same-host --concurrency "$c" "$start_url" \
    >"$tmp/crawler.txt" 2>"$tmp/crawler.err"
  e=$(now)
  n=$(wc -l <"$tmp/crawler.txt")
  [ "$n" -eq "$expected" ] || echo "$name found $n URLs, expected $expected" >&2
  report "$name" "$n" "$s" "$e"
}
for c in 1 20 100; do
  crawl "crawler --concurrency $c" "$c"
done
# The same with only the C1 JIT: on a short run on few cores, C2 compiling competes with the crawl.
crawl "crawler -c 20, C1 only" 20 -XX:TieredStopAtLevel=1

if command -v wget >/dev/null 2>&1; then
  s=$(now)
  wget --recursive --level=inf --no-parent -e robots=off -q -P "$tmp/wget" "$start_url" || true
  e=$(now)
  n=$(find "$tmp/wget" -type f | wc -l)
  [ "$n" -eq "$expected" ] || echo "wget saved $n files, expected $expected" >&2
  report "wget --recursive" "$n" "$s" "$e"
else
  echo "wget not installed (apt-get install wget): no comparison" >&2
fi
