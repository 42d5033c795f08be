#!/usr/bin/env bash
# Benchmark: our chat against a Go server with the book's design (gopl.io ch8/chat), same machine, same run.
#
#   chat/bench/run.sh                       # N = 100, 1,000 and 10,000 clients, 3 rounds each
#   chat/bench/run.sh 10000                 # just this N
#   ROUNDS=5 chat/bench/run.sh 100 1000
#   BEFORE=main chat/bench/run.sh 10000     # also chat as built from that git revision: before and after
#   CHAT_JAVA_OPTS=-XX:+UseG1GC chat/bench/run.sh 10000   # other JVM options than bin/chat's
#   SERVERS=java chat/bench/run.sh 10000    # ours alone (servers: before java go)
#   DELIVERIES=2000000 chat/bench/run.sh
#   ROWS=rows.tsv SERVERS="before java" ROUNDS=3 chat/bench/run.sh 10000   # rows kept in that file...
#   ROWS=rows.tsv SERVERS=go ROUNDS=1 chat/bench/run.sh 10000               # ...and added to: one table
#
# For each N, ROUNDS rounds, and in each round every server in turn (interleaved, so that a change
# in the machine's load hits them alike): N clients join; 10 of them send DELIVERIES/N messages in
# all, each with at most 8 not yet echoed back (the loaded phase: deliveries/s and latency under
# load); then one client sends 100 messages one at a time (the light phase: latency of one
# broadcast). The table has each server's median over the rounds, each round's peak RSS, and the
# 1-minute load average when its rounds started; then the ratios of the medians, and the worst
# round of ours against the best of Go. With ROWS=FILE the rows are appended to FILE and the table
# is over every row in it, so that a long comparison can be split into invocations of a few
# minutes each (the book's server needs 5 to 30 minutes to let 10,000 clients in). Our chat runs with the JVM options bin/chat gives it (GOPL_JAVA_OPTS),
# "before" with those of its own bin/chat.
# Needs a JDK 25 and, for the comparison, Go (apt-get install golang-go).
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
. "$root/bin/lib/jdk.sh"
gopl_find_jdk || exit 1
java=$JAVA_HOME/bin/java
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100 1000 10000)
deliveries=${DELIVERIES:-1000000}
rounds=${ROUNDS:-3}
servers=${SERVERS:-before java go}
rows=${ROWS:+$(readlink -f "$ROWS")}
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

. "$root/bench/lib.sh"

echo "bench: building chat.jar and the load generator..." >&2
"$root/bin/build" -q -pl chat -am package -DskipTests >&2
work=$(mktemp -d)
rows=${rows:-$work/rows.txt}
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap "exit 130" INT
trap "exit 143" TERM # so that cleanup runs: timeout(1) may end a long run
# Copies, so that a build during the run cannot change what is measured.
cp "$root/chat/target/chat.jar" "$work/chat.jar"
cp -r "$root/chat/target/test-classes" "$work/test-classes"
load() { "$java" -cp "$work/chat.jar:$work/test-classes" gopl.chat.LoadGenerator "$@"; }
java_options=${CHAT_JAVA_OPTS-$(launcher_options "$root/bin/chat")}

before_options=""
if [ -n "${BEFORE:-}" ] && [[ " $servers " == *" before "* ]]; then
  build_before chat
fi

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

# Starts one server on a free port; sets server (its pid), port, protocol and label.
start_server() {
  port=$(load --free-port)
  case $1 in
    java | before)
      local jar=$work/chat.jar options=$java_options name="chat"
      [ "$1" = before ] && jar=$work/chat-before.jar options=$before_options name="chat before ($BEFORE)"
      # shellcheck disable=SC2086 # the options are words
      "$java" $options -jar "$jar" -port "$port" --idle 0 --rate 0 --max-per-ip 0 2>"$work/server.log" &
      protocol=gopl label="$name${options:+, $options}" ;;
    go)
      "$gochat" "localhost:$port" 2>"$work/server.log" &
      protocol=book label="Go, book's design" ;;
  esac
  server=$!
}

