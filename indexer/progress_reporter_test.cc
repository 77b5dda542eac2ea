// SPDX-License-Identifier: GPL-2.0-or-later
#include "indexer/progress_reporter.h"

#include <gtest/gtest.h>

#include <chrono>
#include <vector>

#include "tests/support/temp_dir.h"

namespace clinsearch {
namespace {

using testing_support::TempDir;
using testing_support::WriteFile;

TEST(ProgressReporterTest, ReportsEveryDocumentWithAZeroInterval) {
  TempDir dir;
  WriteFile(dir / "a.txt", "0123456789");
  std::vector<IndexProgress> seen;
  const ProgressReporter::Callback callback = [&](const IndexProgress& p) { seen.push_back(p); };
  ProgressReporter progress(dir.path(), callback, std::chrono::milliseconds(0));
  *progress.bytes_done() += 4;
  progress.DocumentRead();
  progress.DocumentRead();
  progress.Done();
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].path, dir.path());
  EXPECT_EQ(seen[0].documents, 1u);
  EXPECT_EQ(seen[0].bytes_done, 4u);
  EXPECT_EQ(seen[0].bytes_total, 10u);
  EXPECT_FALSE(seen[0].done);
  EXPECT_EQ(seen[1].documents, 2u);
  EXPECT_TRUE(seen[2].done);
  EXPECT_EQ(seen[2].documents, 2u);
  EXPECT_EQ(seen[2].bytes_done, 10u);  // done: every byte counts as read
  EXPECT_GE(seen[2].seconds, seen[0].seconds);
}

TEST(ProgressReporterTest, ThrottlesToTheIntervalButAlwaysReportsDone) {
  TempDir dir;
  std::vector<IndexProgress> seen;
  const ProgressReporter::Callback callback = [&](const IndexProgress& p) { seen.push_back(p); };
  ProgressReporter progress(dir.path(), callback, std::chrono::hours(1));
  for (int i = 0; i < 100; ++i) progress.DocumentRead();
  EXPECT_TRUE(seen.empty());
  progress.Done();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_TRUE(seen[0].done);
  EXPECT_EQ(seen[0].documents, 100u);
}

TEST(ProgressReporterTest, WithoutACallbackOnlyCounts) {
  const ProgressReporter::Callback none;
  ProgressReporter progress("/no/such/path", none, std::chrono::milliseconds(0));
  *progress.bytes_done() += 7;
  progress.DocumentRead();
  progress.Done();
  EXPECT_EQ(*progress.bytes_done(), 7u);
}

}  // namespace
}  // namespace clinsearch
