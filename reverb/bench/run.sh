#!/usr/bin/env bash
# reverb under load: CLIENTS clients at once, each shouting SHOUTS times, then half-closing and
# reading every echo. Reports completed echoes, errors, the server's peak and final RSS, and the
# threads left once every client has gone. Compares with a Go reverb when `go` is installed.
#
#   reverb/bench/run.sh                      # 10,000 clients, 3 shouts each, 1s apart
#   CLIENTS=2000 SHOUTS=5 reverb/bench/run.sh
#   SERVER_OPTS=-Xmx256m SAMPLE_AFTER=0 ROUNDS=1 reverb/bench/run.sh
#
# Needs a JDK 25 (found as bin/build finds it), and at least CLIENTS+100 open files per process.
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
root=$(cd "$here/../.." && pwd)
CLIENTS=${CLIENTS:-10000}
SHOUTS=${SHOUTS:-3}
GAP_MS=${GAP_MS:-1000}
DELAY=${DELAY:-1s}
SAMPLE_AFTER=${SAMPLE_AFTER:-4}   # seconds into the load to count reverb's threads; 0: never
SERVER_OPTS=${SERVER_OPTS:-}      # JVM options for reverb, e.g. -Xmx256m
ROUNDS=${ROUNDS:-2}               # rounds of clients per server: the first finds the JVM cold
. "$root/bin/lib/jdk.sh"
gopl_find_jdk
java=$JAVA_HOME/bin/java
jar=$root/reverb/target/reverb.jar
work=$(mktemp -d)
trap 'kill "${server:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt $((CLIENTS + 100)) ]; then
  echo "run.sh: $CLIENTS clients need $((CLIENTS + 100)) open files; ulimit -n is $(ulimit -n)" >&2
  exit 1
fi
if [ ! -f "$jar" ]; then
  "$root/bin/build" -q -pl reverb -am package -DskipTests >&2
fi

status() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
mib() { echo $(( ($1 + 1023) / 1024 )); }

# Threads of a JVM from a thread dump, which lists virtual threads too: "virtual platform
# handlers echoes", the last two being threads still running reverb's handle or echo.
jvm_threads() {
  "$JAVA_HOME/bin/jcmd" "$1" Thread.dump_to_file -overwrite -format=text "$work/dump.txt" >/dev/null
  awk -v RS= '
    /^#[0-9]+ / { if ($0 ~ /^#[0-9]+ "[^"]*" virtual/) v++; else p++ }
    /gopl\.reverb\.ReverbServer\.handle/ { h++ }
    /gopl\.reverb\.ReverbServer\.echo/ { e++ }
    END { print v + 0, p + 0, h + 0, e + 0 }' "$work/dump.txt"
}

wait_for_port() {
  local log=$1 port=""
  for _ in $(seq 300); do
    port=$(sed -n 's/.*listening on localhost:\([0-9]*\).*/\1/p' "$log" | head -n1)
    [ -n "$port" ] && { echo "$port"; return; }
    sleep 0.1
  done
  echo "run.sh: the server did not start; its log:" >&2; cat "$log" >&2; exit 1
}

# Runs the clients against port $1; for the Java server ($2), counts its threads mid-load.
run_load() {
  "$java" -XX:+UseSerialGC "$here/Shouters.java" "$1" "$CLIENTS" "$SHOUTS" "$GAP_MS" > "$work/load.txt" &
  local load=$!
  if [ -n "${2:-}" ] && [ "$SAMPLE_AFTER" != 0 ]; then
    sleep "$SAMPLE_AFTER"
    read -r _ _ h e < <(jvm_threads "$2")
    echo "    during (${SAMPLE_AFTER}s in): $h connection handlers, $e echoes running"
  fi
  wait "$load"
  sed 's/^/    /' "$work/load.txt"
}

value() { sed -n "s/^$1=//p" "$work/load.txt"; }

echo "== $CLIENTS clients x $SHOUTS shouts, ${GAP_MS}ms apart, echo delay $DELAY"
echo "-- Java reverb (virtual threads), $("$java" -version 2>&1 | head -n1) ${SERVER_OPTS}"
"$java" $SERVER_OPTS -jar "$jar" -port 0 -delay "$DELAY" -idle 60s --max-per-ip 0 2> "$work/java.log" &
server=$!
port=$(wait_for_port "$work/java.log")
sleep 1
read -r v0 p0 _ _ < <(jvm_threads "$server")
echo "  before: rss=$(mib "$(status "$server" VmRSS)")MiB os_threads=$(status "$server" Threads) virtual=$v0 platform=$p0"
for round in $(seq "$ROUNDS"); do
  echo "  round $round:"
  run_load "$port" "$server"
done
sleep 2 # let the last connections close
read -r v1 p1 h1 e1 < <(jvm_threads "$server")
peak=$(mib "$(status "$server" VmHWM)")
echo "  after:  rss=$(mib "$(status "$server" VmRSS)")MiB peak_rss=${peak}MiB os_threads=$(status "$server" Threads) virtual=$v1 platform=$p1"
echo "  leaked threads: $h1 connection handlers, $e1 echoes (JVM threads $((v0 + p0)) -> $((v1 + p1)): pollers and carriers start on demand)"
echo "  server log: $(grep -c ' connected$' "$work/java.log") connected, $(grep -c ' left after' "$work/java.log") left, $(grep -cE 'WARN|ERROR|Exception' "$work/java.log" || true) warnings"
java_echoes=$(value echoes); java_peak=$peak
kill "$server"; wait "$server" 2>/dev/null || true; server=

if command -v go >/dev/null 2>&1; then
  echo "-- Go reverb (goroutines, bench/reverb.go), $(go version | cut -d' ' -f3)"
  (cd "$work" && cp "$here/reverb.go" . && GO111MODULE=off go build -o reverb-go reverb.go)
  "$work/reverb-go" -port 0 -delay "$DELAY" -idle 60s 2> "$work/go.log" &
  server=$!
  port=$(wait_for_port "$work/go.log")
  sleep 1
  echo "  before: rss=$(mib "$(status "$server" VmRSS)")MiB os_threads=$(status "$server" Threads)"
  for round in $(seq "$ROUNDS"); do
    echo "  round $round:"
    run_load "$port"
  done
  sleep 2
  peak=$(mib "$(status "$server" VmHWM)")
  echo "  after:  rss=$(mib "$(status "$server" VmRSS)")MiB peak_rss=${peak}MiB os_threads=$(status "$server" Threads)"
  echo "  peak RSS, Java/Go: $(awk -v j="$java_peak" -v g="$peak" 'BEGIN { printf "%.1f", j / g }')x; last round's echoes: Java $java_echoes, Go $(value echoes)"
  kill "$server"; wait "$server" 2>/dev/null || true; server=
else
  echo "-- Go not installed: no baseline"
fi