# One row per run: the load average when it started, then the load generator's Markdown row.
# (Until issue 20's figures in the README were taken, it was the load average when the run ended.)
run_once() {
  local row load_average
  load_average=$(cut -d' ' -f1 /proc/loadavg)
  start_server "$1"
  if row=$(load --port "$port" --protocol "$protocol" --clients "$2" --messages "$(( deliveries / $2 ))" \
      --server-pid "$server" --label "$label"); then
    printf '%s\t%s\n' "$load_average" "$row" >> "$rows"
    echo "bench: $row (load $load_average)" >&2
  else
    echo "bench: the load generator failed against $label; server log:" >&2
    tail -5 "$work/server.log" >&2
  fi
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  server=""
}

# For N clients ($1), from every row in $rows: each server's median of each column, its rounds'
# peak RSS, and the range of the load when they ran; then ours against Go and against before.
medians() {
  awk -F'\t' -v clients="$1" '
    function median(list,    n, v, i, j, t) {
      n = split(list, v, " ")
      for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j - 1] + 0 > v[j] + 0; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
      return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
    }
    function extreme(list, sign,    n, v, i, best) {
      n = split(list, v, " "); best = v[1]
      for (i = 2; i <= n; i++) if (sign * (v[i] - best) > 0) best = v[i]
      return best
    }
    function fmt(x, decimals,    s) {
      if (decimals) return sprintf("%." decimals "f", x)
      s = sprintf("%d", x + 0.5)
      while (s ~ /[0-9][0-9][0-9][0-9]/) sub(/[0-9][0-9][0-9]($|,)/, ",&", s)
      return s
    }
    function ratio(a, b, c) { return sprintf("%.2fx", median(values[a, c]) / median(values[b, c])) }
    {
      split($2, cell, "|")
      n = cell[3]; gsub(/[ ,]/, "", n)
      if (n != clients) next
      key = cell[2]
      if (!(key in seen)) { seen[key] = 1; order[++keys] = key }
      for (c = 4; c <= 12; c++) { v = cell[c]; gsub(/[ ,]/, "", v); values[key, c] = values[key, c] " " v }
      if (!(key in low) || $1 < low[key]) low[key] = $1
      if (!(key in high) || $1 > high[key]) high[key] = $1
      runs[key]++
    }
    END {
      split("1 0 0 2 2 2 2 1 0", decimals, " ")
      for (k = 1; k <= keys; k++) {
        key = order[k]; name = key; gsub(/^ +| +$/, "", name)
        line = "| " name " | " fmt(clients, 0)
        for (c = 4; c <= 12; c++) line = line " | " fmt(median(values[key, c]), decimals[c - 3])
        printf "%s |%s | %d | %s to %s |\n", line, values[key, 12], runs[key], low[key], high[key]
        if (name ~ /^chat(,|$)/) ours = key
        if (name ~ /^chat before/) before = key
        if (name ~ /Go/) go = key
      }
      if (ours != "" && go != "") {
        printf "\nchat/Go at %s clients: peak RSS %s (worst round of ours against the best of Go: %.2fx), deliveries/s %s, loaded p99 %s, light p99 %s\n",
          fmt(clients, 0), ratio(ours, go, 12), extreme(values[ours, 12], 1) / extreme(values[go, 12], -1),
          ratio(ours, go, 5), ratio(ours, go, 8), ratio(ours, go, 10)
      }
      if (ours != "" && before != "") {
        printf "%schat/before at %s clients: peak RSS %s, deliveries/s %s, loaded p99 %s, light p99 %s\n", go == "" ? "\n" : "",
          fmt(clients, 0), ratio(ours, before, 12), ratio(ours, before, 5), ratio(ours, before, 8), ratio(ours, before, 10)
      }
    }' "$rows"
}

echo
echo "$(nproc) cores, $(uname -sr), $("$java" -version 2>&1 | head -n1), $(go version 2>/dev/null | cut -d' ' -f3)"
echo "Medians of $rounds interleaved rounds${ROWS:+ and the rows already in $ROWS}; load: the 1-minute load average when each round of that server started."
echo
echo "| server | clients | join s | deliveries/s | lost | p50 ms | p99 ms | light p50 ms | light p99 ms | server CPU s | peak RSS MB | each round's peak RSS | rounds | load |"
echo "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|"
for n in "${sizes[@]}"; do
  for _ in $(seq "$rounds"); do
    for kind in $servers; do
      [ "$kind" = go ] && [ -z "$gochat" ] && continue
      [ "$kind" = before ] && [ -z "${BEFORE:-}" ] && continue
      run_once "$kind" "$n"
    done
  done
  medians "$n"
done
