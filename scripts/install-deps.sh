#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Installs the Debian 12 packages clinsearch needs to build, test and run.
# Idempotent: does nothing when everything is there. Run as root.
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config python3
  libxapian-dev xapian-tools libicu-dev libspdlog-dev nlohmann-json3-dev libcli11-dev
  libgumbo-dev libcmark-dev libjemalloc-dev libboost1.74-dev libcpp-httplib-dev libsimdjson-dev liblz4-dev libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-14-dev clang-format clang-tidy
  hunspell-en-med wamerican adduser
  wrk curl chromium
)
# Node for the widget's browser test (playwright-core from npm): Debian's,
# unless a node with npm is installed already.
command -v npm >/dev/null || packages+=(nodejs npm)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: run as root (or install the packages above with sudo apt-get install)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
