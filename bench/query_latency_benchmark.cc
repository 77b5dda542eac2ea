// SPDX-License-Identifier: GPL-2.0-or-later
// Query latency on a real index: Google Benchmark over short queries.
//
//   bench/query_latency.sh            # builds the MedQuAD index, then runs this
//   build/bench/query_latency_benchmark --db DIR [--queries FILE] [benchmark flags]
//
// BM_ShortQuery: mean time per query, cycling through the query list (lines
// "QUERY" or the first column of tests/lay_queries.tsv), library defaults.
// BM_ServedQuery: the same, as the HTTP API's /search runs it (one passage
// per document, the server's time limit) and with its JSON: what one
// request costs the server beyond HTTP; BM_ServedQueryList serves every
// query once, for bench/served_cost.sh to count. BM_QueryPercentiles times every
// query once per iteration and reports p50/p99 in counters.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "clinsearch/format.h"
#include "clinsearch/searcher.h"

namespace {

std::string g_db;
std::vector<std::string> g_queries;

clinsearch::Searcher& TheSearcher() {
  static auto searcher = clinsearch::Searcher::Open(g_db);
  if (!searcher.ok()) {
    std::cerr << searcher.status().ToString() << "\n";
    std::exit(1);
  }
  return *searcher;
}

void BM_ShortQuery(benchmark::State& state) {
  auto& searcher = TheSearcher();
  size_t i = 0, hits = 0;
  for (auto _ : state) {
    auto r = searcher.Search(g_queries[i++ % g_queries.size()]);
    if (r.ok()) hits += r->hits.size();
    benchmark::DoNotOptimize(hits);
  }
  state.counters["queries"] = static_cast<double>(g_queries.size());
}
BENCHMARK(BM_ShortQuery)->Unit(benchmark::kMillisecond);

// One query as /search answers it: one passage per document and the
// server's time limit (server/http_protocol.cc, ServerOptions), then JSON.
// Returns the answer's size.
size_t Serve(clinsearch::Searcher& searcher, const std::string& query) {
  clinsearch::SearchOptions options;
  options.per_document = 1;
  options.time_limit_ms = 500;
  auto r = searcher.Search(query, options);
  return r.ok() ? clinsearch::FormatJson(*r).size() : 0;
}

void BM_ServedQuery(benchmark::State& state) {
  auto& searcher = TheSearcher();
  size_t i = 0, bytes = 0;
  for (auto _ : state) {
    bytes += Serve(searcher, g_queries[i++ % g_queries.size()]);
    benchmark::DoNotOptimize(bytes);
  }
  state.counters["queries"] = static_cast<double>(g_queries.size());
}
BENCHMARK(BM_ServedQuery)->Unit(benchmark::kMillisecond);

// Every query once, as served: a fixed amount of work, whose instructions
// bench/served_cost.sh counts (this VM's timings drift by 10-30%, an
// instruction count does not).
// ServeAll is the function counted: not inlined, so that callgrind sees it.
[[gnu::noinline]] size_t ServeAll(clinsearch::Searcher& searcher) {
  size_t bytes = 0;
  for (const auto& q : g_queries) bytes += Serve(searcher, q);
  return bytes;
}

void BM_ServedQueryList(benchmark::State& state) {
  auto& searcher = TheSearcher();
  for (const auto& q : g_queries) Serve(searcher, q);  // warm, outside the count
  size_t bytes = 0;
  for (auto _ : state) bytes += ServeAll(searcher);
  benchmark::DoNotOptimize(bytes);
  state.counters["queries"] = static_cast<double>(g_queries.size());
}
BENCHMARK(BM_ServedQueryList)->Unit(benchmark::kMillisecond)->Iterations(1);

void BM_QueryPercentiles(benchmark::State& state) {
  auto& searcher = TheSearcher();
  std::vector<double> ms;
  for (auto _ : state) {
    for (const auto& q : g_queries) {
      const auto t0 = std::chrono::steady_clock::now();
      auto r = searcher.Search(q);
      benchmark::DoNotOptimize(r);
      ms.push_back(
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
  }
  std::sort(ms.begin(), ms.end());
  state.counters["p50_ms"] = ms[ms.size() / 2];
  state.counters["p99_ms"] = ms[std::min(ms.size() - 1, ms.size() * 99 / 100)];
  state.counters["max_ms"] = ms.back();
}
BENCHMARK(BM_QueryPercentiles)->Unit(benchmark::kMillisecond)->Iterations(5);

}  // namespace

int main(int argc, char** argv) {
  std::string queries_file = CLINSEARCH_SOURCE_DIR "/tests/lay_queries.tsv";
  std::vector<char*> rest;
  for (int i = 0; i < argc; ++i) {
    if (std::strcmp(argv[i], "--db") == 0 && i + 1 < argc)
      g_db = argv[++i];
    else if (std::strcmp(argv[i], "--queries") == 0 && i + 1 < argc)
      queries_file = argv[++i];
    else
      rest.push_back(argv[i]);
  }
  if (g_db.empty()) {
    std::cerr << "usage: query_latency_benchmark --db INDEX [--queries FILE] [benchmark flags]\n";
    return 2;
  }
  std::ifstream in(queries_file);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    g_queries.push_back(line.substr(0, line.find('\t')));
  }
  if (g_queries.empty()) {
    std::cerr << queries_file << ": no queries\n";
    return 2;
  }
  int n = static_cast<int>(rest.size());
  benchmark::Initialize(&n, rest.data());
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
