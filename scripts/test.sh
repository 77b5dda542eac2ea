#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# README command 2: install, build (warnings are errors), check formatting
# and function shape (scripts/check.sh), run the whole test suite under
# ctest; then build again with AddressSanitizer + UndefinedBehaviorSanitizer
# (build-asan/) and run the suite once more there, stopping at the first
# memory error or undefined behaviour; then run every libFuzzer target for
# CLINSEARCH_FUZZ_SECONDS (default 30) each (scripts/fuzz.sh).
# CLINSEARCH_NO_SANITIZE=1 skips the last two (for a quick local run);
# ctest arguments are passed on.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
./scripts/build.sh -DCLINSEARCH_WERROR=ON
./scripts/check.sh build
# playwright-core for the widget's browser test, pinned by package-lock.json.
if command -v npm >/dev/null; then
  (cd tests/widget && npm ci --no-audit --no-fund --loglevel=error) ||
    echo "test.sh: npm ci failed; the widget browser test will be skipped"
fi
(cd build && ctest --output-on-failure -j"$(nproc)" "$@")
if [ "${CLINSEARCH_NO_SANITIZE:-0}" != 1 ]; then
  echo "test.sh: the suite again under AddressSanitizer + UBSan (build-asan/)"
  cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCLINSEARCH_SANITIZE=ON \
    -DCLINSEARCH_BUILD_BENCHMARKS=OFF -DCLINSEARCH_WERROR=ON >/dev/null
  cmake --build build-asan -j"$(nproc)"
  # (Programs of this build also turn off ASan's new/delete size check,
  # which libxapian's own Database::check trips: cmake/asan_options.cc.)
  export ASAN_OPTIONS=detect_leaks=1
  export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
  (cd build-asan && ctest --output-on-failure -j"$(nproc)" "$@")
  echo "test.sh: each fuzz target for ${CLINSEARCH_FUZZ_SECONDS:-30} s (build-fuzz/)"
  FUZZ_JOBS=$(nproc) ./scripts/fuzz.sh "${CLINSEARCH_FUZZ_SECONDS:-30}"
fi
