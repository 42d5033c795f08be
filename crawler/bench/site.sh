# Sourced by crawler/bench/run.sh and fetch/bench/run.sh: finds a JDK 25, makes $tmp, and
# start_site PAGES DELAY_MS serves crawler/bench/BenchSite.java in the background, setting $port.
# The site and $tmp go when the script exits.
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
. "$root/bin/lib/jdk.sh"
gopl_find_jdk
tmp=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

start_site() {
  mkfifo "$tmp/port"
  "$JAVA_HOME/bin/java" "$root/crawler/bench/BenchSite.java" "$1" "$2" >"$tmp/port" 2>"$tmp/server.log" &
  server_pid=$!
  read -r port <"$tmp/port"
}
