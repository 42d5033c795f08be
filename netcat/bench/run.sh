#!/usr/bin/env bash
# netcat throughput against OpenBSD nc in the same run, over TCP, a Unix domain socket and UDP
# (and the book's netcat3 in Go over TCP, when `go` is installed), plus the start-up cost of one
# short connection and of a 1000-port -z scan. Each figure is the median of RUNS.
#
#   netcat/bench/run.sh                 # 1 GiB per transfer, 3 runs each
#   SIZE_MB=4096 RUNS=5 netcat/bench/run.sh
#   ONLY=udp netcat/bench/run.sh        # one of tcp, unix, udp, startup, scan
#
# Needs a JDK 25 (found as bin/build finds it), OpenBSD nc (Debian: netcat-openbsd), GNU time
# and ss (iproute2).
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
root=$(cd "$here/../.." && pwd)
SIZE_MB=${SIZE_MB:-1024}
UDP_MB=${UDP_MB:-$SIZE_MB}
RUNS=${RUNS:-3}
ONLY=${ONLY:-}
. "$root/bin/lib/jdk.sh"
gopl_find_jdk
jar=$root/netcat/target/netcat.jar
netcat=("$JAVA_HOME/bin/java" -jar "$jar")
for tool in nc.openbsd /usr/bin/time ss; do
  command -v "$tool" >/dev/null || { echo "run.sh: needs $tool (apt-get install netcat-openbsd time iproute2)" >&2; exit 1; }
done
[ -f "$jar" ] || "$root/bin/build" -q -pl netcat -am package -DskipTests >&2
work=$(mktemp -d)
kill_tree() { # a background job and everything it started (time, bash -c, the JVM)
  local child
  for child in $(pgrep -P "$1"); do kill_tree "$child"; done
  kill "$1" 2>/dev/null || true
}
trap 'for job in $(jobs -p); do kill_tree "$job"; done; rm -rf "$work"' EXIT

free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 20000))
    ss -tuanH "sport = :$port" | grep -q . || { echo "$port"; return; }
  done
}

# Waits until ADDRESS is served: a TCP or UDP port ("tcp 4000", "udp 4000") or a socket file ("unix PATH").
wait_ready() {
  for _ in $(seq 300); do
    case $1 in
      tcp) ss -ltn "sport = :$2" | grep -q LISTEN && return ;;
      udp) ss -lun "sport = :$2" | grep -q ":$2" && return ;;
      unix) ss -lxH | grep -qF "$2 " && return ;;
    esac
    sleep 0.05
  done
  echo "run.sh: nothing is ready at $1 $2" >&2; exit 1
}

