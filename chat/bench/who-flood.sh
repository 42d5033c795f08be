#!/usr/bin/env bash
# The /who flood of issue 13 against chat: USERS users, ATTACKERS clients sending /who WHO times
# without reading; a probe's round trip before and during, and the server's memory.
# Usage: chat/bench/who-flood.sh [JAR] [USERS] [ATTACKERS] [WHO]   (default chat/target/chat.jar 10000 50 200)
# The limits are lifted (all clients come from 127.0.0.1, and 10,000 users fill the default cap);
# a jar from before the fix has no such options: set OPTS= to leave them out.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/bin/lib/jdk.sh"
gopl_find_jdk
jar=${1:-$root/chat/target/chat.jar}
users=${2:-10000}
attackers=${3:-50}
who=${4:-200}
opts=${OPTS---max-per-ip 0 --max-connections 0}
ulimit -n "$(ulimit -Hn)"
[ -f "$jar" ] || "$root/bin/build" -q -pl chat -am package -DskipTests
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("localhost", 0)); print(s.getsockname()[1])')
log=$(mktemp)
"$JAVA_HOME/bin/java" -jar "$jar" -port "$port" --idle 0 $opts 2>"$log" &
server=$!
trap 'kill $server 2>/dev/null; rm -f "$log"' EXIT
until grep -q "listening" "$log"; do sleep 0.2; done
echo "$(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $jar $opts"
"$JAVA_HOME/bin/java" "$root/chat/bench/WhoFlood.java" "$port" "$server" "$users" "$attackers" "$who"
