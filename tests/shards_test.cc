// SPDX-License-Identifier: GPL-2.0-or-later
// Sharded indexes: an index built as 2 or 4 shards, searched
// through local stubs and through xapian-tcpsrv processes on 127.0.0.1,
// ranks exactly as one local index of the same documents (same passages,
// same scores, same spelling corrections and suggestions); an incremental
// run rewrites only the shards whose documents changed; a shard that stops
// answering fails searches with a clear error until it is back; a stub that
// lists the wrong number of shards is refused.
//
// The corpus is corpus/ plus the first 3,000 MedQuAD documents when
// ../shared is present; the queries are both lay-query sets and, when
// present, the LiveQA development questions. xapian-tcpsrv comes from
// Debian's xapian-tools (scripts/install-deps.sh installs it); the remote
// tests skip, saying so, where it is missing.
#include <gtest/gtest.h>
#include <xapian.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "clinsearch/index_writer.h"
#include "clinsearch/searcher.h"
#include "storage/index_folder.h"
#include "tests/support/logs.h"
#include "tests/support/tcp_server.h"
#include "tests/support/temp_dir.h"
#include "tests/support/text.h"

namespace clinsearch {
namespace {

namespace fs = std::filesystem;
using testing_support::Contains;
using testing_support::HaveTcpServer;
using testing_support::QuietLogs;
using testing_support::TcpServer;
using testing_support::TempDir;

const std::string kMedQuAD = CLINSEARCH_SOURCE_DIR "/../shared/corpus/medquad.jsonl";
const std::string kLiveQA = CLINSEARCH_SOURCE_DIR "/../shared/eval/liveqa-dev/queries.tsv";

// What a query's answer is made of, for comparing two indexes.
struct Answer {
  std::string corrected;
  std::vector<std::string> hits;  // "doc id | section | passage", in rank order
  std::vector<double> scores;
};

// Scores agree to within 0.1%. Equal but for one effect of Xapian 1.4: an
// OP_SYNONYM group's frequency is estimated from the postlists a shard
// holds, so where a member term (a rare concept, a title word) is missing
// from a shard, that shard's documents score slightly differently (0.02%
// at most in this corpus); ranks, passages and corrections are identical.
bool SameScores(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::abs(a[i] - b[i]) > 1e-3 * std::max(std::abs(a[i]), std::abs(b[i]))) return false;
  }
  return true;
}

Answer Ask(Searcher& searcher, const std::string& query) {
  SearchOptions options;
  options.limit = 10;
  Answer answer;
  auto response = searcher.Search(query, options);
  if (!response.ok()) {
    answer.corrected = "error: " + response.status().message();
    return answer;
  }
  answer.corrected = response->corrected.value_or("");
  for (const Hit& hit : response->hits) {
    answer.hits.push_back(hit.doc_id + " | " + hit.heading + " | " + hit.passage);
    answer.scores.push_back(hit.score);
  }
  return answer;
}

std::vector<std::string> Queries() {
  std::vector<std::string> out;
  for (const char* file : {"/tests/lay_queries.tsv", "/tests/lay_queries_holdout.tsv"}) {
    std::ifstream in(std::string(CLINSEARCH_SOURCE_DIR) + file);
    for (std::string line; std::getline(in, line);) {
      if (line.empty() || line[0] == '#') continue;
      out.push_back(line.substr(0, line.find('\t')));
    }
  }
  std::ifstream liveqa(kLiveQA);
  for (std::string line; std::getline(liveqa, line);) {
    const size_t tab = line.find('\t');
    if (tab != std::string::npos) out.push_back(line.substr(tab + 1));
  }
  return out;
}

class ShardsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    QuietLogs();
    // corpus/ by a relative path: its documents' ids (their paths) and so
    // their shards are the same in every checkout.
    fs::current_path(CLINSEARCH_SOURCE_DIR);
    input_ = {"corpus"};
    if (fs::exists(kMedQuAD)) {
      std::ifstream in(kMedQuAD);
      std::ofstream out(dir_ / "medquad-slice.jsonl");
      std::string line;
      for (int n = 0; n < 3000 && std::getline(in, line); ++n) out << line << "\n";
      input_.push_back(dir_ / "medquad-slice.jsonl");
    } else {
      std::cout << "note: " << kMedQuAD
                << " not found (needs ../shared); comparing on corpus/ alone\n";
    }
  }

  // Indexes the input into `name` as `shards` shards (0: one database).
  std::string Build(const std::string& name, size_t shards,
                    const std::vector<std::string>& paths = {}) {
    const std::string db = dir_ / name;
    IndexOptions options;
    options.shards = shards;
    auto writer = IndexWriter::Open(db, options);
    EXPECT_TRUE(writer.ok()) << writer.status().message();
    if (!writer.ok()) return db;
    for (const std::string& path : paths.empty() ? input_ : paths)
      EXPECT_TRUE(writer->AddPath(path).ok()) << path;
    EXPECT_TRUE(writer->Commit().ok());
    return db;
  }

  // Rebuilds `db` from `path` alone; `before_commit` runs with the rebuild
  // written but not yet live.
  void Rebuild(const std::string& db, const std::string& path,
               const std::function<void()>& before_commit = {}) {
    IndexOptions options;
    options.rebuild = true;
    options.allow_mass_delete = true;  // the rebuild replaces every document on purpose
    auto writer = IndexWriter::Open(db, options);
    ASSERT_TRUE(writer.ok()) << writer.status().message();
    ASSERT_TRUE(writer->AddPath(path).ok());
    if (before_commit) before_commit();
    ASSERT_TRUE(writer->Commit().ok());
  }

  // A searcher's folder for the shards of `sharded` served by `servers`:
  // a stub of remote lines and a copy of the lexicon.
  std::string RemoteFolder(const std::string& name, const std::string& sharded,
                           const std::vector<std::unique_ptr<TcpServer>>& servers) {
    const std::string folder = dir_ / name;
    fs::create_directories(folder);
    std::ofstream stub(folder + "/XAPIANDB");
    for (const auto& server : servers) stub << "remote 127.0.0.1:" << server->port() << "\n";
    fs::copy(IndexFolder(sharded).Lexicon().path(), IndexFolder(folder).Lexicon().path(),
             fs::copy_options::recursive);
    return folder;
  }

  std::vector<std::unique_ptr<TcpServer>> Serve(const std::string& sharded, size_t shards) {
    std::vector<std::unique_ptr<TcpServer>> servers;
    for (size_t k = 0; k < shards; ++k) {
      servers.push_back(std::make_unique<TcpServer>(IndexFolder(sharded).Shard(k).path()));
      EXPECT_TRUE(servers.back()->Start()) << "xapian-tcpsrv did not start for shard " << k;
    }
    return servers;
  }

  // Every query ranks alike on `reference` and `other`.
  void ExpectSameAnswers(const std::string& reference, const std::string& other) {
    auto one = Searcher::Open(reference);
    auto many = Searcher::Open(other);
    ASSERT_TRUE(one.ok()) << one.status().message();
    ASSERT_TRUE(many.ok()) << many.status().message();
    EXPECT_EQ(one->passage_count(), many->passage_count());
    const std::vector<std::string> queries = Queries();
    ASSERT_GT(queries.size(), 150u);
    size_t differing = 0, with_hits = 0;
    for (const std::string& query : queries) {
      const Answer a = Ask(*one, query), b = Ask(*many, query);
      if (!a.hits.empty()) ++with_hits;
      if (a.corrected != b.corrected || a.hits != b.hits || !SameScores(a.scores, b.scores)) {
        if (++differing <= 3) {
          size_t at = 0;
          while (at < a.hits.size() && at < b.hits.size() && a.hits[at] == b.hits[at]) ++at;
          auto show = [&](const std::vector<std::string>& hits) {
            return at >= hits.size() ? std::string("none") : hits[at].substr(0, 60);
          };
          ADD_FAILURE() << other << " answers '" << query << "' unlike one index: corrected '"
                        << b.corrected << "' vs '" << a.corrected << "'; hit " << at + 1 << ": "
                        << show(b.hits) << " vs " << show(a.hits);
        }
      }
    }
    EXPECT_EQ(differing, 0u) << "of " << queries.size() << " queries";
    EXPECT_GT(with_hits, queries.size() * 9 / 10);
    // Type-ahead reads the lexicon's spelling table and the shards' concepts.
    for (const char* prefix : {"bisph", "radiof", "chemo", "pain m", "xgev", "cryoablaton"}) {
      std::vector<std::string> a, b;
      for (const Suggestion& s : one->Suggest(prefix)) a.push_back(s.text);
      for (const Suggestion& s : many->Suggest(prefix)) b.push_back(s.text);
      EXPECT_EQ(a, b) << prefix;
      EXPECT_FALSE(b.empty()) << prefix;
    }
  }

  TempDir dir_;
  std::vector<std::string> input_;
};

