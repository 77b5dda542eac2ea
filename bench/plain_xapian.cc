// SPDX-License-Identifier: GPL-2.0-or-later
// The floor a clinsearch result is compared with: plain xapian-core with
// default settings. One Xapian document per input document, TermGenerator
// and QueryParser with the English stemmer, BM25 defaults. Input documents
// come from clinsearch's readers so both engines see the same text.
//
//   plain_xapian index DB PATH...
//   plain_xapian search DB --limit K --batch FILE     (ID<TAB>QUERY lines)
//   plain_xapian latency DB FILE      (QUERY lines: prints p50_ms p99_ms)
// Search output: JSON lines {"id", "query", "results": [{"rank", "doc_id",
// "title", "section", "passage"}]}, "passage" being the whole document.
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "indexer/readers.h"

namespace {

int Index(const std::string& db_path, int argc, char** argv) {
  Xapian::WritableDatabase db(db_path, Xapian::DB_CREATE_OR_OVERWRITE);
  Xapian::TermGenerator tg;
  tg.set_stemmer(Xapian::Stem("english"));
  size_t docs = 0;
  for (int i = 0; i < argc; ++i) {
    clinsearch::ReadPath(
        argv[i],
        [&](clinsearch::Document&& d) {
          std::string text = d.title;
          for (const auto& s : d.sections) text += "\n" + s.heading + "\n" + s.text;
          Xapian::Document doc;
          tg.set_document(doc);
          tg.index_text(text);
          doc.set_data(nlohmann::json{{"doc_id", d.id}, {"title", d.title}, {"text", text}}.dump(
              -1, ' ', false, nlohmann::json::error_handler_t::replace));
          doc.add_boolean_term("Q" + d.id.substr(0, 200));
          db.replace_document("Q" + d.id.substr(0, 200), doc);
          ++docs;
        },
        [](const std::string& problem) { std::cerr << problem << "\n"; });
  }
  db.commit();
  std::cerr << "plain_xapian: indexed " << docs << " documents\n";
  return 0;
}

int Search(const std::string& db_path, size_t limit, const std::string& batch) {
  Xapian::Database db(db_path);
  Xapian::QueryParser qp;
  qp.set_database(db);
  qp.set_stemmer(Xapian::Stem("english"));
  qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  std::ifstream in(batch);
  size_t n = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    ++n;
    std::string id = std::to_string(n), query = line;
    if (auto tab = line.find('\t'); tab != std::string::npos) {
      id = line.substr(0, tab);
      query = line.substr(tab + 1);
    }
    nlohmann::json out{{"id", id}, {"query", query}, {"results", nlohmann::json::array()}};
    try {
      Xapian::Enquire enquire(db);
      enquire.set_query(qp.parse_query(query));
      Xapian::MSet mset = enquire.get_mset(0, static_cast<Xapian::doccount>(limit));
      int rank = 0;
      for (auto it = mset.begin(); it != mset.end(); ++it) {
        auto data = nlohmann::json::parse(it.get_document().get_data());
        out["results"].push_back({{"rank", ++rank},
                                  {"score", it.get_weight()},
                                  {"doc_id", data["doc_id"]},
                                  {"title", data["title"]},
                                  {"section", ""},
                                  {"passage", data["text"]}});
      }
    } catch (const Xapian::Error& e) {
      out["error"] = e.get_msg();
    }
    std::cout << out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  }
  return 0;
}

// Per-query time (parse, top 10, read each hit's data) over 5 passes of
// the list after one warm-up pass; prints "p50_ms p99_ms".
int Latency(const std::string& db_path, const std::string& file) {
  Xapian::Database db(db_path);
  Xapian::QueryParser qp;
  qp.set_database(db);
  qp.set_stemmer(Xapian::Stem("english"));
  qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  std::vector<std::string> queries;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) queries.push_back(line);
  }
  std::vector<double> ms;
  size_t bytes = 0;
  for (int pass = 0; pass < 6; ++pass) {
    for (const std::string& q : queries) {
      const auto t0 = std::chrono::steady_clock::now();
      try {
        Xapian::Enquire enquire(db);
        enquire.set_query(qp.parse_query(q));
        Xapian::MSet mset = enquire.get_mset(0, 10);
        for (auto it = mset.begin(); it != mset.end(); ++it)
          bytes += it.get_document().get_data().size();
      } catch (const Xapian::QueryParserError&) {
        // timed like any other query: what a user of the parser would see
      }
      const double t =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      if (pass > 0) ms.push_back(t);
    }
  }
  if (ms.empty()) return 1;
  std::sort(ms.begin(), ms.end());
  std::cout << ms[ms.size() / 2] << " " << ms[std::min(ms.size() - 1, ms.size() * 99 / 100)]
            << "\n";
  return bytes > 0 ? 0 : 1;
}

}  // namespace

int Run(int argc, char** argv) {
  if (argc >= 4 && std::strcmp(argv[1], "index") == 0) return Index(argv[2], argc - 3, argv + 3);
  if (argc >= 7 && std::strcmp(argv[1], "search") == 0 && std::strcmp(argv[3], "--limit") == 0 &&
      std::strcmp(argv[5], "--batch") == 0) {
    return Search(argv[2], std::stoul(argv[4]), argv[6]);
  }
  if (argc == 4 && std::strcmp(argv[1], "latency") == 0) return Latency(argv[2], argv[3]);
  std::cerr
      << "usage: plain_xapian index DB PATH... | plain_xapian search DB --limit K --batch FILE"
         " | plain_xapian latency DB FILE\n";
  return 2;
}

int main(int argc, char** argv) {
  try {
    return Run(argc, argv);
  } catch (const Xapian::Error& e) {
    std::cerr << "plain_xapian: " << e.get_description() << "\n";
  } catch (const std::exception& e) {
    std::cerr << "plain_xapian: " << e.what() << "\n";
  }
  return 1;
}
