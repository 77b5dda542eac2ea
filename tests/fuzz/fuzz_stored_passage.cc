// SPDX-License-Identifier: GPL-2.0-or-later
// libFuzzer target: reading a passage back from index bytes, as the
// searcher does for every hit: the LZ4-compressed passage value (or, with
// the first byte odd, the document data of an older index) and the stored
// tokens inside it. Bytes from a damaged index must be refused, never read
// out of bounds; what is accepted must fit the texts it claims to describe.
#include <xapian.h>

#include <cstdint>
#include <string>
#include <vector>

#include "storage/passage_record.h"
#include "storage/schema.h"
#include "storage/stored_tokens.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

void CheckInside(const std::vector<clinsearch::Token>& tokens, const std::string& text) {
  for (const clinsearch::Token& t : tokens) FUZZ_CHECK(t.begin <= t.end && t.end <= text.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool quiet = clinsearch::fuzz::QuietLogs();
  (void)quiet;
  if (size == 0) return 0;
  const std::string bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  Xapian::Document doc;
  if (data[0] & 1) {
    doc.set_data(bytes);
  } else {
    doc.add_value(clinsearch::kPassageSlot, bytes);
  }
  clinsearch::PassageRecord record;
  std::string stored;
  if (!clinsearch::ReadPassage(doc, &record, &stored)) return 0;
  std::vector<clinsearch::Token> body, title, section;
  if (!clinsearch::DecodeStoredTokens(stored,
                                      {{record.text, &body, clinsearch::kBodyBase},
                                       {record.title, &title, clinsearch::kTitleBase},
                                       {record.heading, &section, clinsearch::kHeadingBase}}))
    return 0;
  CheckInside(body, record.text);
  CheckInside(title, record.title);
  CheckInside(section, record.heading);
  return 0;
}
