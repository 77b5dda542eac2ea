// SPDX-License-Identifier: GPL-2.0-or-later
// Writes seed inputs for fuzz_stored_passage: the stored value of the first
// passages of each file given, as the indexer encodes them (first byte 0:
// the value slot), and one record as an older index kept it (first byte 1:
// document data). scripts/fuzz.sh runs it before fuzzing.
//
//   make_stored_seeds OUT_DIR FILE...
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "analysis/analyzer.h"
#include "indexer/passage_splitter.h"
#include "indexer/readers.h"
#include "storage/passage_record.h"
#include "storage/schema.h"
#include "storage/stored_tokens.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: make_stored_seeds OUT_DIR FILE...\n";
    return 2;
  }
  const std::string out = argv[1];
  const clinsearch::Analyzer analyzer;
  int written = 0;
  for (int i = 2; i < argc; ++i) {
    const std::string path = argv[i];
    std::ifstream in(path, std::ios::binary);
    std::stringstream content;
    content << in.rdbuf();
    const std::string ext = path.substr(path.rfind('.') + 1);
    const clinsearch::Document doc = ext == "md" ? clinsearch::ParseMarkdown(content.str(), path)
                                     : ext == "html" ? clinsearch::ParseHtml(content.str(), path)
                                                     : clinsearch::ParseText(content.str(), path);
    const std::vector<clinsearch::Passage> passages = clinsearch::SplitPassages(doc);
    for (size_t p = 0; p < passages.size() && p < 2; ++p) {
      const clinsearch::PassageRecord record{doc.id, doc.title, passages[p].heading,
                                             "seed", "",        passages[p].text};
      const auto body = analyzer.Analyze(record.text, clinsearch::kBodyBase);
      const auto title = analyzer.Analyze(record.title, clinsearch::kTitleBase);
      const auto section = analyzer.Analyze(record.heading, clinsearch::kHeadingBase);
      const std::string tokens =
          clinsearch::EncodeStoredTokens({{record.text, &body, clinsearch::kBodyBase},
                                          {record.title, &title, clinsearch::kTitleBase},
                                          {record.heading, &section, clinsearch::kHeadingBase}});
      std::ofstream(out + "/value-" + std::to_string(written++), std::ios::binary)
          << '\0' << clinsearch::EncodePassageValue(record, tokens);
      if (written == 1) {
        std::ofstream(out + "/record-0", std::ios::binary)
            << '\1' << clinsearch::EncodeRecord(record);
      }
    }
  }
  std::cout << "make_stored_seeds: " << written << " values in " << out << "\n";
  return written > 0 ? 0 : 1;
}
