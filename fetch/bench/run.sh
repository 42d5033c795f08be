#!/usr/bin/env bash
# Times fetch --all over URLS URLs (default 2000) of a generated local site whose every response
# is delayed DELAY_MS (default 10 ms; the server is crawler/bench/BenchSite.java), against
# wget -i (one at a time) and curl --parallel --parallel-max 20 (curl 7.66+), in the same run.
#
#   fetch/bench/run.sh [URLS] [DELAY_MS]
#
# wget and curl are optional (apt-get install wget curl); without them only our figures are printed.
set -euo pipefail
count=${1:-2000}
delay=${2:-10}
. "$(dirname "$(readlink -f "$0")")/../../crawler/bench/site.sh"

"$root/bin/build" -q -pl fetch -am package -DskipTests >/dev/null
start_site "$count" "$delay"
for ((i = 0; i < count; i++)); do echo "http://127.0.0.1:$port/p/$i.html"; done >"$tmp/urls.txt"

now() { date +%s.%N; }
report() { # NAME COUNT START END
  awk -v name="$1" -v n="$2" -v s="$3" -v e="$4" \
    'BEGIN { t = e - s; printf "%-30s %6d URLs %7.2f s %8.1f URLs/s\n", name, n, t, n / t }'
}

echo "$count URLs, ${delay} ms per response"
fetch() { # NAME CONCURRENCY JVM-OPTION...
  local name=$1 c=$2
  shift 2
  s=$(now)
  "$JAVA_HOME/bin/java" "$@" -jar "$root/fetch/target/fetch.jar" --all -c "$c" -i "$tmp/urls.txt" >"$tmp/fetch.txt"
  e=$(now)
  report "$name" "$(grep -c 'http://' "$tmp/fetch.txt")" "$s" "$e"
}
for c in 20 100; do
  fetch "fetch --all -c $c" "$c"
done
# The JVM options bin/fetch passes: C1 only (no C2 warm-up competing for the cores) and the serial collector.
fetch "fetch --all -c 20, as bin/fetch" 20 -XX:TieredStopAtLevel=1 -XX:+UseSerialGC
if command -v curl >/dev/null 2>&1; then
  sed 's|.*|url = "&"\noutput = "/dev/null"|' "$tmp/urls.txt" >"$tmp/curl.conf"
  s=$(now)
  curl -s --no-progress-meter --parallel --parallel-max 20 --config "$tmp/curl.conf"
  e=$(now)
  report "curl --parallel-max 20" "$count" "$s" "$e"
fi
if command -v wget >/dev/null 2>&1; then
  s=$(now)
  wget -q -i "$tmp/urls.txt" -O /dev/null
  e=$(now)
  report "wget -i (sequential)" "$count" "$s" "$e"
fi
