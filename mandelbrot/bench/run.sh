#!/usr/bin/env bash
# The whole before/after table of mandelbrot in one command (issue 20):
#  1. whole runs, wall time from JVM start to the PNG on disk, interleaved: the book's sequential
#     algorithm in Go; the jar as `java -jar` runs it (no vector module: the scalar loop, as
#     before SIMD); and bin/mandelbrot (the SIMD loop, from 2048x2048 up), each on 1 worker and
#     on one per processor, and bin/mandelbrot --simd on (the SIMD loop from the first row, before
#     the JIT has compiled it); medians against Go's;
#  2. mandelbrot --bench: the render loop alone, scalar against SIMD on each worker count, and
#     the speedup chart;
#  3. the issue's goals, met or not, from the figures above.
#
#   mandelbrot/bench/run.sh [SIZE]               SIZE x SIZE pixels, default 4096
#   mandelbrot/bench/run.sh --book-png W H OUT   just write the Go program's W x H picture to OUT
#
# Environment: RUNS (timed runs of each program and worker count, default 5), PLOT (where --bench
# draws its chart, default a temporary file), VIRTUAL=1 (also time --bench on virtual threads),
# BEFORE_JAR (an older mandelbrot.jar, such as main's before SIMD, timed with the rest:
#   mkdir /tmp/before && git archive main | tar -x -C /tmp/before
#   (cd /tmp/before && bin/build -q -pl mandelbrot -am package -DskipTests)
#   BEFORE_JAR=/tmp/before/mandelbrot/target/mandelbrot.jar mandelbrot/bench/run.sh).
# Needs Go (apt-get install golang-go) for the comparison; without it only our own figures are
# printed. The machine's load average is printed with each part: figures taken on a busy
# machine say little.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The Go baseline: the sequential algorithm of the book's Mandelbrot program (section 3.3),
# written for this script (the book's own is gopl.io/ch3/mandelbrot): the same square, iteration
# count, uint8 gray levels and cmplx.Abs escape test, so its pixels are the book's; one goroutine.
book_program() {
  cat <<EOF
// Sequential Mandelbrot baseline for mandelbrot/bench/run.sh: a PNG of the square -2..+2 on
// stdout, 200 iterations, gray 255-15n in uint8 arithmetic, black inside the set.
package main

import (
	"image"
	"image/color"
	"image/png"
	"log"
	"math/cmplx"
	"os"
)

const (
	width, height = $1, $2
	lo, hi        = -2.0, 2.0
	maxIter       = 200
	contrast      = 15
)

// escape is the gray level of point c: how fast v = v*v + c leaves the circle of radius 2.
func escape(c complex128) color.Color {
	var v complex128
	for n := uint8(0); n < maxIter; n++ {
		v = v*v + c
		if cmplx.Abs(v) > 2 {
			return color.Gray{Y: 255 - contrast*n}
		}
	}
	return color.Black
}

func main() {
	img := image.NewRGBA(image.Rect(0, 0, width, height))
	for row := 0; row < height; row++ {
		im := float64(row)/height*(hi-lo) + lo
		for col := 0; col < width; col++ {
			re := float64(col)/width*(hi-lo) + lo
			img.Set(col, row, escape(complex(re, im)))
		}
	}
	if err := png.Encode(os.Stdout, img); err != nil {
		log.Fatal(err)
	}
}
EOF
}

# Builds the book's program for a W x H picture into $tmp/book.
build_book() {
  mkdir -p "$tmp/go"
  book_program "$1" "$2" > "$tmp/go/main.go"
  printf 'module book\n\ngo 1.16\n' > "$tmp/go/go.mod"
  (cd "$tmp/go" && GOFLAGS= go build -o "$tmp/book" .)
}

