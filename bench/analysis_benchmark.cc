// SPDX-License-Identifier: GPL-2.0-or-later
// Analyzer, concept tagging and passage splitting throughput on a
// patient-education style paragraph (words/s in the report).
#include <benchmark/benchmark.h>

#include <cstdlib>

#include "analysis/analyzer.h"
#include "analysis/dictionary.h"
#include "indexer/passage_splitter.h"
#include "storage/stored_tokens.h"

namespace {

const char* kParagraph =
    "Radiofrequency ablation (RFA) and cryoablation destroy tumor tissue through a thin "
    "probe. Non-steroidal anti-inflammatory drugs such as ibuprofen or naproxen, and "
    "opioids for a short time, may ease pain. Bone-strengthening medicines such as "
    "bisphosphonates and RANKL inhibitors (denosumab, sold as Xgeva) lower the risk of "
    "skeletal-related events. Stereotactic body radiation therapy (SBRT) sends many "
    "precise beams at the tumor from different angles. ";

std::string Text(int repeat) {
  std::string s;
  for (int i = 0; i < repeat; ++i) s += kParagraph;
  return s;
}

void BM_Analyze(benchmark::State& state) {
  clinsearch::Analyzer analyzer;
  const std::string text = Text(static_cast<int>(state.range(0)));
  size_t tokens = 0;
  for (auto _ : state) tokens += analyzer.Analyze(text).size();
  state.counters["tokens/s"] =
      benchmark::Counter(static_cast<double>(tokens), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Analyze)->Arg(1)->Arg(20);

// Reading a passage's tokens back from the index (what the searcher does
// per hit instead of BM_Analyze).
void BM_DecodeStoredTokens(benchmark::State& state) {
  clinsearch::Analyzer analyzer;
  const std::string text = Text(static_cast<int>(state.range(0)));
  const auto tokens = analyzer.Analyze(text);
  const std::string stored = clinsearch::EncodeStoredTokens({{text, &tokens}});
  std::vector<clinsearch::Token> out;
  size_t decoded = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(clinsearch::DecodeStoredTokens(stored, {{text, &out}}));
    decoded += out.size();
  }
  state.counters["tokens/s"] =
      benchmark::Counter(static_cast<double>(decoded), benchmark::Counter::kIsRate);
  state.counters["bytes/token"] =
      static_cast<double>(stored.size()) / static_cast<double>(tokens.size());
}
BENCHMARK(BM_DecodeStoredTokens)->Arg(1)->Arg(20);

void BM_TagConcepts(benchmark::State& state) {
  clinsearch::Analyzer analyzer;
  clinsearch::Dictionary dict;
  if (!dict.LoadPath(CLINSEARCH_SOURCE_DIR "/synonyms").ok()) std::abort();
  dict.Compile(analyzer);
  const auto tokens = analyzer.Analyze(Text(20));
  size_t matches = 0;
  for (auto _ : state) matches += dict.Match(tokens, false).size();
  state.counters["tokens/s"] = benchmark::Counter(
      static_cast<double>(tokens.size()) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
}
BENCHMARK(BM_TagConcepts);

void BM_SplitPassages(benchmark::State& state) {
  clinsearch::Document doc;
  doc.id = "bench";
  std::string text;
  for (int i = 0; i < 40; ++i) text += std::string(kParagraph) + "\n\n";
  doc.sections.push_back({"Heading", text});
  for (auto _ : state) benchmark::DoNotOptimize(clinsearch::SplitPassages(doc));
}
BENCHMARK(BM_SplitPassages);

}  // namespace

BENCHMARK_MAIN();
