#!/usr/bin/env bash
# README command 2: install, build, run the whole test suite under ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
./scripts/build.sh
cd build
ctest --output-on-failure -j"$(nproc)" "$@"
