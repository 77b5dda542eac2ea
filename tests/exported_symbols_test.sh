#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The shared library's dynamic symbol table holds the public API only: the
# C API (cs_*) and the clinsearch:: classes and functions that
# include/clinsearch/ marks CLINSEARCH_EXPORT. Anything else exported would
# be an internal function made part of the ABI by accident. With the C
# header given, the C functions exported are exactly those it declares.
# usage: exported_symbols_test.sh LIBCLINSEARCH_SO [CLINSEARCH_H]
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
if [ $# -ge 2 ]; then
  declared=$(grep 'CLINSEARCH_EXPORT' "$2" | grep -oE '\bcs_[a-z_]+\(' | tr -d '(' | sort -u)
  exported=$(echo "$symbols" | grep -E '^cs_[a-z_]+$' | sort -u)
  if [ "$declared" != "$exported" ]; then
    echo "FAIL: the C functions exported differ from those $2 declares:"
    diff <(echo "$declared") <(echo "$exported") || true
    exit 1
  fi
  echo "exported_symbols: $(echo "$exported" | wc -l) C functions, as declared"
fi
