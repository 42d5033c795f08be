#!/bin/sh
# gopl-@TOOL@ (gopl-tools @VERSION@): runs the @TOOL@ tool on the Java runtime shipped beside it.
# It never builds anything and never looks at sources: the jar (lib/@TOOL@.jar), the runtime
# (runtime/) and the start-up cache (lib/aot/@TOOL@.aot) sit under the directory above the one this
# script really lives in, symbolic links followed. A missing or stale cache is ignored in silence.
# GOPL_JAVA_OPTS adds JVM options; they come last, so they win. POSIX sh, not bash: dash starts in
# about half of bash's time (1.2 against 2.5 ms), on every run of every tool. No option holds a
# blank (the archive's build checks), so they need no array; the paths are quoted.
self=$0
[ -L "$self" ] && self=$(readlink -f -- "$self")
case $self in */*) ;; *) self=./$self ;; esac
home=${self%/*}/..
options="@OPTIONS@"
# A run that only prints help or version talks to nobody: the cache may then sit at the address it
# was made for, which spares relocating it (jvm-options.properties, -XX:ArchiveRelocationMode).
if [ $# -eq 1 ]; then
  case $1 in
    --help|-help|--version) options="$options -XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0" ;;
  esac
fi
cache=$home/lib/aot/@TOOL@.aot
if [ -n "${GOPL_AOT_TRAINING:-}" ]; then
  aot=-XX:AOTCacheOutput=$cache   # the build's training run: record this run, write the cache at exit
else
  aot=-XX:AOTCache=$cache
fi
@PRELUDE@
# $options and $GOPL_JAVA_OPTS unquoted on purpose: split into words at blanks, as options are,
# and with no file name expansion (set -f), since an option may hold a * (mandelbrot's).
set -f
exec "$home/runtime/bin/java" $options "$aot" -Xlog:aot=off -Xlog:cds=off -Dgopl.command=gopl-@TOOL@ \
  ${GOPL_JAVA_OPTS:-} -jar "$home/lib/@TOOL@.jar" "$@"
