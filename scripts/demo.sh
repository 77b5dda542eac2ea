#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# README command 1: install, build, index the bundled corpus, answer a query.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
./scripts/build.sh
rm -rf index
./build/clinsearch index --db index corpus/
./build/clinsearch search --db index --limit 3 "${1:-freeze tumor}"
