#!/usr/bin/env bash
# The shared library's dynamic symbol table holds the public API only: the
# C API (cs_*) and the clinsearch:: classes and functions that
# include/clinsearch/ marks CLINSEARCH_EXPORT. Anything else exported would
# be an internal function made part of the ABI by accident.
# usage: exported_symbols_test.sh LIBCLINSEARCH_SO
set -euo pipefail
lib=$1
symbols=$(nm -D --defined-only "$lib" | awk '$2 ~ /^[TtWwVvBbDdRr]$/ {print $3}' | c++filt)
public='^(cs_[a-z_]+|clinsearch::(Searcher|IndexWriter|Status|Result<[^>]*>)(::|$)|clinsearch::(FormatJson|FormatJsonError|FormatSuggestionsJson|FormatDocumentJson|FormatText|ReadQueries|ReadQueryLine|ReadQrels|Evaluate)(\[abi:cxx11\])?\()'
# Symbols the toolchain adds to every shared library.
toolchain='^(_init|_fini|_edata|_end|__bss_start)$'
stray=$(echo "$symbols" | grep -Ev "$public" | grep -Ev "$toolchain" || true)
count=$(echo "$symbols" | grep -Ec "$public" || true)
echo "exported_symbols: $count public symbols in $lib"
if [ -n "$stray" ]; then
  echo "FAIL: exported but not public API:"
  echo "$stray" | head -50
  exit 1
fi
[ "$count" -gt 0 ] || { echo "FAIL: nothing exported"; exit 1; }
