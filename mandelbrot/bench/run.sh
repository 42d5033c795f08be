#!/usr/bin/env bash
# Times mandelbrot against the book's sequential Go program (gopl.io ch3/mandelbrot), then runs
# mandelbrot --bench for the speedup table and chart, and again on virtual threads to compare.
#
#   mandelbrot/bench/run.sh [SIZE]               SIZE x SIZE pixels, default 4096
#   mandelbrot/bench/run.sh --book-png W H OUT   just write the Go program's W x H picture to OUT
#
# Environment: RUNS (timed runs of each program, default 5), PLOT (where --bench draws its chart,
# default a temporary file). Needs Go (apt-get install golang-go) for the comparison; without it
# only our own figures are printed.
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
jar="$JAVA_HOME/bin/java -jar $root/mandelbrot/target/mandelbrot.jar" # timed without the launcher script

# Wall time of one run in ms, output to $tmp/out.png (its size is reported).
time_ms() {
  local start end
  start=$(date +%s%N)
  "$@" > "$tmp/out.png"
  end=$(date +%s%N)
  echo $(( (end - start) / 1000000 ))
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
for workers in 1 "$cpus"; do
  programs+=("$jar --width $size --height $size --workers $workers")
  labels+=("mandelbrot --workers $workers")
done

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
# Interleaved rounds, so a burst of load from elsewhere hits every program alike.
declare -A times bytes
for ((run = 1; run <= runs; run++)); do
  for i in "${!programs[@]}"; do
    times[$i]+="$(time_ms ${programs[$i]}) "
    bytes[$i]=$(stat -c %s "$tmp/out.png")
  done
done

echo "$size x $size on $cpus processors ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), load average $load_before before, $(cut -d' ' -f1-3 /proc/loadavg) after:"
echo "wall time of whole runs (JVM start-up, render, PNG to a file), best and median of $runs"
printf '%-48s %9s %9s %11s\n' program best median "PNG bytes"
for i in "${!programs[@]}"; do
  read -r -a sorted <<< "$(tr ' ' '\n' <<< "${times[$i]}" | sed '/^$/d' | sort -n | tr '\n' ' ')"
  printf '%-48s %6s ms %6s ms %11s\n' "${labels[$i]}" "${sorted[0]}" "${sorted[$((runs / 2))]}" "${bytes[$i]}"
done
echo
"$mandelbrot" --bench --width "$size" --height "$size" --runs "$runs" --plot "$plot"
echo "chart: $plot"
echo
echo "The same on virtual threads, for comparison:"
"$mandelbrot" --bench --width "$size" --height "$size" --runs "$runs" --threads virtual
echo "load average now $(cut -d' ' -f1-3 /proc/loadavg)"
