#!/usr/bin/env bash
# Benchmark: our chat against the book's Go chat server (gopl.io ch8/chat), same machine, same run.
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
"$root/bin/build" -q -o -pl chat package -DskipTests >&2
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
  # The book's program as published (gopl.io ch8/chat/chat.go, page 254), except that main
  # listens on the address given as its argument instead of a fixed localhost:8000.
  cat > "$work/chat.go" <<'GO'
// Copyright © 2016 Alan A. A. Donovan & Brian W. Kernighan.
// License: https://creativecommons.org/licenses/by-nc-sa/4.0/

// Chat is a server that lets clients chat with each other.
package main

import (
	"bufio"
	"fmt"
	"log"
	"net"
	"os"
)

type client chan<- string // an outgoing message channel

var (
	entering = make(chan client)
	leaving  = make(chan client)
	messages = make(chan string) // all incoming client messages
)

func broadcaster() {
	clients := make(map[client]bool) // all connected clients
	for {
		select {
		case msg := <-messages:
			// Broadcast incoming message to all
			// clients' outgoing message channels.
			for cli := range clients {
				cli <- msg
			}

		case cli := <-entering:
			clients[cli] = true

		case cli := <-leaving:
			delete(clients, cli)
			close(cli)
		}
	}
}

func handleConn(conn net.Conn) {
	ch := make(chan string) // outgoing client messages
	go clientWriter(conn, ch)

	who := conn.RemoteAddr().String()
	ch <- "You are " + who
	messages <- who + " has arrived"
	entering <- ch

	input := bufio.NewScanner(conn)
	for input.Scan() {
		messages <- who + ": " + input.Text()
	}
	// NOTE: ignoring potential errors from input.Err()

	leaving <- ch
	messages <- who + " has left"
	conn.Close()
}

func clientWriter(conn net.Conn, ch <-chan string) {
	for msg := range ch {
		fmt.Fprintln(conn, msg) // NOTE: ignoring network errors
	}
}

func main() {
	listener, err := net.Listen("tcp", os.Args[1])
	if err != nil {
		log.Fatal(err)
	}

	go broadcaster()
	for {
		conn, err := listener.Accept()
		if err != nil {
			log.Print(err)
			continue
		}
		go handleConn(conn)
	}
}
GO
  echo "bench: building the book's server with $(go version)..." >&2
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
      "$java" ${CHAT_JAVA_OPTS:-} -jar "$work/chat.jar" -port "$port" --idle 0 --rate 0 2>"$work/server.log" &
      protocol=gopl label="chat (Java${CHAT_JAVA_OPTS:+ $CHAT_JAVA_OPTS})"
    else
      "$gochat" "localhost:$port" 2>"$work/server.log" &
      protocol=book label="book (Go)"
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
