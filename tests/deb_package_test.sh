#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The Debian package as an operator installs it: `cpack -G DEB` from the
# build, its contents checked, then (as root, when no other clinsearch
# package is installed) `dpkg -i`, the installed /usr/bin/clinsearch
# indexing corpus/ and answering "freeze tumor" with a cryoablation passage
# from a folder outside the source tree, the service's user and unit in
# place, and `dpkg --purge` leaving nothing of the program behind.
# usage: deb_package_test.sh BUILD_DIR SOURCE_DIR WORK_DIR
# Exit: 0 pass, 1 fail, 77 skipped (not root: the package is built and
# checked, not installed).
set -euo pipefail
build=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
fail() { echo "FAIL: $*"; exit 1; }

(cd "$work" && cpack -G DEB --config "$build/CPackConfig.cmake" >cpack.log 2>&1) ||
  { cat "$work/cpack.log"; fail "cpack -G DEB"; }
deb=$(find "$work" -maxdepth 1 -name 'clinsearch_*.deb' | head -1)
[ -n "$deb" ] || fail "no .deb made"
dpkg-deb -c "$deb" | awk '{print $NF}' | sed 's|^\./|/|' >"$work/contents.txt"
for f in /usr/bin/clinsearch /usr/include/clinsearch/searcher.h /usr/share/clinsearch/synonyms/FORMAT.md \
         /usr/share/doc/clinsearch/LICENSE /usr/lib/systemd/system/clinsearch.service; do
  grep -qx "$f" "$work/contents.txt" || fail "$f not in the package"
done
grep -q '/usr/share/clinsearch/synonyms/.*\.syn$' "$work/contents.txt" || fail "no dictionary in the package"
grep -q 'libclinsearch\.so' "$work/contents.txt" || fail "no library in the package"
dpkg-deb -f "$deb" Depends | grep -q 'libxapian' || fail "no library dependencies (dpkg-shlibdeps)"
mkdir -p "$work/control" && dpkg-deb -e "$deb" "$work/control"
grep -q 'User=clinsearch' <(dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/lib/systemd/system/clinsearch.service) ||
  fail "the unit does not run as the clinsearch user"
grep -q 'ExecStart=/usr/bin/clinsearch serve' \
  <(dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/lib/systemd/system/clinsearch.service) ||
  fail "the unit does not start /usr/bin/clinsearch"

if [ "$(id -u)" -ne 0 ]; then
  echo "SKIP: not root: the package was built and checked, not installed"
  exit 77
fi
if dpkg-query -W -f='${Status}' clinsearch 2>/dev/null | grep -q "installed"; then
  echo "SKIP: a clinsearch package is installed already; not replacing it"
  exit 77
fi
trap 'dpkg --purge clinsearch >/dev/null 2>&1 || true' EXIT
dpkg -i "$deb" >"$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log"; fail "dpkg -i"; }
getent passwd clinsearch >/dev/null || fail "no clinsearch user after install"
[ -d /var/lib/clinsearch ] || fail "no /var/lib/clinsearch after install"
away=$(mktemp -d)
"$src/tests/installed_search_check.sh" /usr/bin/clinsearch "$src" "$away/run" || { rm -rf "$away"; exit 1; }
rm -rf "$away"
dpkg --purge clinsearch >"$work/purge.log" 2>&1 || { cat "$work/purge.log"; fail "dpkg --purge"; }
[ ! -e /usr/bin/clinsearch ] || fail "/usr/bin/clinsearch left after purge"
getent passwd clinsearch >/dev/null && fail "the clinsearch user left after purge"
echo "deb_package_test: built, installed, searched and purged $(basename "$deb")"
