#!/usr/bin/env bash
# reverb under load, against the book's reverb in Go (bench/reverb.go) in the same run: CLIENTS
# clients at once, each shouting SHOUTS times GAP_MS apart, then half-closing and reading every
# echo. Prints one table: each server's median over ROUNDS interleaved rounds.
#
#   reverb/bench/run.sh                      # 10,000 clients, 3 shouts each, 1s apart, 3 rounds
#   CLIENTS=2000 SHOUTS=5 ROUNDS=5 reverb/bench/run.sh
#   BEFORE=main reverb/bench/run.sh          # also reverb as built from that git revision: before and after
#   SERVER_OPTS=-XX:+UseG1GC reverb/bench/run.sh   # other JVM options than bin/reverb's
#   SERVERS="java go" reverb/bench/run.sh    # servers: before java go
#   ROWS=rows.tsv BEFORE=main reverb/bench/run.sh   # rows appended to that file, the table over all
#                                            # of them: a long comparison in invocations of minutes
#
# A round starts each server afresh and runs the load through it PASSES times (2: the first finds
# a JVM cold); the table reports the last pass, the server's peak RSS over all of them, and for
# ours the threads still running reverb's code once every client has gone (leaks), with each
# round's session p99 and peak RSS beside the medians; then the ratios of the medians against Go
# and against before. Our reverb runs
# with the JVM options bin/reverb gives it (GOPL_JAVA_OPTS), "before" with its own bin/reverb's.
# Needs a JDK 25 (found as bin/build finds it), Go for the baseline, and CLIENTS+100 open files.
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
root=$(cd "$here/../.." && pwd)
CLIENTS=${CLIENTS:-10000}
SHOUTS=${SHOUTS:-3}
GAP_MS=${GAP_MS:-1000}
DELAY=${DELAY:-1s}
ROUNDS=${ROUNDS:-3}
PASSES=${PASSES:-2}
servers=${SERVERS:-before java go}
rows=${ROWS:+$(readlink -f "$ROWS")}
. "$root/bin/lib/jdk.sh"
gopl_find_jdk
java=$JAVA_HOME/bin/java
work=$(mktemp -d)
rows=${rows:-$work/rows.txt}
server=""
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM # so that the EXIT trap runs: timeout(1) may end a long run

ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt $((CLIENTS + 100)) ]; then
  echo "run.sh: $CLIENTS clients need $((CLIENTS + 100)) open files; ulimit -n is $(ulimit -n)" >&2
  exit 1
fi

. "$root/bench/lib.sh"

echo "bench: building reverb.jar..." >&2
"$root/bin/build" -q -pl reverb -am package -DskipTests >&2
cp "$root/reverb/target/reverb.jar" "$work/reverb.jar" # a build during the run cannot change it
java_options=${SERVER_OPTS-$(launcher_options "$root/bin/reverb")}
before_options=""
if [ -n "${BEFORE:-}" ] && [[ " $servers " == *" before "* ]]; then
  build_before reverb
fi
gopath=""
if command -v go >/dev/null 2>&1; then
  echo "bench: building bench/reverb.go with $(go version | cut -d' ' -f3)..." >&2
  (cd "$work" && cp "$here/reverb.go" . && GOCACHE="$work/gocache" GO111MODULE=off go build -o reverb-go reverb.go)
  gopath=$work/reverb-go
fi

status() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }

# Threads of a JVM still running reverb's handle or an echo, from a thread dump (which lists
# virtual threads too): "handlers echoes".
leaked_threads() {
  "$JAVA_HOME/bin/jcmd" "$1" Thread.dump_to_file -overwrite -format=text "$work/dump.txt" >/dev/null
  awk -v RS= '/gopl\.reverb\.ReverbServer\.handle/ { h++ } /gopl\.reverb\.(ReverbServer\.echo|Echoes)/ { e++ }
    END { print h + 0, e + 0 }' "$work/dump.txt"
}

wait_for_port() {
  local port=""
  for _ in $(seq 300); do
    port=$(sed -n 's/.*listening on localhost:\([0-9]*\).*/\1/p' "$1" | head -n1)
    [ -n "$port" ] && { echo "$port"; return; }
    sleep 0.1
  done
  echo "run.sh: the server did not start; its log:" >&2; cat "$1" >&2; exit 1
}

# Starts a server afresh; sets server (its pid), label and port.
start_server() {
  case $1 in
    java | before)
      local jar=$work/reverb.jar options=$java_options name=reverb
      [ "$1" = before ] && jar=$work/reverb-before.jar options=$before_options name="reverb before ($BEFORE)"
      # shellcheck disable=SC2086 # the options are words
      "$java" $options -jar "$jar" -port 0 -delay "$DELAY" -idle 60s --max-per-ip 0 2> "$work/server.log" &
      label="$name${options:+, $options}" ;;
    go)
      "$gopath" -port 0 -delay "$DELAY" -idle 60s 2> "$work/server.log" &
      label="Go, bench/reverb.go" ;;
  esac
  server=$!
  port=$(wait_for_port "$work/server.log")
}

