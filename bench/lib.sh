# Helpers shared by the servers' benchmark scripts (chat/bench/run.sh, reverb/bench/run.sh).
# Source it once $root (the checkout) and $work (a scratch directory) are set.

# The JVM options a launcher gives its tool by default (the GOPL_JAVA_OPTS it exports), if any.
launcher_options() {
  (unset GOPL_JAVA_OPTS; eval "$(grep -m1 '^ *export GOPL_JAVA_OPTS=' "$1")"; echo "${GOPL_JAVA_OPTS:-}")
}

# build_before TOOL: builds TOOL's jar as of the git revision $BEFORE into $work/TOOL-before.jar,
# and sets before_options to the JVM options that revision's launcher gave it.
build_before() {
  local tool=$1
  echo "bench: building $tool.jar as of $BEFORE..." >&2
  mkdir "$work/before"
  git -C "$root" archive "$BEFORE" | tar -x -C "$work/before"
  "$work/before/bin/build" -q -pl "$tool" -am package -DskipTests >&2
  cp "$work/before/$tool/target/$tool.jar" "$work/$tool-before.jar"
  before_options=$(launcher_options "$work/before/bin/$tool")
}
