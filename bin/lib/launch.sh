# Sourced by bin/<tool>: runs <tool>/target/<tool>.jar on a Java 25, building it
# first when it is missing or older than its sources.
# Usage (from bin/<tool>): . "$(dirname "$(readlink -f "$0")")/lib/launch.sh" <tool> "$@"
set -euo pipefail
gopl_tool=$1
shift
gopl_root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
. "$gopl_root/bin/lib/jdk.sh"
gopl_find_jdk || exit 1
gopl_jar=$gopl_root/$gopl_tool/target/$gopl_tool.jar
if [ ! -f "$gopl_jar" ] || [ -n "$(find "$gopl_root/$gopl_tool/src/main" "$gopl_root/common/src/main" \
    "$gopl_root/$gopl_tool/pom.xml" "$gopl_root/pom.xml" -newer "$gopl_jar" -print -quit 2>/dev/null)" ]; then
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
exec "$JAVA_HOME/bin/java" ${GOPL_JAVA_OPTS:-} -jar "$gopl_jar" "$@"
