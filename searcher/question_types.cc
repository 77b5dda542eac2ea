// SPDX-License-Identifier: GPL-2.0-or-later
#include "searcher/question_types.h"

#include <algorithm>

namespace clinsearch {
namespace {

// Cues are words or two-word phrases as people write them; heading words
// as patient-education pages title their sections. Both are stemmed with
// the Analyzer at first use, so they follow its rules.
struct Rule {
  std::string_view name;
  std::vector<std::string_view> cues;
  std::vector<std::string_view> headings;
};

const std::vector<Rule>& Rules() {
  static const std::vector<Rule> kRules = {
      {"treatment",
       {"treat", "treatment", "treatments", "cure", "cured", "therapy", "remedy", "remedies",
        "manage", "management", "get rid"},
       {"treatments", "treatment", "therapy", "management"}},
      {"symptoms", {"symptom", "symptoms", "signs", "sign of"}, {"symptoms", "signs"}},
      {"causes", {"cause", "causes", "caused", "causing", "why", "reason", "trigger"}, {"causes"}},
      {"diagnosis",
       {"diagnose", "diagnosed", "diagnosis", "detect", "detected", "test", "tested", "testing",
        "scan", "screening"},
       {"diagnose", "diagnosis", "tests", "exams"}},
      {"prevention", {"prevent", "prevention", "avoid", "protect"}, {"prevent", "prevention"}},
      {"inheritance",
       {"inherit", "inherited", "hereditary", "genetic", "genetically", "passed down", "pass down",
        "runs in"},
       {"inherited", "genetic"}},
      {"outlook",
       {"prognosis", "outlook", "life expectancy", "survival", "survive", "fatal", "get worse",
        "progress"},
       {"outlook", "prognosis"}},
      {"risk", {"risk", "risks", "at risk", "susceptible", "chance"}, {"risk"}},
      {"frequency", {"how many", "how common", "prevalence"}, {"affected", "many"}},
      {"side effects",
       {"side effect", "side effects", "reaction", "adverse", "make me", "cause me"},
       {"side effects", "effects"}},
      {"dosage",
       {"dose", "dosage", "how much", "how often", "mg", "take it", "missed", "forget",
        "stop taking", "stop using"},
       {"dosage", "used", "dose", "forget"}},
      {"storage",
       {"store", "storage", "expired", "expire", "dispose", "disposal"},
       {"storage", "disposal"}},
      {"precautions",
       {"interact", "interaction", "together with", "pregnant", "pregnancy", "breastfeeding",
        "alcohol", "precaution", "safe"},
       {"precautions", "special", "interactions"}},
      {"complications", {"complication", "complications"}, {"complications"}},
  };
  return kRules;
}

struct Compiled {
  std::string_view name;
  std::vector<std::vector<std::string>> cues;  // each a sequence of stems
  std::vector<std::string> headings;
};

std::vector<Compiled> Compile(const Analyzer& analyzer) {
  std::vector<Compiled> out;
  auto stems = [&](std::string_view text) {
    std::vector<std::string> s;
    for (const Token& t : analyzer.Analyze(text)) {
      if (!t.compound) s.push_back(t.term);
    }
    return s;
  };
  for (const Rule& r : Rules()) {
    Compiled c{r.name, {}, {}};
    for (auto cue : r.cues) c.cues.push_back(stems(cue));
    for (auto h : r.headings) {
      for (std::string& s : stems(h)) {
        if (std::find(c.headings.begin(), c.headings.end(), s) == c.headings.end())
          c.headings.push_back(s);
      }
    }
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace

std::vector<QuestionType> DetectQuestionTypes(const Analyzer& analyzer,
                                              const std::vector<Token>& tokens) {
  // Compiled once per thread and analyzer version (queries are a hot path;
  // a thread-local copy needs no locking).
  thread_local std::string compiled_for;
  thread_local std::vector<Compiled> rules;
  if (const std::string print = analyzer.Fingerprint(); print != compiled_for) {
    rules = Compile(analyzer);
    compiled_for = print;
  }
  std::vector<std::string> stems;
  for (const Token& t : tokens) {
    if (!t.compound) stems.push_back(t.term);
  }
  std::vector<QuestionType> found;
  for (const Compiled& r : rules) {
    bool hit = false;
    for (const auto& cue : r.cues) {
      if (cue.empty() || cue.size() > stems.size()) continue;
      for (size_t i = 0; i + cue.size() <= stems.size() && !hit; ++i) {
        hit = std::equal(cue.begin(), cue.end(), stems.begin() + static_cast<long>(i));
      }
      if (hit) break;
    }
    if (hit) found.push_back({r.name, r.headings});
  }
  return found;
}

}  // namespace clinsearch
