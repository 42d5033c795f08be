#!/usr/bin/env bash
# netcat throughput over loopback against OpenBSD nc (and the book's netcat3 in Go, when `go` is
# installed), plus the start-up cost of one short connection. Each figure is the median of RUNS.
#
#   netcat/bench/run.sh                 # 1 GiB per transfer, 3 runs each
#   SIZE_MB=4096 RUNS=5 netcat/bench/run.sh
#
# Needs a JDK 25 (found as bin/build finds it), OpenBSD nc (Debian: netcat-openbsd), GNU time
# and ss (iproute2).
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
root=$(cd "$here/../.." && pwd)
SIZE_MB=${SIZE_MB:-1024}
RUNS=${RUNS:-3}
. "$root/bin/lib/jdk.sh"
gopl_find_jdk
jar=$root/netcat/target/netcat.jar
netcat=("$JAVA_HOME/bin/java" -jar "$jar")
for tool in nc.openbsd /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "run.sh: needs $tool (apt-get install netcat-openbsd time)" >&2; exit 1; }
done
[ -f "$jar" ] || "$root/bin/build" -q -pl netcat -am package -DskipTests >&2
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 20000))
    ss -ltn "sport = :$port" | grep -q LISTEN || { echo "$port"; return; }
  done
}

wait_listening() {
  for _ in $(seq 200); do
    ss -ltn "sport = :$1" | grep -q LISTEN && return
    sleep 0.05
  done
  echo "run.sh: nothing listens on $1" >&2; exit 1
}

# One transfer of SIZE_MB zero bytes: receiver command (with PORT), sender command (with PORT).
# Prints "seconds max_rss_kib" of the side named by $3 (sender or receiver).
transfer() {
  local port; port=$(free_port)
  local receiver=${1//PORT/$port} sender=${2//PORT/$port}
  /usr/bin/time -f "%e %M" -o "$work/receiver.time" bash -c "$receiver > /dev/null < /dev/null" &
  local rpid=$!
  wait_listening "$port"
  head -c $((SIZE_MB << 20)) /dev/zero | /usr/bin/time -f "%e %M" -o "$work/sender.time" bash -c "exec $sender > /dev/null"
  wait "$rpid"
  cat "$work/$3.time"
}

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

measure() { # label receiver sender side
  local times=() rss=()
  for _ in $(seq "$RUNS"); do
    read -r t m < <(transfer "$2" "$3" "$4")
    times+=("$t"); rss+=("$m")
  done
  local t; t=$(printf '%s\n' "${times[@]}" | median)
  local m; m=$(printf '%s\n' "${rss[@]}" | median)
  printf '  %-44s %6.2fs %7.0f MiB/s  max RSS %4d MiB\n' "$1" "$t" "$(awk -v s="$SIZE_MB" -v t="$t" 'BEGIN { print s / t }')" $((m / 1024))
}

java_netcat="${netcat[*]}"
echo "== $SIZE_MB MiB through loopback, median of $RUNS; $("$JAVA_HOME/bin/java" -version 2>&1 | head -n1)"
measure "nc -N -> nc -l (baseline)"               "nc.openbsd -l 127.0.0.1 PORT" "nc.openbsd -N 127.0.0.1 PORT" sender
measure "netcat -> nc -l (stdin to socket)"       "nc.openbsd -l 127.0.0.1 PORT" "$java_netcat 127.0.0.1 PORT" sender
measure "nc -N -> netcat -l (socket to stdout)"   "$java_netcat -l 127.0.0.1 PORT" "nc.openbsd -N 127.0.0.1 PORT" receiver
if command -v go >/dev/null 2>&1; then
  (cd "$work" && cp "$here/netcat3.go" . && GO111MODULE=off go build -o netcat3 netcat3.go)
  measure "Go netcat3 -> nc -l (stdin to socket)" "nc.openbsd -l 127.0.0.1 PORT" "$work/netcat3 127.0.0.1:PORT" sender
fi

echo "== start-up: connect, close and exit (-z), median of 10"
port=$(free_port)
nc.openbsd -l -k 127.0.0.1 "$port" > /dev/null < /dev/null &
wait_listening "$port"
startup() { # label command...
  local label=$1; shift
  : > "$work/startup"
  for _ in $(seq 10); do
    /usr/bin/time -f "%e %M" -a -o "$work/startup" "$@" > /dev/null
  done
  local t; t=$(cut -d' ' -f1 "$work/startup" | median)
  local m; m=$(cut -d' ' -f2 "$work/startup" | median)
  printf '  %-44s %6.2fs  max RSS %4d MiB\n' "$label" "$t" $((m / 1024))
}
startup "nc -z" nc.openbsd -z 127.0.0.1 "$port"
startup "netcat -z" "${netcat[@]}" -z 127.0.0.1 "$port"