TEST_F(ShardsTest, LocalShardsRankAsOneIndex) {
  const std::string one = Build("one", 0);
  for (size_t shards : {2, 4}) {
    const std::string sharded = Build("local-" + std::to_string(shards), shards);
    ASSERT_TRUE(IndexFolder(sharded).IsSharded());
    EXPECT_EQ(IndexFolder(sharded).StubEntries(), shards);
    auto searcher = Searcher::Open(sharded);
    ASSERT_TRUE(searcher.ok()) << searcher.status().message();
    EXPECT_EQ(searcher->Info().shards, shards);
    // Every shard holds some of the documents.
    for (size_t k = 0; k < shards; ++k)
      EXPECT_GT(Xapian::Database(IndexFolder(sharded).Shard(k).path()).get_doccount(), 0u);
    ExpectSameAnswers(one, sharded);
  }
}

TEST_F(ShardsTest, RemoteShardsRankAsOneIndex) {
  if (!HaveTcpServer())
    GTEST_SKIP() << "xapian-tcpsrv not installed (Debian xapian-tools; scripts/install-deps.sh)";
  const std::string one = Build("one", 0);
  for (size_t shards : {2, 4}) {
    const std::string sharded = Build("local-" + std::to_string(shards), shards);
    auto servers = Serve(sharded, shards);
    const std::string remote = RemoteFolder("remote-" + std::to_string(shards), sharded, servers);
    ExpectSameAnswers(one, remote);
  }
}

TEST_F(ShardsTest, IncrementalRunRewritesOnlyTheChangedShard) {
  const std::vector<std::string> corpus = {"corpus"};
  const std::string sharded = Build("sharded", 4, corpus);
  const std::string one = Build("one", 0, corpus);
  auto revisions = [&] {
    std::vector<Xapian::rev> out;
    for (size_t k = 0; k < 4; ++k)
      out.push_back(Xapian::Database(IndexFolder(sharded).Shard(k).path()).get_revision());
    return out;
  };
  const std::vector<Xapian::rev> before = revisions();
  // Nothing changed: no shard gets a new revision.
  Build("sharded", 0, corpus);
  EXPECT_EQ(revisions(), before);
  // One new document: only its shard (and the lexicon) change.
  Document doc;
  doc.id = "new-document-on-heat-ablation";
  doc.title = "Microwave ablation";
  doc.sections.push_back({"Overview",
                          "Microwave ablation heats a tumor with a needle antenna; unlike "
                          "cryoablation it does not freeze the tissue."});
  for (const std::string& db : {sharded, one}) {
    auto writer = IndexWriter::Open(db);
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE(writer->AddDocument(doc).ok());
    ASSERT_TRUE(writer->Commit().ok());
  }
  const std::vector<Xapian::rev> after = revisions();
  const size_t home = ShardOf(doc.id, 4);
  for (size_t k = 0; k < 4; ++k) {
    if (k == home)
      EXPECT_GT(after[k], before[k]) << "shard " << k;
    else
      EXPECT_EQ(after[k], before[k]) << "shard " << k;
  }
  auto searcher = Searcher::Open(sharded);
  ASSERT_TRUE(searcher.ok());
  auto hits = searcher->Search("microwave ablation antenna");
  ASSERT_TRUE(hits.ok());
  ASSERT_FALSE(hits->hits.empty());
  EXPECT_EQ(hits->hits[0].doc_id, doc.id);
  // Its words reached the lexicon's spelling table.
  auto fixed = searcher->Search("microwave antena");
  ASSERT_TRUE(fixed.ok());
  EXPECT_EQ(fixed->corrected.value_or(""), "microwave antenna");
  // And the shards still rank as one index.
  auto reference = Searcher::Open(one);
  ASSERT_TRUE(reference.ok());
  for (const char* query : {"microwave ablation", "freeze tumor", "bisphosphonates"}) {
    EXPECT_EQ(Ask(*searcher, query).hits, Ask(*reference, query).hits) << query;
  }
  // Pruning finds the documents of every shard.
  {
    auto writer = IndexWriter::Open(sharded);
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE(writer->AddPath("corpus").ok());
    ASSERT_TRUE(writer->Prune().ok());
    ASSERT_TRUE(writer->Commit().ok());
    EXPECT_EQ(writer->stats().deleted, 1u);
  }
  ASSERT_TRUE(searcher->Reopen().ok());
  EXPECT_TRUE(searcher->Passages(doc.id).status().code() == Status::Code::kNotFound);
}

