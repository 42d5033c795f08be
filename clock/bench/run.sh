#!/usr/bin/env bash
# Clock benchmark: N clients held open on one clock server for S seconds; how many saw every
# tick, and the server's memory. Usage: clock/bench/run.sh [CLIENTS] [SECONDS]   (default 10000 10)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
clients=${1:-10000}
seconds=${2:-10}
port=${PORT:-18010}
. "$root/bin/lib/jdk.sh"
gopl_find_jdk
ulimit -n 200000 2>/dev/null || ulimit -n "$(ulimit -Hn)"
[ -f "$root/clock/target/clock.jar" ] || "$root/bin/build" -q -pl clock -am package -DskipTests

"$JAVA_HOME/bin/java" -jar "$root/clock/target/clock.jar" -port "$port" --tz UTC --max-per-ip 0 2>/tmp/clock-bench.log &
server=$!
trap 'kill $server 2>/dev/null' EXIT
sleep 2
"$JAVA_HOME/bin/java" "$root/clock/bench/ClockLoad.java" "$port" "$clients" "$seconds" &
load=$!
sleep $((seconds / 2 + 4))
rss=$(awk '/VmRSS/ {print $2}' /proc/$server/status)
threads=$(awk '/Threads/ {print $2}' /proc/$server/status)
wait $load
echo "server: RSS $((rss / 1024)) MiB, $threads OS threads, mid-run with $clients clients connected"
