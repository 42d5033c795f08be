#!/usr/bin/env bash
# Benchmark: our chat against a Go server with the book's design (gopl.io ch8/chat), same machine, same run.
#
#   chat/bench/run.sh                  # N = 100, 1,000 and 10,000 clients
#   chat/bench/run.sh 100 1000         # just these
#   DELIVERIES=2000000 chat/bench/run.sh
#   SERVERS=java CHAT_JAVA_OPTS=-Xmx256m chat/bench/run.sh 10000   # ours alone, with JVM options
#
# For each N, each server in turn: N clients join; 10 of them send DELIVERIES/N messages in all,
# each with at most 8 not yet echoed back (the loaded phase: deliveries/s and latency under load);
# then one client sends 100 messages one at a time (the light phase: latency of one broadcast).
# Needs a JDK 25 and, for the comparison, Go (apt-get install golang-go).
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
. "$root/bin/lib/jdk.sh"
gopl_find_jdk || exit 1
java=$JAVA_HOME/bin/java
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100 1000 10000)
deliveries=${DELIVERIES:-1000000}
servers=${SERVERS:-java go}
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

echo "bench: building chat.jar and the load generator..." >&2
"$root/bin/build" -q -pl chat -am package -DskipTests >&2
work=$(mktemp -d)
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
# Copies, so that a build during the run cannot change what is measured.
cp "$root/chat/target/chat.jar" "$work/chat.jar"
cp -r "$root/chat/target/test-classes" "$work/test-classes"
load() { "$java" -cp "$work/chat.jar:$work/test-classes" gopl.chat.LoadGenerator "$@"; }

gochat=""
if command -v go >/dev/null 2>&1; then
  # The Go baseline, written for this script with the design of the book's chat server
  # (gopl.io ch8/chat): one broadcaster goroutine owning the clients, an unbuffered channel and a
  # writer goroutine per client, blocking sends (so one slow reader slows all), and the book's
  # wire format. It listens on the address given as its argument.
  cat > "$work/chat.go" <<'GO'
// Chat baseline for chat/bench/run.sh: the book's broadcaster design.
package main

import (
	"bufio"
	"fmt"
	"log"
	"net"
	"os"
)

type outbox chan<- string

// hub is the broadcaster's three inputs: members joining, members parting, lines said.
type hub struct {
	join, part chan outbox
	say        chan string
}

func (h hub) broadcast() {
	members := map[outbox]bool{}
	for {
		select {
		case line := <-h.say:
			for m := range members {
				m <- line
			}
		case m := <-h.join:
			members[m] = true
		case m := <-h.part:
			delete(members, m)
			close(m)
		}
	}
}

func (h hub) serve(c net.Conn) {
	out := make(chan string)
	go write(c, out)
	name := c.RemoteAddr().String()
	out <- "You are " + name
	h.say <- name + " has arrived"
	h.join <- out
	lines := bufio.NewScanner(c)
	for lines.Scan() {
		h.say <- name + ": " + lines.Text()
	}
	h.part <- out
	h.say <- name + " has left"
	c.Close()
}

func write(c net.Conn, lines <-chan string) {
	for line := range lines {
		fmt.Fprintln(c, line)
	}
}

func main() {
	ln, err := net.Listen("tcp", os.Args[1])
	if err != nil {
		log.Fatal(err)
	}
	h := hub{make(chan outbox), make(chan outbox), make(chan string)}
	go h.broadcast()
	for {
		c, err := ln.Accept()
		if err != nil {
			log.Print(err)
			continue
		}
		go h.serve(c)
	}
}
GO
  echo "bench: building the Go baseline (the book's design) with $(go version)..." >&2
  (cd "$work" && GOCACHE="$work/gocache" GO111MODULE=off go build -o gochat chat.go)
  gochat=$work/gochat
else
  echo "bench: go not found (apt-get install golang-go): measuring our chat alone" >&2
fi

echo
echo "$(nproc) cores, $(uname -sr), $("$java" -version 2>&1 | head -n1)"
echo
echo "| server | clients | join s | deliveries/s | lost | p50 ms | p99 ms | light p50 ms | light p99 ms | server CPU s | peak RSS MB |"
echo "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"
for n in "${sizes[@]}"; do
  messages=$(( deliveries / n ))
  for kind in $servers; do
    [ "$kind" = go ] && [ -z "$gochat" ] && continue
    port=$(load --free-port)
    if [ "$kind" = java ]; then
      "$java" ${CHAT_JAVA_OPTS:-} -jar "$work/chat.jar" -port "$port" --idle 0 --rate 0 --max-per-ip 0 2>"$work/server.log" &
      protocol=gopl label="chat (Java${CHAT_JAVA_OPTS:+ $CHAT_JAVA_OPTS})"
    else
      "$gochat" "localhost:$port" 2>"$work/server.log" &
      protocol=book label="Go, book's design"
    fi
    server=$!
    if ! load --port "$port" --protocol "$protocol" --clients "$n" --messages "$messages" \
        --server-pid "$server" --label "$label"; then
      echo "bench: the load generator failed against $label; server log:" >&2
      tail -5 "$work/server.log" >&2
    fi
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    server=""
  done
done
