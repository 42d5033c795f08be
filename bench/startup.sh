#!/usr/bin/env bash
# Start-up benchmark: each tool's shortest real jobs against the bare JVM and the C tools they
# stand in for, in one hyperfine run (warm mean of RUNS runs, default 20), with the load stated.
#
#   bench/startup.sh [BIN_DIR]
#
# BIN_DIR holds the launchers to measure: by default the release archive's, unpacked by bin/dist
# under dist/target (gopl-du, gopl-netcat, ...); give a checkout's bin/ to measure its dev
# launchers (du, netcat, ...) instead, e.g. an older checkout for a before/after comparison.
# Goals (issue 14): du on a tiny dir, netcat -z and --help within 2x `java -version` of the same
# JDK; fetch of one local URL within 3x; the du and netcat --version rows are held to 2x too. The
# table gives wall time and CPU time (user + system), each also as a ratio to `java -version` in the
# same run: on a shared, loaded machine wall times stretch with the queue for the cores, CPU times
# much less. Needs hyperfine, python3 (a local web server), GNU du,
# OpenBSD nc and curl.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
runs=${RUNS:-20}
bin=${1:-$(ls -d "$root"/dist/target/gopl-tools-*-linux-x64/bin 2>/dev/null | head -n1)}
[ -d "$bin" ] || { echo "startup.sh: no launchers; run bin/dist first or give BIN_DIR" >&2; exit 1; }
bin=$(cd "$bin" && pwd)
prefix=""
[ -x "$bin/gopl-du" ] && prefix=gopl-
. "$root/bin/lib/jdk.sh"
gopl_find_jdk
for tool in hyperfine python3 du nc curl; do
  command -v "$tool" >/dev/null || { echo "startup.sh: $tool is not installed" >&2; exit 1; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/startup.XXXXXX")
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
mkdir -p "$work/tiny" "$work/site"
echo hello > "$work/tiny/file"
echo hello > "$work/site/f"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server --bind 127.0.0.1 --directory "$work/site" "$port" >/dev/null 2>&1 &
server=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/f" >/dev/null && break; sleep 0.1; done
url=http://127.0.0.1:$port/f

# Each launcher once first: a dev launcher builds its jar, and the JVM writes its class-data archive.
for tool in du netcat fetch clock; do "$bin/$prefix$tool" --version >/dev/null; done

names=(java-version du du-gnu netcat-z nc-z fetch curl clock-help du-help netcat-help fetch-help du-version netcat-version)
commands=(
  "$JAVA_HOME/bin/java -version"
  "$bin/${prefix}du $work/tiny" "du -sk $work/tiny"
  "$bin/${prefix}netcat -z 127.0.0.1 $port" "nc -z 127.0.0.1 $port"
  "$bin/${prefix}fetch $url" "curl -s $url"
  "$bin/${prefix}clock --help" "$bin/${prefix}du --help" "$bin/${prefix}netcat --help" "$bin/${prefix}fetch --help"
  "$bin/${prefix}du --version" "$bin/${prefix}netcat --version"
)
echo "== $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $("$JAVA_HOME/bin/java" -version 2>&1 | head -n1), launchers in $bin" >&2
args=()
for i in "${!commands[@]}"; do args+=(-n "${names[$i]}" "${commands[$i]}"); done
hyperfine -N --warmup 3 --runs "$runs" --style basic --export-json "$work/results.json" "${args[@]}" >&2
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
python3 - "$work/results.json" <<'PY'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
base = results["java-version"]["mean"]
goals = {"du": 2, "netcat-z": 2, "fetch": 3, "clock-help": 2, "du-help": 2, "netcat-help": 2, "fetch-help": 2,
         "du-version": 2, "netcat-version": 2}
native = {"du": "du-gnu", "netcat-z": "nc-z", "fetch": "curl"}
print("| command | wall mean ± σ [ms] | wall × java -version | goal | CPU (user+sys) [ms] | CPU × java -version | wall × its C counterpart |")
print("|---|---:|---:|---:|---:|---:|---:|")
cpu = lambda r: r["user"] + r["system"]
for name, r in results.items():
    ratio = r["mean"] / base
    goal = goals.get(name)
    mark = "" if goal is None else (f"≤ {goal}× {'met' if ratio <= goal else 'missed'}")
    versus = native.get(name)
    other = f"{r['mean'] / results[versus]['mean']:.0f}× {versus}" if versus else ""
    print(f"| {name} | {r['mean'] * 1000:.1f} ± {r['stddev'] * 1000:.1f} | {ratio:.2f} | {mark} "
          f"| {cpu(r) * 1000:.1f} | {cpu(r) / cpu(results['java-version']):.2f} | {other} |")
PY