# One transfer of MB zero bytes: kind (tcp, udp, unix), receiver and sender commands (with ADDR
# standing for the port or socket path). Prints "seconds max_rss_kib received_bytes" of the side
# named by $4 (sender or receiver), then its user and system CPU seconds. Received bytes are counted over UDP only, which may lose some;
# elsewhere the receiver writes to /dev/null, as a pipe to a counter would slow both tools alike.
transfer() {
  local kind=$1 addr receiver sender mb=$SIZE_MB sink=/dev/null
  if [ "$kind" = unix ]; then addr=$work/bench.sock; rm -f "$addr"; else addr=$(free_port); fi
  if [ "$kind" = udp ]; then mb=$UDP_MB; sink=">(wc -c > $work/received)"; else echo $((mb << 20)) > "$work/received"; fi
  receiver=${2//ADDR/$addr}
  sender=${3//ADDR/$addr}
  /usr/bin/time -f "%e %M %U %S" -o "$work/receiver.time" bash -c "$receiver > $sink < /dev/null" &
  local rpid=$!
  wait_ready "$kind" "$addr"
  head -c $((mb << 20)) /dev/zero | /usr/bin/time -f "%e %M %U %S" -o "$work/sender.time" bash -c "exec $sender > /dev/null"
  wait "$rpid" || true
  for _ in $(seq 100); do [ -s "$work/received" ] && break; sleep 0.05; done
  read -r t m u k < "$work/$4.time"
  echo "$t $m $(awk -v u="$u" -v k="$k" 'BEGIN { print u + k }') $(cat "$work/received")"
  rm -f "$work/received"
}

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# label kind receiver sender side [idle seconds to take off the receiver's time]
measure() {
  local times=() rss=() cpus=() got=() mb=$SIZE_MB idle=${6:-0}
  [ "$2" = udp ] && mb=$UDP_MB
  for _ in $(seq "$RUNS"); do
    read -r t m c b < <(transfer "$2" "$3" "$4" "$5")
    times+=("$(awk -v t="$t" -v i="$idle" 'BEGIN { print t - i }')"); rss+=("$m"); cpus+=("$c"); got+=("$b")
  done
  local t; t=$(printf '%s\n' "${times[@]}" | median)
  local m; m=$(printf '%s\n' "${rss[@]}" | median)
  local c; c=$(printf '%s\n' "${cpus[@]}" | median)
  local b; b=$(printf '%s\n' "${got[@]}" | median)
  local less=""
  case $1 in "netcat "*|*"-> netcat "*) less=$(awk -v s="$mb" -v t="$t" -v j="$jvm_start" 'BEGIN { printf "less start-up %5.0f MiB/s", s / (t - j) }') ;; esac
  printf '  %-46s %6.2fs %7.0f MiB/s  cpu %5.2fs  max RSS %4d MiB  received %5.1f%%  %s\n' "$1" "$t" \
    "$(awk -v s="$mb" -v t="$t" 'BEGIN { print s / t }')" "$c" $((m / 1024)) \
    "$(awk -v b="$b" -v s="$mb" 'BEGIN { print 100 * b / (s * 1048576) }')" "$less"
}

ours="${netcat[*]}"
echo "== $("$JAVA_HOME/bin/java" -version 2>&1 | head -n1); median of $RUNS; load: $(cut -d' ' -f1-3 /proc/loadavg)"

# The JVM's start-up, measured now so that each netcat row can also say its rate without it:
# the median wall time of `netcat -z` (start, connect, close, exit) against a local listener.
startup_port=$(free_port)
nc.openbsd -l -k 127.0.0.1 "$startup_port" > /dev/null < /dev/null &
wait_ready tcp "$startup_port"
: > "$work/jvm"
for _ in $(seq 5); do /usr/bin/time -f "%e" -a -o "$work/jvm" "${netcat[@]}" -z 127.0.0.1 "$startup_port"; done
jvm_start=$(median < "$work/jvm")
echo "== netcat's start-up (netcat -z, median of 5): ${jvm_start}s; \"less start-up\" takes it off netcat's rows"
if [ -z "$ONLY" ] || [ "$ONLY" = tcp ]; then
  echo "== TCP, $SIZE_MB MiB through loopback (JVM start-up included)"
  measure "nc -N -> nc -l (baseline)"               tcp "nc.openbsd -l 127.0.0.1 ADDR" "nc.openbsd -N 127.0.0.1 ADDR" sender
  measure "netcat -> nc -l (stdin to socket)"       tcp "nc.openbsd -l 127.0.0.1 ADDR" "$ours 127.0.0.1 ADDR" sender
  measure "nc -N -> netcat -l (socket to stdout)"   tcp "$ours -l 127.0.0.1 ADDR" "nc.openbsd -N 127.0.0.1 ADDR" receiver
  if command -v go >/dev/null 2>&1; then
    (cd "$work" && cp "$here/netcat3.go" . && GO111MODULE=off go build -o netcat3 netcat3.go)
    measure "Go netcat3 -> nc -l (stdin to socket)" tcp "nc.openbsd -l 127.0.0.1 ADDR" "$work/netcat3 127.0.0.1:ADDR" sender
  fi
fi
if [ -z "$ONLY" ] || [ "$ONLY" = unix ]; then
  echo "== Unix domain socket, $SIZE_MB MiB"
  measure "nc -N -U -> nc -l -U (baseline)"         unix "nc.openbsd -l -U ADDR" "nc.openbsd -N -U ADDR" sender
  measure "netcat -U -> nc -l -U (stdin to socket)" unix "nc.openbsd -l -U ADDR" "$ours -U ADDR" sender
  measure "nc -N -U -> netcat -l -U (to stdout)"    unix "$ours -l -U ADDR" "nc.openbsd -N -U ADDR" receiver
fi
if [ -z "$ONLY" ] || [ "$ONLY" = udp ]; then
  # UDP has no end of stream: the sender quits once stdin is sent (-q 0); the receiver after one
  # idle second (-w 1), which is taken off its time. Datagrams the receiver was too slow for
  # are lost, so the received share is part of the result.
  echo "== UDP, $UDP_MB MiB in 16 KiB datagrams"
  measure "nc -u -> nc -u -l (baseline, sender)"     udp "nc.openbsd -u -l -w 1 127.0.0.1 ADDR" "nc.openbsd -u -q 0 127.0.0.1 ADDR" sender
  measure "netcat -u -> nc -u -l (stdin to socket)"  udp "nc.openbsd -u -l -w 1 127.0.0.1 ADDR" "$ours -u -q 0 127.0.0.1 ADDR" sender
  measure "nc -u -> nc -u -l (baseline, receiver)"   udp "nc.openbsd -u -l -w 1 127.0.0.1 ADDR" "nc.openbsd -u -q 0 127.0.0.1 ADDR" receiver 1
  measure "nc -u -> netcat -u -l (socket to stdout)" udp "$ours -u -l -w 1 127.0.0.1 ADDR" "nc.openbsd -u -q 0 127.0.0.1 ADDR" receiver 1
fi
if [ -z "$ONLY" ] || [ "$ONLY" = startup ]; then
  echo "== start-up: connect, close and exit (-z), median of 10"
  port=$(free_port)
  nc.openbsd -l -k 127.0.0.1 "$port" > /dev/null < /dev/null &
  wait_ready tcp "$port"
  startup() { # label command...
    local label=$1; shift
    : > "$work/startup"
    for _ in $(seq 10); do
      /usr/bin/time -f "%e %M" -a -o "$work/startup" "$@" > /dev/null 2>&1 || true
    done
    local t; t=$(cut -d' ' -f1 "$work/startup" | median)
    local m; m=$(cut -d' ' -f2 "$work/startup" | median)
    printf '  %-46s %6.2fs  max RSS %4d MiB\n' "$label" "$t" $((m / 1024))
  }
  startup "nc -z" nc.openbsd -z 127.0.0.1 "$port"
  startup "netcat -z" "${netcat[@]}" -z 127.0.0.1 "$port"
  # 1000 ports, all but one closed: refusals are instant on loopback, so this is about start-up.
  startup "nc -z, 1000 ports" nc.openbsd -z 127.0.0.1 "$((port - 500))-$((port + 499))"
  startup "netcat -z, 1000 ports" "${netcat[@]}" -z 127.0.0.1 "$((port - 500))-$((port + 499))"
fi
if [ -z "$ONLY" ] || [ "$ONLY" = scan ]; then
  # 16 silent UDP ports: each probe waits out -w 1 for a refusal that never comes (-v: without it
  # nc does not probe UDP ports at all). nc probes one
  # port after another, netcat up to PortScan.PARALLEL at once. Median of 3.
  echo "== -zuv -w 1 over 16 open (silent) UDP ports, median of 3"
  python3 -c '
import random, socket, sys, time
while True:
    base = random.randrange(20000, 40000)
    try:
        held = []
        for port in range(base, base + 16):
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", port)); held.append(s)
        break
    except OSError:
        for s in held: s.close()
print(base, flush=True)
time.sleep(600)' > "$work/udp-base" &
  for _ in $(seq 100); do [ -s "$work/udp-base" ] && break; sleep 0.05; done
  base=$(cat "$work/udp-base")
  scan() { # label command...
    local label=$1; shift
    : > "$work/scan"
    for _ in $(seq 3); do /usr/bin/time -f "%e %M" -a -o "$work/scan" "$@" > /dev/null 2>&1 || true; done
    printf '  %-46s %6.2fs\n' "$label" "$(cut -d' ' -f1 "$work/scan" | median)"
  }
  scan "nc -zuv -w 1, 16 ports" nc.openbsd -zuv -w 1 127.0.0.1 "$base-$((base + 15))"
  scan "netcat -zuv -w 1, 16 ports" "${netcat[@]}" -zuv -w 1 127.0.0.1 "$base-$((base + 15))"
fi
