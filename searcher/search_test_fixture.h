// SPDX-License-Identifier: GPL-2.0-or-later
// Test support shared by the searcher's unit tests: a small on-disk Xapian
// index whose terms (and spelling table) come from the real Analyzer, and an
// inline dictionary compiled against it. The in-memory backend has no
// spelling table, hence a temporary folder, removed on destruction.
#ifndef CLINSEARCH_SEARCHER_SEARCH_TEST_FIXTURE_H_
#define CLINSEARCH_SEARCHER_SEARCH_TEST_FIXTURE_H_

#include <gtest/gtest.h>
#include <xapian.h>

#include <string>
#include <vector>

#include "analysis/analyzer.h"
#include "analysis/dictionary.h"
#include "tests/support/temp_dir.h"

namespace clinsearch {

class SearchTestFixture {
 public:
  SearchTestFixture(const char* dictionary_text, const std::vector<const char*>& passages) {
    std::vector<std::string> problems;
    dictionary_.Parse(dictionary_text, "inline.syn", &problems);
    EXPECT_TRUE(problems.empty()) << (problems.empty() ? "" : problems.front());
    dictionary_.Compile(analyzer_);
    Xapian::WritableDatabase wdb(dir_.path(), Xapian::DB_CREATE_OR_OVERWRITE);
    for (const char* text : passages) {
      Xapian::Document doc;
      for (const Token& t : analyzer_.Analyze(text)) {
        doc.add_posting(t.term, t.position);
        if (!t.acronym.empty()) doc.add_posting(t.acronym, t.position);
        if (t.alphabetic && !t.compound) wdb.add_spelling(t.word);
      }
      wdb.add_document(doc);
    }
    wdb.commit();
    wdb.close();
    db_ = Xapian::Database(dir_.path());
  }
  ~SearchTestFixture() { db_.close(); }  // before dir_ removes its files
  SearchTestFixture(const SearchTestFixture&) = delete;
  SearchTestFixture& operator=(const SearchTestFixture&) = delete;

  Analyzer& analyzer() { return analyzer_; }
  Dictionary& dictionary() { return dictionary_; }
  Xapian::Database& db() { return db_; }

 private:
  Analyzer analyzer_;
  Dictionary dictionary_;
  testing_support::TempDir dir_;
  Xapian::Database db_;
};

}  // namespace clinsearch

#endif  // CLINSEARCH_SEARCHER_SEARCH_TEST_FIXTURE_H_
