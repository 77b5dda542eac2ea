// SPDX-License-Identifier: GPL-2.0-or-later
#include "indexer/readers.h"

#include <cmark.h>
#include <gumbo.h>
#include <simdjson.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/strings.h"
#include "base/utf8.h"

namespace clinsearch {
namespace {

namespace fs = std::filesystem;

std::string StemOfPath(const std::string& id) { return fs::path(id).stem().string(); }

// Builds sections from a stream of headings and blocks.
class DocumentBuilder {
 public:
  explicit DocumentBuilder(const std::string& id) { doc_.id = id; }
  void Title(std::string t) {
    if (doc_.title.empty()) doc_.title = Squeeze(t);
  }
  bool HasTitle() const { return !doc_.title.empty(); }
  void Heading(std::string h) { doc_.sections.push_back({Squeeze(h), ""}); }
  void Paragraph(std::string_view p) { Add(Squeeze(p), false); }
  void Bullet(std::string_view b) { Add(Squeeze(b), true); }
  Document Finish() {
    std::erase_if(doc_.sections, [](const Section& s) { return s.text.empty(); });
    if (doc_.title.empty()) doc_.title = StemOfPath(doc_.id);
    return std::move(doc_);
  }

 private:
  void Add(std::string text, bool bullet) {
    if (text.empty()) return;
    if (doc_.sections.empty()) doc_.sections.push_back({"", ""});
    std::string& t = doc_.sections.back().text;
    if (!t.empty()) t += (bullet && last_bullet_) ? "\n" : "\n\n";
    t += bullet ? "- " + text : text;
    last_bullet_ = bullet;
  }
  Document doc_;
  bool last_bullet_ = false;
};

// A heading has a few words, at least one of them starting with a letter.
bool CountWordsForHeading(const std::string& line) {
  size_t words = 0;
  bool in_word = false, letter = false;
  for (unsigned char c : line) {
    const bool space = c == ' ' || c == '\t';
    if (!space && !in_word) {
      ++words;
      letter |= std::isalpha(c) != 0;
    }
    in_word = !space;
  }
  return words >= 1 && words <= 10 && letter;
}

bool EndsSentence(const std::string& line) {
  const char c = line.back();
  return c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?';
}

// --- Markdown ---------------------------------------------------------------

// Text of the inline content below `node` (iterative: nesting can be deep).
std::string InlineText(cmark_node* node) {
  std::string out;
  cmark_iter* it = cmark_iter_new(node);
  for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
    if (ev != CMARK_EVENT_ENTER) continue;
    cmark_node* n = cmark_iter_get_node(it);
    switch (cmark_node_get_type(n)) {
      case CMARK_NODE_TEXT:
      case CMARK_NODE_CODE:
        out += cmark_node_get_literal(n);
        break;
      case CMARK_NODE_SOFTBREAK:
      case CMARK_NODE_LINEBREAK:
        out += ' ';
        break;
      default:
        break;
    }
  }
  cmark_iter_free(it);
  return out;
}

// Walks the block structure with cmark's iterator (no recursion: a file of
// 200,000 '>' must not overflow the stack).
void MarkdownBlocks(cmark_node* root, DocumentBuilder& b) {
  int list_depth = 0;
  cmark_iter* it = cmark_iter_new(root);
  for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
    cmark_node* n = cmark_iter_get_node(it);
    const cmark_node_type type = cmark_node_get_type(n);
    if (type == CMARK_NODE_LIST) {
      list_depth += ev == CMARK_EVENT_ENTER ? 1 : -1;
      continue;
    }
    if (ev != CMARK_EVENT_ENTER) continue;
    switch (type) {
      case CMARK_NODE_HEADING: {
        const std::string text = InlineText(n);
        if (cmark_node_get_heading_level(n) == 1 && !b.HasTitle())
          b.Title(text);
        else
          b.Heading(text);
        cmark_iter_reset(it, n, CMARK_EVENT_EXIT);  // inline content done
        break;
      }
      case CMARK_NODE_PARAGRAPH: {
        const std::string text = InlineText(n);
        if (list_depth > 0)
          b.Bullet(text);
        else
          b.Paragraph(text);
        cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
        break;
      }
      case CMARK_NODE_CODE_BLOCK:
        b.Paragraph(cmark_node_get_literal(n) ? cmark_node_get_literal(n) : "");
        break;
      default:
        break;  // containers are walked into; thematic breaks, raw HTML skipped
    }
  }
  cmark_iter_free(it);
}

