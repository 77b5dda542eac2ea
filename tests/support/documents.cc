// SPDX-License-Identifier: GPL-2.0-or-later
#include "tests/support/documents.h"

namespace clinsearch::testing_support {

Document MakeDocument(const std::string& id, const std::string& title,
                      const std::vector<std::string>& section_texts) {
  Document d;
  d.id = id;
  d.title = title;
  for (size_t i = 0; i < section_texts.size(); ++i) {
    d.sections.push_back({"Part " + std::to_string(i + 1), section_texts[i]});
  }
  return d;
}

std::string Paragraph(const std::string& word) {
  std::string p = "This section talks about " + word + " in some detail.";
  for (int i = 0; i < 6; ++i) {
    p += " Patients with spinal tumors ask how treatment works and how long recovery takes.";
  }
  return p;
}

SearchOptions Literal() {
  SearchOptions o;
  o.spelling = false;
  return o;
}

}  // namespace clinsearch::testing_support
