#!/usr/bin/env bash
# Installs the gopl-tools archive this script is in: install.sh [--prefix DIR] [--uninstall]
# (default prefix ~/.local). See INSTALL.
set -euo pipefail
usage() {
  echo "usage: install.sh [--prefix DIR] [--uninstall]   (default prefix: ~/.local)" >&2
  exit 2
}
prefix=${HOME:?install.sh: HOME is not set; give --prefix DIR}/.local
uninstall=false
while [ $# -gt 0 ]; do
  case $1 in
    --prefix) [ $# -ge 2 ] || usage; prefix=$2; shift 2 ;;
    --prefix=*) prefix=${1#--prefix=}; shift ;;
    --uninstall) uninstall=true; shift ;;
    -h|--help) echo "usage: install.sh [--prefix DIR] [--uninstall]   (default prefix: ~/.local)"; exit 0 ;;
    *) echo "install.sh: unknown argument '$1'" >&2; usage ;;
  esac
done
mkdir -p -- "$prefix"
prefix=$(cd -- "$prefix" && pwd)
home=$prefix/lib/gopl-tools
record=$home/installed-files

# Removes what an earlier install listed in its record (only that), then the copy itself.
remove_installed() {
  [ -f "$record" ] || return 0
  local file
  while IFS= read -r file; do
    [ -n "$file" ] && rm -f -- "$prefix/$file"
  done < "$record"
  rm -rf -- "$home"
}

if $uninstall; then
  if [ ! -f "$record" ]; then
    echo "install.sh: gopl-tools is not installed in $prefix" >&2
    exit 1
  fi
  remove_installed
  echo "gopl-tools removed from $prefix"
  exit 0
fi

here=$(cd -- "$(dirname -- "$(readlink -f -- "$0")")" && pwd)
[ -x "$here/runtime/bin/java" ] || { echo "install.sh: run it from the unpacked archive" >&2; exit 1; }
[ "$here" != "$home" ] || { echo "install.sh: this copy is already the installed one" >&2; exit 1; }
remove_installed
mkdir -p -- "$home"
# cp -p keeps the times the AOT caches were made against.
cp -Rp -- "$here/." "$home/"
installed=()
link() {  # link TARGET NAME: PREFIX/NAME points at TARGET under the installed copy
  mkdir -p -- "$prefix/$(dirname -- "$2")"
  ln -sfn -- "$1" "$prefix/$2"
  installed+=("$2")
}
for tool in "$home"/bin/gopl-*; do
  name=${tool##*/}
  link "$tool" "bin/$name"
  link "$home/share/man/man1/$name.1" "share/man/man1/$name.1"
  link "$home/share/bash-completion/completions/$name" "share/bash-completion/completions/$name"
  link "$home/share/zsh/site-functions/_$name" "share/zsh/site-functions/_$name"
done
printf '%s\n' "${installed[@]}" > "$record"
echo "gopl-tools installed in $prefix: ${#installed[@]} links; commands in $prefix/bin"
case ":$PATH:" in
  *":$prefix/bin:"*) ;;
  *) echo "note: $prefix/bin is not on PATH; add it, e.g. export PATH=\"$prefix/bin:\$PATH\"" ;;
esac
