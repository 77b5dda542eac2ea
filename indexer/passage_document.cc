// SPDX-License-Identifier: GPL-2.0-or-later
#include "indexer/passage_document.h"

#include <cstdint>
#include <utility>

#include "base/coding.h"
#include "base/strings.h"
#include "indexer/passage_splitter.h"
#include "storage/passage_record.h"
#include "storage/stored_tokens.h"

namespace clinsearch {

namespace {

// The analysis of one passage and of the title and heading it carries.
struct PassageTokens {
  const std::vector<Token>& title;
  const std::vector<Token>& heading;
  const std::vector<Token>& body;
};

// Adds the postings of the tokens before position `end`, with wdf
// `weight`; counts their spelling words into `spelling` when given.
void AddTokens(Xapian::Document& xd, const std::vector<Token>& tokens, unsigned weight,
               Xapian::termpos end, SpellingCounts* spelling) {
  for (const Token& t : tokens) {
    if (t.position >= end) break;
    xd.add_posting(t.term, t.position, weight);
    if (!t.acronym.empty()) xd.add_posting(t.acronym, t.position, weight);
    if (spelling && IsSpellingWord(t)) ++(*spelling)[t.word];
  }
}

// The field copy of a title or heading: prefix + term, no positions, for
// the tokens before position `end` (those AddTokens indexed).
void AddField(Xapian::Document& xd, const std::vector<Token>& tokens, std::string_view prefix,
              Xapian::termpos end) {
  for (const Token& t : tokens) {
    if (t.position >= end) break;
    xd.add_term(std::string(prefix) + t.MatchTerm());
  }
}

// Concept terms for the concepts `tokens` name; with `title_prefix`, also
// that prefix + id (concepts of the title).
void AddConcepts(Xapian::Document& xd, const Dictionary& dictionary,
                 const std::vector<Token>& tokens, std::string_view title_prefix = {}) {
  for (const DictionaryMatch& m : dictionary.Match(tokens, /*include_lay=*/false)) {
    const Concept& c = dictionary.concepts()[m.concept_id];
    xd.add_term(c.ConceptTerm());
    if (!title_prefix.empty()) xd.add_term(std::string(title_prefix) + c.id);
    for (uint32_t a : c.ancestors) xd.add_term(dictionary.concepts()[a].MemberTerm());
  }
}

// The terms a query matches: the words of every field, the title and
// heading again as field terms, and the concepts they name.
void AddWordTerms(Xapian::Document& xd, const PassageTokens& tokens, const Dictionary& dictionary,
                  const IndexOptions& options, SpellingCounts* spelling) {
  AddTokens(xd, tokens.title, options.title_weight, FieldEnd(kTitleBase), nullptr);
  AddTokens(xd, tokens.heading, options.heading_weight, FieldEnd(kHeadingBase), nullptr);
  AddTokens(xd, tokens.body, 1, Xapian::termpos(-1), spelling);
  AddField(xd, tokens.title, kTitlePrefix, FieldEnd(kTitleBase));
  AddField(xd, tokens.heading, kHeadingPrefix, FieldEnd(kHeadingBase));
  AddConcepts(xd, dictionary, tokens.title, kTitleConceptPrefix);
  AddConcepts(xd, dictionary, tokens.heading);
  AddConcepts(xd, dictionary, tokens.body);
}

// The boolean terms that select passages: their document, its version
// (`version`: on the first passage only, null on the others), its source.
void AddDocumentTerms(Xapian::Document& xd, const Document& doc, const std::string& doc_term,
                      const std::string* version) {
  xd.add_boolean_term(doc_term);
  if (version) xd.add_boolean_term(*version);
  if (!doc.source.empty()) xd.add_boolean_term(IdTerm(kSourcePrefix, LowerAscii(doc.source)));
}

// The values: the document's collapse key and source, and the stored
// passage with its analysis (so a hit is shown without analysing it again).
void AddValues(Xapian::Document& xd, const Document& doc, const Passage& p,
               const PassageTokens& tokens) {
  xd.add_value(kDocIdSlot, CollapseKey(doc.id));
  xd.add_value(kSourceSlot, doc.source);
  // Stored in a value slot, not the document data: Xapian compresses the
  // data with zlib, which costs at indexing and again at every hit.
  xd.add_value(kPassageSlot, EncodePassageValue(
                                 {doc.id, doc.title, p.heading, doc.source, doc.url, p.text},
                                 EncodeStoredTokens({{p.text, &tokens.body, kBodyBase},
                                                     {doc.title, &tokens.title, kTitleBase},
                                                     {p.heading, &tokens.heading, kHeadingBase}})));
}

}  // namespace

bool IsSpellingWord(const Token& t) { return t.alphabetic && !t.compound && t.word.size() >= 2; }

std::string VersionTerm(const Document& doc, std::string_view analysis_fingerprint) {
  uint64_t h = Fnv1a(analysis_fingerprint);
  // FNV-1a streams: hashing the pieces in turn equals hashing them joined.
  for (const std::string* f : {&doc.title, &doc.url, &doc.source}) h = Fnv1a("\x1f", Fnv1a(*f, h));
  for (const Section& sec : doc.sections) {
    h = Fnv1a("\x1d", Fnv1a(sec.text, Fnv1a("\x1e", Fnv1a(sec.heading, h))));
  }
  return IdTerm(std::string(kVersionPrefix) + Hex64(h), doc.id);
}

PreparedDocument PrepareDocument(const Document& doc, std::string version, const Analyzer& analyzer,
                                 const Dictionary& dictionary, const IndexOptions& options) {
  PreparedDocument out;
  out.id = doc.id;
  out.version = std::move(version);
  const std::vector<Passage> passages = SplitPassages(doc, options.passages);
  const std::string doc_term = IdTerm(kDocIdPrefix, doc.id);
  const std::vector<Token> title = analyzer.Analyze(doc.title, kTitleBase);
  std::vector<Token> heading;
  int heading_section = -1;  // the section index `heading` is the analysis of
  for (size_t n = 0; n < passages.size(); ++n) {
    const Passage& p = passages[n];
    if (p.section_index != heading_section) {
      heading = analyzer.Analyze(p.heading, kHeadingBase);
      heading_section = p.section_index;
    }
    const std::vector<Token> body = analyzer.Analyze(p.text, kBodyBase);
    if (options.mine_synonyms) out.mined.Scan(p.text, doc.title);
    const PassageTokens tokens{title, heading, body};
    Xapian::Document xd;
    AddWordTerms(xd, tokens, dictionary, options, &out.spelling);
    AddDocumentTerms(xd, doc, doc_term, n == 0 ? &out.version : nullptr);
    AddValues(xd, doc, p, tokens);
    out.passages.push_back(std::move(xd));
  }
  return out;
}

}  // namespace clinsearch
