#!/usr/bin/env bash
# README command 2: install, build, run the whole test suite under ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
./scripts/build.sh
# playwright-core for the widget's browser test, pinned by package-lock.json.
if command -v npm >/dev/null; then
  (cd tests/widget && npm ci --no-audit --no-fund --loglevel=error) ||
    echo "test.sh: npm ci failed; the widget browser test will be skipped"
fi
cd build
ctest --output-on-failure -j"$(nproc)" "$@"