TEST_F(ShardsTest, RebuildSwitchesEveryShardAndSearchersFollow) {
  const std::vector<std::string> corpus = {"corpus"};
  const std::string sharded = Build("sharded", 2, corpus);
  auto searcher = Searcher::Open(sharded);
  ASSERT_TRUE(searcher.ok());
  const size_t passages = searcher->passage_count();
  const int generation = searcher->Info().generation;
  Rebuild(sharded, "corpus/metastatic-spinal-tumors-nonsurgical.md", [&] {
    // Until the rebuild commits, searchers answer from the old generations.
    ASSERT_TRUE(searcher->Reopen().ok());
    EXPECT_EQ(searcher->passage_count(), passages);
  });
  ASSERT_TRUE(searcher->Reopen().ok());
  EXPECT_LT(searcher->passage_count(), passages);
  EXPECT_EQ(searcher->Info().generation, generation + 1);
  for (size_t k = 0; k < 2; ++k) EXPECT_EQ(IndexFolder(sharded).Shard(k).LiveGeneration(), 2);
  auto hits = searcher->Search("cryoablation");
  ASSERT_TRUE(hits.ok());
  ASSERT_FALSE(hits->hits.empty());
  EXPECT_TRUE(Contains(hits->hits[0].doc_id, "metastatic-spinal-tumors"));
}

TEST_F(ShardsTest, ShardThatStopsAnsweringFailsSearchesUntilItIsBack) {
  if (!HaveTcpServer())
    GTEST_SKIP() << "xapian-tcpsrv not installed (Debian xapian-tools; scripts/install-deps.sh)";
  const std::string sharded = Build("sharded", 2, {"corpus"});
  auto servers = Serve(sharded, 2);
  const std::string remote = RemoteFolder("remote", sharded, servers);
  auto searcher = Searcher::Open(remote);
  ASSERT_TRUE(searcher.ok()) << searcher.status().message();
  const Answer healthy = Ask(*searcher, "freeze tumor");
  ASSERT_FALSE(healthy.hits.empty());
  const int port = servers[1]->port();
  servers[1]->Stop();
  // No partial answers: the search fails and says why.
  auto failed = searcher->Search("freeze tumor");
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().code(), Status::Code::kIoError);
  EXPECT_TRUE(Contains(failed.status().message(), "remote shard")) << failed.status().message();
  auto closed = Searcher::Open(remote);
  ASSERT_FALSE(closed.ok());
  EXPECT_EQ(closed.status().code(), Status::Code::kIoError) << closed.status().message();
  // Back on the same port: the same searcher answers again, as before.
  servers[1] = std::make_unique<TcpServer>(IndexFolder(sharded).Shard(1).path());
  ASSERT_TRUE(servers[1]->Start(port));
  EXPECT_TRUE(searcher->Reopen().ok());  // connects again rather than fail
  EXPECT_EQ(Ask(*searcher, "freeze tumor").hits, healthy.hits);
}

// Pages of a ranking full of equal scores (the same passage in many
// documents) neither repeat nor skip a hit, and are the same on shards.
TEST_F(ShardsTest, PagesThroughTiesNeitherRepeatNorSkip) {
  fs::create_directories(dir_ / "dups");
  for (int n = 0; n < 40; ++n) {
    std::ofstream out(dir_ / ("dups/copy-" + std::to_string(n) + ".md"));
    out << "# Cryoablation leaflet\n\nCryoablation freezes a small tumor with a thin probe; copy "
        << (n % 3 ? "" : "x") << "\n";
  }
  const std::vector<std::string> input = {"corpus", dir_ / "dups"};
  const std::string one = Build("one", 0, input);
  const std::string four = Build("four", 4, input);
  for (const std::string& db : {one, four}) {
    auto searcher = Searcher::Open(db);
    ASSERT_TRUE(searcher.ok());
    SearchOptions all;
    all.limit = 100;
    auto whole = searcher->Search("cryoablation freezes tumor probe", all);
    ASSERT_TRUE(whole.ok());
    ASSERT_GE(whole->hits.size(), 45u);
    std::vector<std::string> paged;
    for (size_t offset = 0; offset < whole->hits.size(); offset += 7) {
      SearchOptions page;
      page.offset = offset;
      page.limit = 7;
      auto got = searcher->Search("cryoablation freezes tumor probe", page);
      ASSERT_TRUE(got.ok());
      for (const Hit& hit : got->hits) paged.push_back(hit.doc_id + "|" + hit.passage);
    }
    std::vector<std::string> expected;
    for (const Hit& hit : whole->hits) expected.push_back(hit.doc_id + "|" + hit.passage);
    EXPECT_EQ(paged, expected) << db;
  }
  auto a = Searcher::Open(one);
  auto b = Searcher::Open(four);
  ASSERT_TRUE(a.ok() && b.ok());
  for (size_t offset : {0, 5, 30}) {
    SearchOptions page;
    page.offset = offset;
    page.limit = 10;
    auto x = a->Search("cryoablation freezes tumor probe", page);
    auto y = b->Search("cryoablation freezes tumor probe", page);
    ASSERT_TRUE(x.ok() && y.ok());
    ASSERT_EQ(x->hits.size(), y->hits.size());
    for (size_t i = 0; i < x->hits.size(); ++i) {
      EXPECT_EQ(x->hits[i].doc_id, y->hits[i].doc_id) << offset << " " << i;
      EXPECT_NEAR(x->hits[i].score, y->hits[i].score, 1e-3 * x->hits[i].score);
    }
  }
}

