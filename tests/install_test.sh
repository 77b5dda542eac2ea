#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The installed package, as a portal's build would use it: `cmake --install`
# into a scratch prefix, then (0) the installed program indexing and
# searching from a folder outside the source tree, (1) a CMake project with
# find_package(clinsearch) and (2) the C API test program compiled with
# pkg-config alone, each built and run against the installed library.
# FLAGS (optional): compiler and linker flags for the consumers, the
# sanitizer flags when the library was built with them.
# usage: install_test.sh BUILD_DIR SOURCE_DIR WORK_DIR [FLAGS]
set -euo pipefail
build=$1 src=$2 work=$3 flags=${4:-}
rm -rf "$work" && mkdir -p "$work"
# The prefix and the folder the program runs in are outside the source and
# build trees, out of reach of anything that would look there.
away=$(mktemp -d)
trap 'rm -rf "$away"' EXIT
prefix=$away/prefix
cmake --install "$build" --prefix "$prefix" >"$work/install.log"
for f in include/clinsearch/searcher.h include/clinsearch/clinsearch.h bin/clinsearch \
         share/clinsearch/synonyms/FORMAT.md share/doc/clinsearch/LICENSE share/doc/clinsearch/LICENSE.data \
         share/doc/clinsearch/LICENSE.widget; do
  [ -e "$prefix/$f" ] || { echo "FAIL: $f not installed"; exit 1; }
done
libdir=$(dirname "$(find "$prefix" -name 'libclinsearch.so' | head -1)")
[ -n "$libdir" ] || { echo "FAIL: libclinsearch.so not installed"; exit 1; }
export LD_LIBRARY_PATH=$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
# The consumers are built outside this project, so they lack the ASan
# default our programs link (cmake/asan_options.cc): libxapian 1.4.22's
# Database::check trips ASan's new/delete size check. Give it here.
if [[ $flags == *sanitize=address* ]]; then
  export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}new_delete_type_mismatch=0
fi

# (0) The installed program, run from a folder of its own with the
# documents copied there: it finds the dictionary it was installed with
# (share/clinsearch/synonyms beside bin/), so lay words still reach the
# clinical terms; no installed file names the source or build tree; a
# missing dictionary is an error naming where it was looked for.
outside=$away/outside
"$src/tests/installed_search_check.sh" "$prefix/bin/clinsearch" "$src" "$outside"
(
  cd "$outside"
  if CLINSEARCH_SYNONYMS_DIR=$outside/nowhere "$prefix/bin/clinsearch" index --db idx2 docs \
       >missing.log 2>&1; then
    echo "FAIL: indexing without the bundled dictionary succeeded"; exit 1
  fi
  grep -q "$outside/nowhere" missing.log ||
    { cat missing.log; echo "FAIL: the error does not name where the dictionary was looked for"; exit 1; }
  [ ! -e idx2 ] || { echo "FAIL: a refused run created an index"; exit 1; }
) || exit 1
# Compiled-in strings and run paths, not debug information (which any -g
# build carries); not in a sanitizer build, whose checks embed their
# source locations in the program's strings.
src_abs=$(cd "$src" && pwd) build_abs=$(cd "$build" && pwd)
[[ $flags == *sanitize* ]] ||
while IFS= read -r -d '' f; do
  if [ "$(head -c 4 "$f")" = $'\x7fELF' ]; then
    text=$(readelf -p .rodata -d "$f" 2>/dev/null)
  else
    text=$(cat "$f")
  fi
  if grep -qF -e "$src_abs" -e "$build_abs" <<<"$text"; then
    echo "FAIL: $f names the source or build tree"; exit 1
  fi
done < <(find "$prefix" -type f -print0)

# (1) CMake consumer.
cmake -S "$src/tests/consumer" -B "$work/consumer" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="$flags" >"$work/consumer.log" \
  || { cat "$work/consumer.log"; echo "FAIL: consumer configure"; exit 1; }
cmake --build "$work/consumer" >>"$work/consumer.log" || { cat "$work/consumer.log"; echo "FAIL: consumer build"; exit 1; }
"$work/consumer/consumer" "$src/corpus" "$work/consumer-index" || { echo "FAIL: consumer run"; exit 1; }

# (2) pkg-config consumer of the C API, with the installed dictionary.
export PKG_CONFIG_PATH=$libdir/pkgconfig
export CLINSEARCH_SYNONYMS_DIR=$prefix/share/clinsearch/synonyms
cc $flags -o "$work/c_api_test" "$src/tests/c_api_test.c" $(pkg-config --cflags --libs clinsearch) \
  || { echo "FAIL: pkg-config build of the C API test"; exit 1; }
"$work/c_api_test" "$src" "$work" || { echo "FAIL: C API test against the installed library"; exit 1; }
echo "install_test: CMake and pkg-config consumers built and ran"