// --- HTML -------------------------------------------------------------------

bool IsBlock(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_P:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_MAIN:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_TD:
    case GUMBO_TAG_TH:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_BR:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_BODY:
    case GUMBO_TAG_LI:
      return true;
    default:
      return false;
  }
}

bool IsHeading(GumboTag tag) { return tag >= GUMBO_TAG_H1 && tag <= GUMBO_TAG_H6; }

bool IsDropped(GumboTag tag) {
  return tag == GUMBO_TAG_SCRIPT || tag == GUMBO_TAG_STYLE || tag == GUMBO_TAG_NOSCRIPT ||
         tag == GUMBO_TAG_TEMPLATE || tag == GUMBO_TAG_HEAD || tag == GUMBO_TAG_IFRAME ||
         tag == GUMBO_TAG_SVG;
}

// Text below `node`, without recursion (documents may nest very deeply).
std::string GumboText(const GumboNode* root) {
  std::string out;
  std::vector<const GumboNode*> stack{root};
  while (!stack.empty()) {
    const GumboNode* n = stack.back();
    stack.pop_back();
    if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE ||
        n->type == GUMBO_NODE_CDATA) {
      out += n->v.text.text;
    } else if (n->type == GUMBO_NODE_ELEMENT && !IsDropped(n->v.element.tag)) {
      if (IsBlock(n->v.element.tag)) out += ' ';
      const GumboVector& ch = n->v.element.children;
      for (unsigned i = ch.length; i > 0; --i)
        stack.push_back(static_cast<GumboNode*>(ch.data[i - 1]));
    }
  }
  return out;
}

const GumboNode* FindTag(const GumboNode* root, GumboTag tag) {
  std::vector<const GumboNode*> stack{root};
  while (!stack.empty()) {
    const GumboNode* n = stack.back();
    stack.pop_back();
    if (n->type != GUMBO_NODE_ELEMENT) continue;
    if (n->v.element.tag == tag) return n;
    const GumboVector& ch = n->v.element.children;
    for (unsigned i = ch.length; i > 0; --i)
      stack.push_back(static_cast<GumboNode*>(ch.data[i - 1]));
  }
  return nullptr;
}

bool IsVoidTag(std::string_view name) {
  static constexpr std::string_view kVoid[] = {"area",   "base",  "br",    "col",  "embed",
                                               "hr",     "img",   "input", "link", "meta",
                                               "source", "track", "wbr"};
  for (auto v : kVoid) {
    if (name == v) return true;
  }
  return false;
}

}  // namespace

std::string LimitHtmlDepth(std::string_view html, size_t max_depth, size_t* deepest) {
  // A light tag scanner: enough to see nesting, not a parser.
  struct Open {
    bool kept;
  };
  std::vector<Open> stack;
  size_t depth_kept = 0, most = 0;
  std::string out;
  bool changed = false;
  size_t copied = 0;  // html[copied, i) still to copy
  for (size_t i = 0; i < html.size();) {
    if (html[i] != '<') {
      ++i;
      continue;
    }
    if (html.compare(i, 4, "<!--") == 0) {
      const size_t end = html.find("-->", i + 4);
      i = end == std::string_view::npos ? html.size() : end + 3;
      continue;
    }
    const size_t close = html.find('>', i + 1);
    if (close == std::string_view::npos) break;
    const bool closing = i + 1 < html.size() && html[i + 1] == '/';
    size_t n = i + (closing ? 2 : 1);
    std::string name;
    while (n < close && std::isalnum(static_cast<unsigned char>(html[n]))) {
      name += static_cast<char>(std::tolower(static_cast<unsigned char>(html[n])));
      ++n;
    }
    const bool self_closing = html[close - 1] == '/';
    if (name.empty() || IsVoidTag(name) || (self_closing && !closing)) {
      i = close + 1;
      continue;
    }
    bool drop = false;
    if (!closing) {
      drop = depth_kept >= max_depth;
      stack.push_back({!drop});
      if (!drop) most = std::max(most, ++depth_kept);
    } else if (!stack.empty()) {
      drop = !stack.back().kept;
      if (!drop) --depth_kept;
      stack.pop_back();
    }
    if (drop) {
      out.append(html.substr(copied, i - copied));
      out += ' ';
      copied = close + 1;
      changed = true;
    }
    i = close + 1;
    if (!closing && (name == "script" || name == "style")) {  // raw text: skip to its end tag
      const std::string end_tag = "</" + name;
      size_t end = i;
      while (end < html.size() && LowerAscii(html.substr(end, end_tag.size())) != end_tag) {
        end = html.find('<', end + 1);
        if (end == std::string_view::npos) end = html.size();
      }
      i = end;
    }
  }
  if (deepest) *deepest = most + (changed ? 1 : 0);
  if (!changed) return {};
  out.append(html.substr(copied));
  return out;
}

