// SPDX-License-Identifier: GPL-2.0-or-later
#include "analysis/word_lists.h"

#include <fstream>
#include <mutex>
#include <sstream>
#include <unordered_map>

#include "base/log.h"

namespace clinsearch {
namespace {

// Snowball's English stopword list.
constexpr const char* kStopwords[] = {
    "i",       "me",      "my",     "myself",   "we",         "our",      "ours",    "ourselves",
    "you",     "your",    "yours",  "yourself", "yourselves", "he",       "him",     "his",
    "himself", "she",     "her",    "hers",     "herself",    "it",       "its",     "itself",
    "they",    "them",    "their",  "theirs",   "themselves", "what",     "which",   "who",
    "whom",    "this",    "that",   "these",    "those",      "am",       "is",      "are",
    "was",     "were",    "be",     "been",     "being",      "have",     "has",     "had",
    "having",  "do",      "does",   "did",      "doing",      "would",    "should",  "could",
    "ought",   "im",      "youre",  "hes",      "shes",       "its",      "were",    "theyre",
    "ive",     "youve",   "weve",   "theyve",   "id",         "youd",     "hed",     "shed",
    "wed",     "theyd",   "ill",    "youll",    "hell",       "shell",    "well",    "theyll",
    "isnt",    "arent",   "wasnt",  "werent",   "hasnt",      "havent",   "hadnt",   "doesnt",
    "dont",    "didnt",   "wont",   "wouldnt",  "shant",      "shouldnt", "cant",    "cannot",
    "couldnt", "mustnt",  "lets",   "thats",    "whos",       "whats",    "heres",   "theres",
    "whens",   "wheres",  "whys",   "hows",     "a",          "an",       "the",     "and",
    "but",     "if",      "or",     "because",  "as",         "until",    "while",   "of",
    "at",      "by",      "for",    "with",     "about",      "against",  "between", "into",
    "through", "during",  "before", "after",    "above",      "below",    "to",      "from",
    "up",      "down",    "in",     "out",      "on",         "off",      "over",    "under",
    "again",   "further", "then",   "once",     "here",       "there",    "when",    "where",
    "why",     "how",     "all",    "any",      "both",       "each",     "few",     "more",
    "most",    "other",   "some",   "such",     "no",         "nor",      "not",     "only",
    "own",     "same",    "so",     "than",     "too",        "very",     "can",     "will",
    "just",    "also",    "may",    "might",    "must",       "shall"};

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

bool IsLowercaseAscii(std::string_view w) {
  if (w.empty()) return false;
  for (char c : w) {
    if (c < 'a' || c > 'z') return false;
  }
  return true;
}

std::shared_ptr<const WordLists> LoadWordLists(const std::string& path,
                                               const std::string& medical) {
  auto lists = std::make_shared<WordLists>();
  for (const char* w : kStopwords) lists->stopwords.insert(w);
  // Only plain lower-case words: proper nouns and possessives are no help.
  lists->common.Load(ReadAll(path),
                     [](std::string_view w) { return w.size() >= 2 && IsLowercaseAscii(w); });
  lists->medical.Load(ReadAll(medical),
                      [](std::string_view w) { return w.size() >= 3 && IsLowercaseAscii(w); });
  lists->common_count = lists->common.size();
  for (const std::string& w : lists->stopwords) lists->common_count += !lists->common.Contains(w);
  if (lists->common.size() == 0) {
    Log()->debug("common word list {} not found or empty; acronyms use stopwords only", path);
  }
  return lists;
}

}  // namespace

std::shared_ptr<const WordLists> SharedWordLists(const std::string& common_words_path,
                                                 const std::string& medical_words_path) {
  static std::mutex mu;
  static std::unordered_map<std::string, std::shared_ptr<const WordLists>> cache;
  std::lock_guard<std::mutex> lock(mu);
  auto& lists = cache[common_words_path + '\n' + medical_words_path];
  if (!lists) lists = LoadWordLists(common_words_path, medical_words_path);
  return lists;
}

}  // namespace clinsearch