// A shard host rebuilds its shards and the searcher host receives the new
// lexicon: a searcher connected to the old generations moves to the new.
TEST_F(ShardsTest, RemoteSearchersFollowARebuild) {
  if (!HaveTcpServer())
    GTEST_SKIP() << "xapian-tcpsrv not installed (Debian xapian-tools; scripts/install-deps.sh)";
  const std::string sharded = Build("sharded", 2, {"corpus"});
  auto servers = Serve(sharded, 2);
  const std::string remote = RemoteFolder("remote", sharded, servers);
  auto searcher = Searcher::Open(remote);
  ASSERT_TRUE(searcher.ok()) << searcher.status().message();
  const size_t before = searcher->passage_count();
  Rebuild(sharded, "corpus/metastatic-spinal-tumors-nonsurgical.md");
  // The lexicon travels to the searcher host (scripts/replica.sh, or a copy).
  fs::remove_all(IndexFolder(remote).Lexicon().path());
  fs::copy(IndexFolder(sharded).Lexicon().path(), IndexFolder(remote).Lexicon().path(),
           fs::copy_options::recursive);
  ASSERT_TRUE(searcher->Reopen().ok());
  EXPECT_LT(searcher->passage_count(), before);
  auto reference = Searcher::Open(sharded);
  ASSERT_TRUE(reference.ok());
  EXPECT_EQ(searcher->passage_count(), reference->passage_count());
  EXPECT_EQ(Ask(*searcher, "freeze tumor").hits, Ask(*reference, "freeze tumor").hits);
}

TEST_F(ShardsTest, WrongShardCountsAreRefused) {
  const std::vector<std::string> corpus = {"corpus/metastatic-spinal-tumors-nonsurgical.md"};
  const std::string sharded = Build("sharded", 3, corpus);
  // A stub that forgets a shard would silently lose its documents.
  {
    std::ofstream stub(sharded + "/XAPIANDB", std::ios::trunc);
    stub << "auto shard-0\nauto shard-1\n";
  }
  auto searcher = Searcher::Open(sharded);
  ASSERT_FALSE(searcher.ok());
  EXPECT_EQ(searcher.status().code(), Status::Code::kInvalidArgument);
  EXPECT_TRUE(Contains(searcher.status().message(), "3 shards")) << searcher.status().message();
  ASSERT_TRUE(IndexFolder(sharded).WriteShardStub(3).ok());
  EXPECT_TRUE(Searcher::Open(sharded).ok());
  // The number of shards is fixed when the index is made.
  IndexOptions four;
  four.shards = 4;
  auto writer = IndexWriter::Open(sharded, four);
  ASSERT_FALSE(writer.ok());
  EXPECT_TRUE(Contains(writer.status().message(), "has 3 shards")) << writer.status().message();
  // A plain index is not sharded in place.
  const std::string plain = Build("plain", 0, corpus);
  auto resharded = IndexWriter::Open(plain, four);
  ASSERT_FALSE(resharded.ok());
  EXPECT_TRUE(Contains(resharded.status().message(), "not sharded"))
      << resharded.status().message();
  EXPECT_TRUE(Searcher::Open(plain).ok());
}

}  // namespace
}  // namespace clinsearch