Document ParseText(std::string_view content, const std::string& id) {
  std::vector<std::string> lines;
  std::vector<bool> indented;
  {
    std::istringstream in{std::string(content)};
    for (std::string l; std::getline(in, l);) {
      indented.push_back(!l.empty() && (l[0] == ' ' || l[0] == '\t'));
      lines.push_back(Trim(l));
    }
  }
  DocumentBuilder b(id);
  size_t i = 0;
  while (i < lines.size() && lines[i].empty()) ++i;
  if (i < lines.size() && lines[i].size() <= 120 && !EndsSentence(lines[i]) &&
      (i + 1 >= lines.size() || lines[i + 1].empty())) {
    b.Title(lines[i++]);
  }
  // A heading candidate: a short line of its own between blank lines, not
  // indented, without closing punctuation. Of two candidates in a row only
  // the second is a heading (the first is usually a "See ..." cross-link).
  std::vector<bool> candidate(lines.size(), false);
  for (size_t k = i; k < lines.size(); ++k) {
    const std::string& l = lines[k];
    candidate[k] = !l.empty() && !indented[k] && (k == 0 || lines[k - 1].empty()) &&
                   (k + 1 >= lines.size() || lines[k + 1].empty()) && l.size() <= 80 &&
                   !EndsSentence(l) && CountWordsForHeading(l);
  }
  auto next_is_candidate = [&](size_t k) {
    for (++k; k < lines.size(); ++k) {
      if (!lines[k].empty()) return static_cast<bool>(candidate[k]);
    }
    return true;  // a last line is no heading
  };
  std::string para;
  auto flush = [&] {
    if (!para.empty()) b.Paragraph(para);
    para.clear();
  };
  for (; i < lines.size(); ++i) {
    const std::string& l = lines[i];
    if (l.empty()) {
      flush();
      continue;
    }
    std::string item = l;
    if (StripBulletMarker(item)) {
      flush();
      b.Bullet(item);
    } else if (candidate[i] && !next_is_candidate(i)) {
      flush();
      b.Heading(l);
    } else {
      if (!para.empty()) para += ' ';
      para += l;
    }
  }
  flush();
  return b.Finish();
}

Document ParseMarkdown(std::string_view content, const std::string& id) {
  DocumentBuilder b(id);
  cmark_node* root = cmark_parse_document(content.data(), content.size(), CMARK_OPT_DEFAULT);
  if (root) {
    MarkdownBlocks(root, b);
    cmark_node_free(root);
  }
  return b.Finish();
}

