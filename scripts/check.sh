#!/usr/bin/env bash
# Code-shape checks the test command runs after the build:
#   1. formatting: every C/C++ file as clang-format (.clang-format) writes it;
#   2. function shape: clang-tidy (.clang-tidy) over every library, server,
#      C API and CLI source: cognitive complexity <= 60 and <= 80 lines per
#      function (tests, fuzzers and benches are not checked).
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
echo "check: formatting and function shape OK"
