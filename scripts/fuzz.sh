#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Builds the libFuzzer targets (clang, ASan + UBSan, in build-fuzz/) and runs
# each for SECONDS (default 30), starting from its seed corpus in
# tests/fuzz/corpus/<name>/. Fails when any target finds a crash, a leak, a
# hang (one input over 10 s) or an input using over 2 GB; the input that
# did it is saved in build-fuzz/fuzz-artifacts/. Prints, per target, the
# executions, coverage (edges) and corpus size.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     # e.g. scripts/fuzz.sh 600 query
#
# Runs one target at a time (FUZZ_JOBS=N runs N at once). What a run finds
# is kept in build-fuzz/fuzz-corpus/<name>/ and reused by the next run.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=30
if [[ ${1:-} =~ ^[0-9]+$ ]]; then seconds=$1; shift; fi

# tests/fuzz/CMakeLists.txt lists the targets in build-fuzz/tests/fuzz/targets.txt
# (one fuzz_NAME a line). A tree configured before that list existed is
# configured again; `build.ninja` re-runs CMake when a CMakeLists changed.
list=build-fuzz/tests/fuzz/targets.txt
if [ ! -f "$list" ]; then
  CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCLINSEARCH_FUZZ=ON -DCLINSEARCH_BUILD_TESTS=OFF -DCLINSEARCH_BUILD_BENCHMARKS=OFF \
    -DCLINSEARCH_BUILD_EXAMPLES=OFF >/dev/null
fi
cmake --build build-fuzz --target build.ninja >/dev/null
mapfile -t all < <(sed 's/^fuzz_//' "$list")
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all[@]}")

cmake --build build-fuzz -j"$(nproc)" --target "${targets[@]/#/fuzz_}" make_stored_seeds
# fuzz_stored_passage starts from real stored values, made from corpus/.
rm -rf build-fuzz/seeds && mkdir -p build-fuzz/seeds/stored_passage
ASAN_OPTIONS=detect_leaks=0 build-fuzz/tests/fuzz/make_stored_seeds build-fuzz/seeds/stored_passage corpus/*

mkdir -p build-fuzz/fuzz-artifacts build-fuzz/fuzz-logs
run_one() {
  local name=$1 work=build-fuzz/fuzz-corpus/$1 log=build-fuzz/fuzz-logs/$1.log
  local dict=tests/fuzz/dict/${1#reader_}.dict
  mkdir -p "$work"
  local args=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
              -artifact_prefix="build-fuzz/fuzz-artifacts/$name-")
  [ -f "$dict" ] && args+=(-dict="$dict")
  # Seeds: tests/fuzz/corpus/NAME/, the bundled documents for the readers,
  # made values for the stored passage.
  local seeds=()
  [ -d "tests/fuzz/corpus/$name" ] && seeds+=("tests/fuzz/corpus/$name")
  [[ $name == reader_* ]] && seeds+=(corpus)
  [ -d "build-fuzz/seeds/$name" ] && seeds+=("build-fuzz/seeds/$name")
  # Leak checks stay on; UBSan findings abort like crashes. (The targets
  # set their own ASan defaults: cmake/asan_options.cc.)
  if ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
     "build-fuzz/tests/fuzz/fuzz_$name" "${args[@]}" "$work" "${seeds[@]}" >"$log" 2>&1; then
    local execs cov corp
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
    corp=$(find "$work" -type f | wc -l)
    printf 'fuzz %-16s ok   %5ss  %10s execs  %6s edges  %5s inputs\n' "$name" "$seconds" "$execs" "$cov" "$corp"
  else
    echo "fuzz $name FAILED: see $log; the input is in build-fuzz/fuzz-artifacts/" >&2
    grep -E 'ERROR|check failed|SUMMARY|runtime error' "$log" | head -5 >&2
    return 1
  fi
}

status=0
jobs=${FUZZ_JOBS:-1}
pids=()
for t in "${targets[@]}"; do
  run_one "$t" & pids+=($!)
  if [ ${#pids[@]} -ge "$jobs" ]; then wait "${pids[0]}" || status=1; pids=("${pids[@]:1}"); fi
done
for p in "${pids[@]}"; do wait "$p" || status=1; done
exit $status