Document ParseHtml(std::string_view input, const std::string& id) {
  DocumentBuilder b(id);
  // gumbo's tree building is quadratic in nesting depth: flatten the
  // pathological part first (the text is kept).
  const std::string flattened = LimitHtmlDepth(input, kMaxHtmlDepth);
  const std::string_view content = flattened.empty() ? input : std::string_view(flattened);
  GumboOutput* out =
      gumbo_parse_with_options(&kGumboDefaultOptions, content.data(), content.size());
  if (const GumboNode* title = FindTag(out->root, GUMBO_TAG_TITLE)) b.Title(GumboText(title));
  // Walk the body in document order, without recursion. A block element
  // closes the running paragraph; list items become bullets.
  std::string para;
  bool para_bullet = false;
  auto flush = [&] {
    if (!Trim(para).empty()) {
      if (para_bullet)
        b.Bullet(para);
      else
        b.Paragraph(para);
    }
    para.clear();
    para_bullet = false;
  };
  struct Frame {
    const GumboNode* node;
    bool exit;  // true: leaving the element
  };
  std::vector<Frame> stack{{out->root, false}};
  while (!stack.empty()) {
    const Frame f = stack.back();
    stack.pop_back();
    const GumboNode* n = f.node;
    if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_CDATA ||
        n->type == GUMBO_NODE_WHITESPACE) {
      para += n->v.text.text;
      continue;
    }
    if (n->type != GUMBO_NODE_ELEMENT && n->type != GUMBO_NODE_DOCUMENT) continue;
    const GumboTag tag = n->type == GUMBO_NODE_ELEMENT ? n->v.element.tag : GUMBO_TAG_HTML;
    if (IsDropped(tag) || tag == GUMBO_TAG_TITLE) continue;
    if (f.exit) {
      if (IsBlock(tag)) flush();
      continue;
    }
    if (IsHeading(tag)) {
      flush();
      const std::string text = GumboText(n);
      if (tag == GUMBO_TAG_H1 && !b.HasTitle())
        b.Title(text);
      else if (!Trim(text).empty())
        b.Heading(text);
      continue;
    }
    if (IsBlock(tag)) {
      flush();
      if (tag == GUMBO_TAG_LI) para_bullet = true;
    }
    stack.push_back({n, true});
    const GumboVector& ch =
        n->type == GUMBO_NODE_DOCUMENT ? n->v.document.children : n->v.element.children;
    for (unsigned i = ch.length; i > 0; --i)
      stack.push_back({static_cast<GumboNode*>(ch.data[i - 1]), false});
  }
  flush();
  gumbo_destroy_output(&kGumboDefaultOptions, out);
  return b.Finish();
}

void ReadJsonl(std::istream& in, const std::string& name, const DocumentSink& sink,
               const ProblemSink& problem, uint64_t* bytes_read) {
  // simdjson parses a line several times faster than a DOM of std::maps;
  // the parser keeps its buffers from one line to the next.
  simdjson::dom::parser parser;
  std::string line;
  size_t line_no = 0;
  auto where = [&] { return name + ":" + std::to_string(line_no) + ": "; };
  // A string member of `object`, or "" when missing or not a string.
  auto str = [](simdjson::dom::element object, std::string_view key) {
    std::string_view value;
    return object[key].get(value) == simdjson::SUCCESS ? std::string(value) : std::string();
  };
  while (std::getline(in, line)) {
    ++line_no;
    // (the last line may have no newline after it)
    if (bytes_read) *bytes_read += line.size() + (in.eof() ? 0 : 1);
    if (line.find_first_not_of(" \t\r\n") == std::string::npos) continue;
    if (RepairUtf8(line) > 0) problem(where() + "invalid UTF-8 replaced with U+FFFD");
    simdjson::dom::element j;
    if (const auto error = parser.parse(line).get(j); error != simdjson::SUCCESS) {
      problem(where() + "not valid JSON (" + simdjson::error_message(error) + "); line skipped");
      continue;
    }
    if (!j.is_object()) {
      problem(where() + "not a JSON object; line skipped");
      continue;
    }
    Document doc;
    doc.id = str(j, "id");
    if (doc.id.empty()) {
      problem(where() + "missing \"id\"; line skipped");
      continue;
    }
    doc.title = str(j, "title");
    doc.url = str(j, "url");
    doc.source = str(j, "source");
    simdjson::dom::array sections;
    if (j["sections"].get(sections) == simdjson::SUCCESS) {
      for (simdjson::dom::element s : sections) {
        if (!s.is_object()) continue;
        Section sec;
        sec.heading = Squeeze(str(s, "heading"));
        sec.text = str(s, "text");
        doc.sections.push_back(std::move(sec));
      }
    } else if (std::string text = str(j, "text"); !text.empty()) {
      doc.sections.push_back({str(j, "heading"), std::move(text)});
    }
    sink(std::move(doc));
  }
}

bool IsSupportedFile(const std::string& path) {
  std::string ext = fs::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return ext == ".txt" || ext == ".md" || ext == ".markdown" || ext == ".html" || ext == ".htm" ||
         ext == ".jsonl";
}

