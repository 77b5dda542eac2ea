// SPDX-License-Identifier: GPL-2.0-or-later
// The minimal C++ embedding: index a folder, search it.
// usage: consumer CORPUS_DIR INDEX_DIR
#include <clinsearch/index_writer.h>
#include <clinsearch/searcher.h>

#include <iostream>

int main(int argc, char** argv) {
  if (argc != 3) return 2;
  auto writer = clinsearch::IndexWriter::Open(argv[2]);
  if (!writer.ok()) return std::cerr << writer.status().message() << "\n", 1;
  if (!writer->AddPath(argv[1]).ok() || !writer->Commit().ok()) return 1;
  auto searcher = clinsearch::Searcher::Open(argv[2]);
  if (!searcher.ok()) return std::cerr << searcher.status().message() << "\n", 1;
  auto response = searcher->Search("freeze tumor");
  if (!response.ok() || response->hits.empty()) return std::cerr << "no results\n", 1;
  const clinsearch::Hit& top = response->hits.front();
  std::cout << top.rank << ". " << top.title << "\n";
  return top.passage.find("ryoablation") != std::string::npos ? 0 : 1;
}