value() { sed -n "s/^$1=//p" "$work/load.txt"; }

# One round of one server: PASSES loads, then a row of the last one's figures.
run_once() {
  local load_average leaks="" p
  load_average=$(cut -d' ' -f1 /proc/loadavg)
  start_server "$1"
  for _ in $(seq "$PASSES"); do
    "$java" -XX:+UseSerialGC "$here/Shouters.java" "$port" "$CLIENTS" "$SHOUTS" "$GAP_MS" > "$work/load.txt"
  done
  sleep 2 # let the last connections close
  if [ "$1" != go ]; then
    read -r h e < <(leaked_threads "$server")
    leaks="$h/$e"
  fi
  peak=$(( ($(status "$server" VmHWM) + 1023) / 1024 ))
  kill "$server"; wait "$server" 2>/dev/null || true; server=""
  IFS=/ read -r _ session99 _ <<< "$(value session_ms_p50_p99_max)"
  IFS=/ read -r session50 _ _ <<< "$(value session_ms_p50_p99_max)"
  IFS=/ read -r _ connect99 _ <<< "$(value connect_ms_p50_p99_max)"
  p=$(printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s' "$load_average" "$label" "$(value completed)" "$(value echoes)" \
    "$(value errors)" "$session50" "$session99" "$connect99" "$(value wall_ms)" "$peak" "${leaks:--}")
  echo "$p" >> "$rows"
  echo "bench: $(echo "$p" | tr '\t' ' ')" >&2
}

# Each server's median of each figure over its rounds, the leaks over all rounds, the load range.
medians() {
  awk -F'\t' -v clients="$CLIENTS" -v expected=$((CLIENTS * SHOUTS * 3)) '
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
    function commas(x,    s) {
      s = sprintf("%d", x + 0.5)
      while (s ~ /[0-9][0-9][0-9][0-9]/) sub(/[0-9][0-9][0-9]($|,)/, ",&", s)
      return s
    }
    {
      key = $2
      if (!(key in runs)) order[++keys] = key
      runs[key]++
      for (c = 3; c <= 10; c++) values[key, c] = values[key, c] " " $c
      p99s[key] = p99s[key] sprintf(" %.2f", $7 / 1000)
      leaks[key] = leaks[key] (leaks[key] == "" ? "" : " ") $11
      if (!(key in low) || $1 < low[key]) low[key] = $1
      if (!(key in high) || $1 > high[key]) high[key] = $1
    }
    END {
      for (k = 1; k <= keys; k++) {
        key = order[k]
        printf "| %s | %s / %s | %s / %s | %s | %.2f / %.2f |%s | %s | %.1f | %s |%s | %s | %d | %s to %s |\n", key,
          commas(median(values[key, 3])), commas(clients), commas(median(values[key, 4])), commas(expected),
          median(values[key, 5]), median(values[key, 6]) / 1000, median(values[key, 7]) / 1000, p99s[key],
          median(values[key, 8]), median(values[key, 9]) / 1000, median(values[key, 10]), values[key, 10], leaks[key],
          runs[key], low[key], high[key]
        if (key ~ /^reverb(,|$)/) ours = key
        if (key ~ /^reverb before/) before = key
        if (key ~ /^Go/) go = key
      }
      if (ours != "" && go != "") {
        printf "\nreverb/Go: peak RSS %.2fx (worst round of ours against the best of Go: %.2fx), session p99 %.2fx\n",
          median(values[ours, 10]) / median(values[go, 10]), extreme(values[ours, 10], 1) / extreme(values[go, 10], -1),
          median(values[ours, 7]) / median(values[go, 7])
      }
      if (ours != "" && before != "") {
        printf "%sreverb/before: peak RSS %.2fx, session p99 %.2fx, session p50 %.2fx\n", go == "" ? "\n" : "",
          median(values[ours, 10]) / median(values[before, 10]), median(values[ours, 7]) / median(values[before, 7]),
          median(values[ours, 6]) / median(values[before, 6])
      }
    }' "$rows"
}

echo
echo "$(nproc) cores, $(uname -sr), $("$java" -version 2>&1 | head -n1), $(go version 2>/dev/null | cut -d' ' -f3)"
echo "$CLIENTS clients x $SHOUTS shouts ${GAP_MS}ms apart, echo delay $DELAY (a session takes at least the gaps and 3 delays);"
echo "medians of $ROUNDS interleaved rounds${ROWS:+ and the rows already in $ROWS}"
echo "(each the last of $PASSES passes through a fresh server); load: the 1-minute load average as each round began."
echo
echo "| server | clients completed | echo lines | errors | session p50 / p99 s | each round's p99 s | connect p99 ms | wall s | peak RSS MiB | each round's peak RSS | leaked handlers/echoes | rounds | load |"
echo "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|"
for _ in $(seq "$ROUNDS"); do
  for kind in $servers; do
    [ "$kind" = go ] && [ -z "$gopath" ] && continue
    [ "$kind" = before ] && [ -z "${BEFORE:-}" ] && continue
    run_once "$kind"
  done
done
medians
