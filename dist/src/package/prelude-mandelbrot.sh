# The SIMD loop needs the jdk.incubator.vector module, and a JVM that loads an incubator module
# says so on stderr before main, with no option to stop it. As bin/mandelbrot does: stderr goes
# through a filter that drops that one line, and the real stderr waits on descriptor 3, named by
# its device and inode, for main to put it back (StartupStderr in the mandelbrot module). The
# filter is a process substitution, which needs bash: this launcher runs under bash.
if id=$(stat -L -c %d:%i "/proc/$$/fd/2" 2>/dev/null); then
  options="$options -Dmandelbrot.stderr.fd=3 -Dmandelbrot.stderr.id=$id"
  . "$home/lib/incubator-notice.sh"
  exec 3>&2 2> >(gopl_drop_incubator_notice >&3)
fi