namespace {

std::string ErrnoText(int error) {
  return std::error_code(error, std::generic_category()).message();
}

// Whether a failure to examine a directory entry means it is simply not
// there (a dangling or looping symbolic link is skipped, as before).
bool IsAbsence(const std::error_code& ec) {
  return ec == std::errc::no_such_file_or_directory || ec == std::errc::not_a_directory ||
         ec == std::errc::too_many_symbolic_link_levels;
}

// Adds the supported files below `root` to `files`. Folders are walked
// with an explicit stack; symbolic links to folders are not followed. A
// folder that cannot be listed, or an entry that cannot be examined, is a
// read error: its documents would otherwise go missing without a word.
void ListFolder(const fs::path& root, std::vector<std::string>* files,
                const ProblemSink& read_error) {
  std::vector<fs::path> pending{root};
  while (!pending.empty()) {
    const fs::path folder = std::move(pending.back());
    pending.pop_back();
    std::error_code ec;
    fs::directory_iterator it(folder, ec);
    for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
      std::error_code entry_ec;
      if (fs::is_directory(it->symlink_status(entry_ec))) {
        pending.push_back(it->path());
      } else if (it->is_regular_file(entry_ec)) {
        if (IsSupportedFile(it->path().string())) files->push_back(it->path().string());
      } else if (entry_ec && !IsAbsence(entry_ec)) {
        read_error(it->path().string() + ": cannot examine (" + entry_ec.message() + ")");
      }
    }
    if (ec) {
      read_error(folder.string() + ": cannot read folder (" + ec.message() +
                 "); its documents are missing");
    }
  }
}

}  // namespace

bool ListInputFiles(const std::string& path, std::vector<std::string>* files,
                    const ProblemSink& read_error) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return false;
    read_error(path + ": cannot examine (" + ErrnoText(errno) + ")");
    return true;
  }
  if (S_ISDIR(st.st_mode)) {
    ListFolder(path, files, read_error);
    std::sort(files->begin(), files->end());
  } else {
    files->push_back(path);
  }
  return true;
}

uint64_t InputBytes(const std::string& path) {
  std::vector<std::string> files;
  ListInputFiles(path, &files, [](const std::string&) {});
  uint64_t total = 0;
  for (const std::string& f : files) {
    std::error_code ec;
    const auto size = fs::file_size(f, ec);
    if (!ec) total += size;
  }
  return total;
}

namespace {

std::string LowerExtension(const std::string& file) {
  std::string ext = fs::path(file).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return ext;
}

// Reads one file whole and parses it by its extension.
void ReadDocumentFile(std::ifstream& in, const std::string& file, const std::string& ext,
                      const ReadSinks& sinks) {
  std::stringstream buf;
  buf << in.rdbuf();
  if (in.bad()) {
    sinks.read_error(file + ": read failed (" + ErrnoText(errno) + "); skipped");
    return;
  }
  std::string content = buf.str();
  if (sinks.bytes_read) *sinks.bytes_read += content.size();
  size_t first_bad = 0;
  if (RepairUtf8(content, &first_bad) > 0) {
    sinks.problem(file + ":" + std::to_string(LineOf(content, first_bad)) +
                  ": invalid UTF-8 replaced with U+FFFD");
  }
  const std::string id = sinks.file_id ? sinks.file_id(file) : file;
  if (ext == ".md" || ext == ".markdown")
    sinks.document(ParseMarkdown(content, id));
  else if (ext == ".html" || ext == ".htm")
    sinks.document(ParseHtml(content, id));
  else if (ext == ".txt")
    sinks.document(ParseText(content, id));
  else
    sinks.problem(file + ": unsupported file type (expected .txt .md .html .jsonl); skipped");
}

}  // namespace

bool ReadPath(const std::string& path, const ReadSinks& sinks) {
  std::vector<std::string> files;
  if (!ListInputFiles(path, &files, sinks.read_error)) return false;
  for (const std::string& file : files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      sinks.read_error(file + ": cannot read file (" + ErrnoText(errno) + "); skipped");
      continue;
    }
    const std::string ext = LowerExtension(file);
    if (ext != ".jsonl") {
      ReadDocumentFile(in, file, ext, sinks);
      continue;
    }
    ReadJsonl(in, file, sinks.document, sinks.problem, sinks.bytes_read);
    // A JSONL file cut short by an I/O error would look like a shorter
    // export: a read error, not the end of the input.
    if (in.bad()) sinks.read_error(file + ": read failed (" + ErrnoText(errno) + ")");
  }
  return true;
}

bool ReadPath(const std::string& path, const DocumentSink& sink, const ProblemSink& problem,
              uint64_t* bytes_read) {
  ReadSinks sinks;
  sinks.document = sink;
  sinks.problem = problem;
  sinks.read_error = problem;
  sinks.bytes_read = bytes_read;
  return ReadPath(path, sinks);
}

}  // namespace clinsearch
