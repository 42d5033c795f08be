# Sourced by bin/build and the tool launchers: finds a JDK (or JRE) 25 or newer
# and exports JAVA_HOME, so that neither `java` on PATH being 17 nor an unset
# JAVA_HOME needs a hand edit.

GOPL_MIN_JAVA=25

# Prints the feature version (17, 21, 25...) of the Java installation at $1, or nothing.
gopl_java_feature() {
  local home=$1 version=""
  [ -x "$home/bin/java" ] || return 0
  if [ -r "$home/release" ]; then
    version=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release")
  fi
  if [ -z "$version" ]; then
    version=$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n1)
  fi
  version=${version#1.}
  echo "${version%%[.+-]*}"
}

# Sets JAVA_HOME to the first suitable candidate: JAVA_HOME itself, the java on
# PATH, then the newest under the usual JDK folders.
gopl_find_jdk() {
  local candidates=() dir best="" best_feature=0 feature
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for dir in "${candidates[@]}"; do
    feature=$(gopl_java_feature "$dir")
    if [ -n "$feature" ] && [ "$feature" -ge "$GOPL_MIN_JAVA" ]; then
      export JAVA_HOME=$dir
      return 0
    fi
  done
  for dir in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*; do
    [ -d "$dir" ] || continue
    feature=$(gopl_java_feature "$dir")
    if [ -n "$feature" ] && [ "$feature" -gt "$best_feature" ]; then
      best=$dir best_feature=$feature
    fi
  done
  if [ "$best_feature" -ge "$GOPL_MIN_JAVA" ]; then
    export JAVA_HOME=$best
    return 0
  fi
  echo "${0##*/}: no Java $GOPL_MIN_JAVA or newer found (looked at JAVA_HOME, java on PATH and /usr/lib/jvm); install a JDK $GOPL_MIN_JAVA or set JAVA_HOME to one" >&2
  return 1
}
