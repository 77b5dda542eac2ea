#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Code-shape checks the test command runs after the build:
#   1. formatting: every C/C++ file as clang-format (.clang-format) writes it;
#   2. function shape: clang-tidy (.clang-tidy) over every library, server,
#      C API and CLI source: cognitive complexity <= 60 and <= 80 lines per
#      function (tests, fuzzers and benches are not checked);
#   3. licence: every source file (C/C++, CMake, shell, Python, Lua, the
#      widget's files) names its licence in an SPDX-License-Identifier line
#      near its top (LICENSE, LICENSE.widget).
# usage: scripts/check.sh [BUILD_DIR]   (default build/, for compile_commands.json)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
mapfile -t sources < <(git ls-files '*.cc' '*.h' '*.c' | grep -v '^tests/fuzz/corpus/')
echo "check: clang-format over ${#sources[@]} files"
clang-format --dry-run -Werror "${sources[@]}"
mapfile -t library < <(git ls-files '*.cc' | grep -E '^(base|analysis|storage|indexer|searcher|front|server|capi|app)/' |
                       grep -v '_test\.cc$')
echo "check: clang-tidy (cognitive complexity <= 60, <= 80 lines) over ${#library[@]} files"
# -Wno-error: the build's -Werror must not turn clang's view of GCC flags
# (an unknown -Wno-restrict, say) into errors here; only the checks count.
run-clang-tidy -quiet -p "$build" -j "$(nproc)" -extra-arg=-Wno-error "${library[@]/#/$PWD/}" > "$build/clang-tidy.log" 2>&1 || {
  sed "s/\x1b\[[0-9;]*m//g" "$build/clang-tidy.log" | grep -E "error:|warning:" | sort -u
  echo "check: clang-tidy found functions over the limits (log: $build/clang-tidy.log)"
  exit 1
}
mapfile -t licensed < <(git ls-files '*.cc' '*.h' '*.c' '*.in' '*.cmake' 'CMakeLists.txt' '*/CMakeLists.txt' \
                          '*.sh' '*.py' '*.lua' '*.js' '*.mjs' '*.css' '*.html' '*.map' .ci/run |
                        grep -vE '^(corpus|synonyms|tests/fuzz/corpus)/' | sort -u)
missing=()
for f in "${licensed[@]}"; do
  head -3 "$f" | grep -q 'SPDX-License-Identifier: ' || missing+=("$f")
done
if [ ${#missing[@]} -gt 0 ]; then
  printf '%s\n' "${missing[@]}"
  echo "check: the files above carry no SPDX-License-Identifier line in their first three lines"
  exit 1
fi
echo "check: SPDX licence line in all ${#licensed[@]} source files"
echo "check: formatting, function shape and licence lines OK"
