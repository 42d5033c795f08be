#!/usr/bin/env bash
# Benchmarks bin/ftp against vsftpd and pyftpdlib (each skipped when not installed), all on
# loopback in the same run with their rounds interleaved (and the servers' order rotated each
# round), so that on a shared, noisy machine the ratios mean something even when the absolute
# figures wander:
#   1. RETR of a 1 GiB file with curl to /dev/null: MB/s, median of ROUNDS
#   2. the same over explicit FTPS, PBSZ 0 / PROT P (curl --ssl-reqd), against vsftpd with
#      ssl_enable=YES and require_ssl_reuse=YES, both with the same throwaway RSA-2048
#      certificate made here (pyftpdlib's TLS needs pyOpenSSL: not measured)
#   3. CLIENTS clients at the same instant, each logging in and fetching a 100 KB file with
#      Python's ftplib: wall time, median of ROUNDS after a warm-up round; "failed" counts
#      clients that got nothing within 15 s (a listen backlog that overflowed) or wrong bytes
#   4. what one such session costs, phase by phase (phases.py: 200 sessions one after another)
# Every server runs as a child of this script on a high loopback port and is stopped at the end.
# The load average is printed before and after: quote it with the figures.
# Needs curl, openssl and python3; to compare: apt-get install vsftpd python3-pyftpdlib
# Usage: ftp/bench/run.sh [SIZE_MB=1024] [CLIENTS=200] [ROUNDS=5]
set -euo pipefail
size_mb=${1:-1024}
clients=${2:-200}
rounds=${3:-5}
here=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
repo=$(cd "$here/../.." && pwd)
python=python3
if [ -x /usr/bin/python3 ]; then python=/usr/bin/python3; fi # Debian's, which has pyftpdlib