if [ "${1:-}" = --book-png ]; then
  [ $# -eq 4 ] || { echo "usage: $0 --book-png WIDTH HEIGHT OUT" >&2; exit 2; }
  build_book "$2" "$3"
  "$tmp/book" > "$4"
  exit 0
fi

size=${1:-4096}
runs=${RUNS:-5}
plot=${PLOT:-$tmp/speedup.png}
cpus=$(nproc)
mandelbrot=$root/bin/mandelbrot
"$mandelbrot" --version > /dev/null # builds the jar once if it is missing or stale
. "$root/bin/lib/jdk.sh"
gopl_find_jdk
jar="$JAVA_HOME/bin/java -jar $root/mandelbrot/target/mandelbrot.jar"

load() { cut -d' ' -f1-3 /proc/loadavg; }

# Wall time and CPU time (user + system, every thread) of one run in ms, as "wall cpu"; output to
# $tmp/out.png (its size is reported). CPU time says what a run costs even when other programs
# stretch its wall time.
time_ms() {
  local TIMEFORMAT='%R %U %S'
  exec 4>&2
  { time "$@" > "$tmp/out.png" 2>&4; } 2> "$tmp/time.txt"
  exec 4>&-
  awk '{ printf "%d %d", $1 * 1000, ($2 + $3) * 1000 }' "$tmp/time.txt"
}

programs=()
labels=()
if command -v go > /dev/null; then
  build_book "$size" "$size"
  programs+=("$tmp/book")
  labels+=("Go, book's algorithm ($(go version | awk '{print $3}'), sequential)")
else
  echo "go is not installed (apt-get install golang-go): skipping the book's program" >&2
fi
if [ -n "${BEFORE_JAR:-}" ]; then # an older build, e.g. main's, for a before/after in one run
  programs+=("$JAVA_HOME/bin/java -jar $BEFORE_JAR --width $size --height $size --workers $cpus")
  labels+=("before: $(basename "$BEFORE_JAR") --workers $cpus")
fi
for workers in 1 "$cpus"; do
  programs+=("$jar --width $size --height $size --workers $workers")
  labels+=("java -jar mandelbrot.jar --workers $workers (scalar)")
done
for workers in 1 "$cpus"; do
  programs+=("$mandelbrot --width $size --height $size --workers $workers")
  labels+=("bin/mandelbrot --workers $workers")
done
ours=$((${#programs[@]} - 1)) # the row the end-to-end goal is about
programs+=("$mandelbrot --width $size --height $size --workers $cpus --simd on")
labels+=("bin/mandelbrot --workers $cpus --simd on (cold)")

load_before=$(load)
# Interleaved rounds, so a burst of load from elsewhere hits every program alike.
declare -A times cpu bytes median
for ((run = 1; run <= runs; run++)); do
  for i in "${!programs[@]}"; do
    read -r wall used <<< "$(time_ms ${programs[$i]})"
    times[$i]+="$wall "
    cpu[$i]+="$used "
    bytes[$i]=$(stat -c %s "$tmp/out.png")
  done
done
sorted() { tr ' ' '\n' <<< "$1" | sed '/^$/d' | sort -n | tr '\n' ' '; }

echo "$size x $size on $cpus processors ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $("$JAVA_HOME/bin/java" -version 2>&1 | head -n1)"
echo "1. whole runs (JVM start-up, render, PNG to a file), wall time (best, median) and CPU time (median) of $runs; load average $load_before before, $(load) after"
printf '%-52s %9s %9s %8s %12s %11s\n' program best median "vs Go" "median CPU" "PNG bytes"
for i in "${!programs[@]}"; do
  read -r -a walls <<< "$(sorted "${times[$i]}")"
  read -r -a cpu_ms <<< "$(sorted "${cpu[$i]}")"
  median[$i]=${walls[$((runs / 2))]}
  ratio=""
  [ "$i" != 0 ] && [[ "${labels[0]}" == Go* ]] \
    && ratio=$(awk -v a="${median[$i]}" -v b="${median[0]}" 'BEGIN { printf "%.3fx", a / b }')
  printf '%-52s %6s ms %6s ms %8s %9s ms %11s\n' "${labels[$i]}" "${walls[0]}" "${median[$i]}" "$ratio" \
    "${cpu_ms[$((runs / 2))]}" "${bytes[$i]}"
done
echo
echo "2. the render loop alone (mandelbrot --bench); load average $(load) before"
"$mandelbrot" --bench --width "$size" --height "$size" --runs "$runs" --plot "$plot" | tee "$tmp/bench.txt"
echo "chart: $plot; load average $(load) after"
if [ "${VIRTUAL:-}" = 1 ]; then
  echo
  echo "The same on virtual threads, for comparison:"
  "$mandelbrot" --bench --width "$size" --height "$size" --runs "$runs" --threads virtual
fi

echo
echo "3. goals of issue 20 at this size"
render=$(awk -v n="$cpus" '$1 == n && $2 == "SIMD," { print $7 }' "$tmp/bench.txt")
if [ -n "$render" ]; then
  awk -v r="$render" -v n="$cpus" 'BEGIN { printf "render loop on %d workers <= 300 ms: SIMD median %.1f ms, %s\n",
    n, r, r <= 300 ? sprintf("met, %.2fx below the bound", 300 / r) : sprintf("NOT met, %.2fx over the bound", r / 300) }'
else
  echo "render loop: no SIMD loop in this JVM (see the bench's note)"
fi
if [[ "${labels[0]}" == Go* ]]; then
  awk -v a="${median[$ours]}" -v b="${median[0]}" -v l="${labels[$ours]}" 'BEGIN {
    printf "end to end <= 0.25x Go: %s median %d ms against Go %d ms = %.3fx, %s\n", l, a, b, a / b,
      a / b <= 0.25 ? sprintf("met, %.2fx below the bound", 0.25 * b / a) : sprintf("NOT met, %.2fx over the bound", a / b / 0.25) }'
fi
