# Sourced by bin/<tool>: runs <tool>/target/<tool>.jar on a Java 25, building it first when it is
# missing or older than its sources or those of any module it depends on (common, or crawler for
# mirror). For developers in a checkout; the release archive's launchers (bin/dist) never build.
# Usage (from bin/<tool>): . "$(dirname "$(readlink -f "$0")")/lib/launch.sh" <tool> "$@"
set -euo pipefail
gopl_tool=$1
shift
gopl_root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
. "$gopl_root/bin/lib/jdk.sh"
gopl_find_jdk || exit 1
gopl_jar=$gopl_root/$gopl_tool/target/$gopl_tool.jar

# The reactor modules (dev.gopl artifacts) the tool needs, itself first, each once.
gopl_modules() {
  local todo=("$1") seen=" " module dep
  while [ ${#todo[@]} -gt 0 ]; do
    module=${todo[0]}
    todo=("${todo[@]:1}")
    case $seen in *" $module "*) continue ;; esac
    seen="$seen$module "
    echo "$module"
    for dep in $(sed -n '/<groupId>dev\.gopl<\/groupId>/{n;s/.*<artifactId>\([^<]*\)<\/artifactId>.*/\1/p}' \
        "$gopl_root/$module/pom.xml"); do
      [ -f "$gopl_root/$dep/pom.xml" ] && todo+=("$dep")
    done
  done
}

# Whether the jar is missing or older than a source or pom it is built from.
gopl_stale() {
  [ -f "$gopl_jar" ] || return 0
  local dirs=("$gopl_root/pom.xml") module
  for module in $(gopl_modules "$gopl_tool"); do
    dirs+=("$gopl_root/$module/src/main" "$gopl_root/$module/pom.xml")
  done
  [ -n "$(find "${dirs[@]}" -newer "$gopl_jar" -print -quit 2>/dev/null)" ]
}

if gopl_stale; then
  # One build at a time in this checkout: a second launcher waits, then finds the jar fresh.
  mkdir -p "$gopl_root/target"
  exec 9>"$gopl_root/target/.launcher-build.lock"
  flock 9
  if gopl_stale; then
    echo "$gopl_tool: building $gopl_tool/target/$gopl_tool.jar (once)..." >&2
    gopl_log=$(mktemp)
    if ! "$gopl_root/bin/build" -q -pl "$gopl_tool" -am package -DskipTests >"$gopl_log" 2>&1; then
      sed 's/\x1b\[[0-9;]*m//g' "$gopl_log" | grep -v '^\s*$' | tail -n 20 >&2
      rm -f "$gopl_log"
      echo "$gopl_tool: build failed; run bin/build package to see why" >&2
      exit 1
    fi
    rm -f "$gopl_log"
  fi
  exec 9>&-
fi

# A class-data archive per tool, kept by the JVM itself: written at the end of the first run, used
# by every run after it; silent when missing. JDK 25 does not rewrite an archive whose jar has
# changed (it only warns, and quietly runs without it), so one older than the jar is removed here
# and the next run writes a fresh one.
gopl_jsa=$gopl_root/$gopl_tool/target/$gopl_tool.jsa
[ "$gopl_jar" -nt "$gopl_jsa" ] && rm -f "$gopl_jsa"
gopl_cds=(-XX:+AutoCreateSharedArchive "-XX:SharedArchiveFile=$gopl_jsa" -Xlog:cds=off -Xlog:cds+dynamic=off)
# A lone --help or --version loads a fraction of a tool's classes: an archive written by it would
# leave the real jobs after it loading most of theirs from the jar, so such a run writes none.
if [ ! -f "$gopl_jsa" ] && [ $# -eq 1 ]; then
  case $1 in --help | -help | --version) gopl_cds=() ;; esac
fi
# GOPL_JAVA_OPTS holds words, not paths: bin/<tool> sets it, and so may the user.
# shellcheck disable=SC2086
exec "$JAVA_HOME/bin/java" "${gopl_cds[@]}" ${GOPL_JAVA_OPTS:-} -jar "$gopl_jar" "$@"