work=$(mktemp -d /tmp/ftp-bench.XXXXXX)
children=()
cleanup() {
  for pid in "${children[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

chmod 755 "$work"
mkdir -m 755 "$work/root"
echo "bench: a ${size_mb} MiB file and a 100 KB file in $work/root" >&2
dd if=/dev/zero of="$work/root/big.bin" bs=1M count="$size_mb" status=none
head -c 102400 /dev/urandom >"$work/root/small.bin"
chmod 644 "$work/root"/*
cat "$work/root/big.bin" >/dev/null # into the page cache, for every server alike
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/key.pem" -out "$work/cert.pem" -days 2 \
  -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1 2>/dev/null
echo "bench: load before: $(uptime)" >&2

wait_for_port() {
  for _ in $(seq 1 300); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "bench: nothing listens on port $1" >&2
  return 1
}

servers=()
no_tls=""
pids=() # name:pid of each server's main process, for its CPU time

# Ours. The launcher builds the jar on first use. All clients come from 127.0.0.1, so the cap on
# sessions per address is lifted above the client count (a round may overlap the last round's
# goodbyes), as max_per_ip=0 lifts vsftpd's below.
"$repo/bin/ftp" -port 21210 --host 127.0.0.1 -root "$work/root" --max-per-ip "$((2 * clients))" \
  --tls-cert "$work/cert.pem" --tls-key "$work/key.pem" 2>"$work/ftp.log" &
children+=($!)
wait_for_port 21210
servers+=(ftp:21210)
pids+=(ftp:$!) # bin/ftp execs java

if [ -x /usr/sbin/vsftpd ] && [ "$(id -u)" = 0 ]; then
  mkdir -p /var/run/vsftpd/empty
  cat >"$work/vsftpd.conf" <<CONF
listen=YES
listen_ipv6=NO
listen_address=127.0.0.1
listen_port=21211
background=NO
anonymous_enable=YES
no_anon_password=YES
anon_root=$work/root
local_enable=NO
write_enable=NO
seccomp_sandbox=NO
isolate=NO
isolate_network=NO
max_clients=0
max_per_ip=0
xferlog_enable=NO
syslog_enable=NO
secure_chroot_dir=/var/run/vsftpd/empty
ssl_enable=YES
allow_anon_ssl=YES
force_anon_logins_ssl=NO
force_anon_data_ssl=NO
require_ssl_reuse=YES
rsa_cert_file=$work/cert.pem
rsa_private_key_file=$work/key.pem
CONF
  /usr/sbin/vsftpd "$work/vsftpd.conf" 2>"$work/vsftpd.log" &
  children+=($!)
  wait_for_port 21211
  servers+=(vsftpd:21211)
  pids+=(vsftpd:$!)
else
  echo "bench: vsftpd not installed (apt-get install vsftpd) or not root: skipped" >&2
fi

if "$python" -c 'import pyftpdlib' 2>/dev/null; then
  "$python" -m pyftpdlib -i 127.0.0.1 -p 21212 -d "$work/root" 2>"$work/pyftpdlib.log" &
  children+=($!)
  wait_for_port 21212
  servers+=(pyftpdlib:21212)
  pids+=(pyftpdlib:$!)
  no_tls+=" pyftpdlib "
else
  echo "bench: pyftpdlib not installed (apt-get install python3-pyftpdlib): skipped" >&2
fi

sessions() { # port -> "seconds failed"
  EXPECTED_SIZE=102400 "$python" "$here/sessions.py" 127.0.0.1 "$1" "$clients" 1 2>/dev/null || true
}

retr() { # port [curl options...] -> MB/s
  local port=$1
  shift
  curl -sS --fail "$@" -o /dev/null -w '%{speed_download}\n' "ftp://127.0.0.1:$port/big.bin" | awk '{printf "%.0f\n", $1 / 1e6}'
}

echo "bench: warming up" >&2
for server in "${servers[@]}"; do
  sessions "${server#*:}" >/dev/null
  "$python" "$here/phases.py" 127.0.0.1 "${server#*:}" 20 >/dev/null
  case "$no_tls" in *" ${server%:*} "*) ;; *) retr "${server#*:}" --ssl-reqd -k >/dev/null ;; esac
done
for round in $(seq 1 "$rounds"); do
  echo "bench: round $round of $rounds" >&2
  n=${#servers[@]}
  for i in $(seq 0 $((n - 1))); do
    server=${servers[$(((i + round) % n))]} # each round starts with another server
    name=${server%:*} port=${server#*:}
    retr "$port" >>"$work/$name.speed"
    case "$no_tls" in *" $name "*) ;; *) retr "$port" --ssl-reqd -k >>"$work/$name.tls" ;; esac
    sessions "$port" >>"$work/$name.sessions"
  done
done
cpu_ticks() { # pid -> user+system clock ticks of the process and its reaped children (vsftpd forks a child per session)
  awk '{print $14 + $15 + $16 + $17}' "/proc/$1/stat"
}
for entry in "${pids[@]}"; do
  name=${entry%%:*} pid=${entry#*:}
  port=$(printf '%s\n' "${servers[@]}" | grep "^$name:" | cut -d: -f2)
  before=$(cpu_ticks "$pid")
  phases=$("$python" "$here/phases.py" 127.0.0.1 "$port" "$clients")
  after=$(cpu_ticks "$pid")
  sessions=$((clients + (clients / 10 > 5 ? clients / 10 : 5))) # phases.py warms up with a tenth first
  cpu=$(awk -v t=$((after - before)) -v n="$sessions" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.2f", t / hz * 1000 / n}')
  echo "$phases $cpu" >"$work/$name.phases"
done
echo "bench: load after: $(uptime)" >&2

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
all() { sort -g | paste -sd' ' -; }
echo "RETR ${size_mb} MiB with curl (MB/s), $clients sessions at once (s): median of $rounds rounds, every round after it"
printf '%-10s %16s %16s %22s\n' server "RETR (MB/s)" "PROT P (MB/s)" "$clients sessions"
for server in "${servers[@]}"; do
  name=${server%:*}
  speed=$(median <"$work/$name.speed")
  tls=$([ -s "$work/$name.tls" ] && median <"$work/$name.tls" || echo "n/a")
  time=$(cut -d' ' -f1 "$work/$name.sessions" | median)
  failed=$(awk '{s += $2} END {print s}' "$work/$name.sessions")
  printf '%-10s %16s %16s %12s s, %3d failed\n' "$name" "$speed" "$tls" "$time" "$failed"
  printf '%-10s %16s %16s %22s\n' "" "($(all <"$work/$name.speed"))" "($([ -s "$work/$name.tls" ] && all <"$work/$name.tls"))" \
    "($(cut -d' ' -f1 "$work/$name.sessions" | all))"
done
echo
echo "One session at a time, median microseconds per phase ($clients sessions, phases.py), and the server's CPU per session:"
printf '%-10s %8s %8s %8s %10s %9s %8s %8s %10s\n' server connect login PASV "TYPE+RETR" "data+226" QUIT whole "CPU (ms)"
for server in "${servers[@]}"; do
  name=${server%:*}
  printf '%-10s %8s %8s %8s %10s %9s %8s %8s %10s\n' "$name" $(cat "$work/$name.phases")
done
