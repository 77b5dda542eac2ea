// SPDX-License-Identifier: GPL-2.0-or-later
// A portal service's view of clinsearch: index documents built in memory,
// then search them. Usage: embed_search INDEX_DIR [QUERY]
#include <clinsearch/index_writer.h>
#include <clinsearch/searcher.h>

#include <iostream>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: embed_search INDEX_DIR [QUERY]\n";
    return 2;
  }
  const std::string db = argv[1];
  const std::string query = argc > 2 ? argv[2] : "freeze tumor";

  {  // Index one document the service already holds in memory.
    auto writer = clinsearch::IndexWriter::Open(db);
    if (!writer.ok()) {
      std::cerr << writer.status().ToString() << "\n";
      return 1;
    }
    clinsearch::Document doc;
    doc.id = "portal/ablation-1";
    doc.title = "Ablation for spinal tumors";
    doc.sections.push_back({"Cryoablation",
                            "Cryoablation destroys tumor cells by cooling them with a very cold "
                            "gas delivered through a thin probe."});
    doc.sections.push_back(
        {"Radiofrequency ablation", "Radiofrequency ablation heats the tumor through a needle."});
    if (auto s = writer->AddDocument(doc); !s.ok()) std::cerr << s.ToString() << "\n";
    if (auto s = writer->Commit(); !s.ok()) {
      std::cerr << s.ToString() << "\n";
      return 1;
    }
  }

  auto searcher = clinsearch::Searcher::Open(db);
  if (!searcher.ok()) {
    std::cerr << searcher.status().ToString() << "\n";
    return 1;
  }
  auto response = searcher->Search(query);
  if (!response.ok()) {
    std::cerr << response.status().ToString() << "\n";
    return 1;
  }
  for (const clinsearch::Hit& hit : response->hits) {
    std::cout << hit.rank << ". " << hit.title << " / " << hit.heading << "\n   " << hit.snippet
              << "\n";
    for (const std::string& why : hit.matched) std::cout << "   matched: " << why << "\n";
  }
  return response->hits.empty() ? 1 : 0;
}
