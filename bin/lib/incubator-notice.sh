# Sourced by bin/mandelbrot and by the release archive's gopl-mandelbrot: drops the one line a JVM
# that loads an incubator module prints on stderr before main runs ("WARNING: Using incubator
# modules: jdk.incubator.vector"; no option turns it off).
#
#   gopl_drop_incubator_notice   as a filter: exec 3>&2 2> >(gopl_drop_incubator_notice >&3)
#
# It passes lines through until the notice, drops it, then copies the rest as it comes. Ctrl-C is
# for the JVM to handle: the filter must live to pass on whatever the JVM says before main.
gopl_drop_incubator_notice() {
  trap '' INT
  local line
  while IFS= read -r line; do
    [ "$line" = "WARNING: Using incubator modules: jdk.incubator.vector" ] && exec cat
    printf '%s\n' "$line"
  done
  printf '%s' "$line"
}
