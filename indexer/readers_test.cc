// SPDX-License-Identifier: GPL-2.0-or-later
// Unit tests for indexer/readers.h: the text, Markdown, HTML and JSON Lines
// readers and ReadPath.
#include "indexer/readers.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace clinsearch {
namespace {

namespace fs = std::filesystem;

// "heading|text" per section, for compact comparisons.
std::vector<std::string> Sections(const Document& doc) {
  std::vector<std::string> out;
  for (const Section& s : doc.sections) out.push_back(s.heading + "|" + s.text);
  return out;
}

bool AnyContains(const Document& doc, const std::string& needle) {
  if (doc.title.find(needle) != std::string::npos) return true;
  for (const Section& s : doc.sections) {
    if (s.heading.find(needle) != std::string::npos || s.text.find(needle) != std::string::npos) {
      return true;
    }
  }
  return false;
}

class TempDir {
 public:
  explicit TempDir(const std::string& tag) {
    path_ = fs::temp_directory_path() /
            ("clinsearch-readers-" + tag + "-" + std::to_string(::getpid()));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    for (const auto& e : fs::recursive_directory_iterator(path_, ec)) {
      fs::permissions(e.path(), fs::perms::owner_all, fs::perm_options::add, ec);
    }
    fs::remove_all(path_, ec);
  }
  std::string Write(const std::string& relative, const std::string& content) const {
    const fs::path p = path_ / relative;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
    return p.string();
  }
  std::string path() const { return path_.string(); }

 private:
  fs::path path_;
};

// --- Plain text -------------------------------------------------------------

TEST(ParseTextTest, TitleHeadingsAndBullets) {
  const std::string text =
      "Spinal Metastases Overview\n"
      "\n"
      "Spinal metastases are common in\n"
      "advanced cancer.\n"
      "\n"
      "Treatment\n"
      "\n"
      "Radiation therapy is often used.\n"
      "\n"
      "    See Bone health\n"
      "\n"
      "See Pain control\n"
      "\n"
      "Side Effects\n"
      "\n"
      "Common problems:\n"
      "\xE2\x80\xA2 Nausea\n"
      "- Fatigue\n"
      "* Hair loss\n"
      "\n"
      "Call your doctor if it gets worse.\n";
  const Document doc = ParseText(text, "docs/spine.txt");
  EXPECT_EQ(doc.id, "docs/spine.txt");
  EXPECT_EQ(doc.title, "Spinal Metastases Overview");
  EXPECT_EQ(Sections(doc),
            (std::vector<std::string>{
                "|Spinal metastases are common in advanced cancer.",
                "Treatment|Radiation therapy is often used.\n\nSee Bone health\n\n"
                "See Pain control",
                "Side Effects|Common problems:\n\n- Nausea\n- Fatigue\n- Hair loss\n\n"
                "Call your doctor if it gets worse."}));
}

TEST(ParseTextTest, IndentedSeeLineIsNotAHeading) {
  const Document doc =
      ParseText("Title\n\nIntro text here.\n\n  See Also Bone Pain\n\nMore text.\n", "t");
  ASSERT_EQ(doc.sections.size(), 1u);
  EXPECT_EQ(doc.sections[0].heading, "");
  EXPECT_EQ(doc.sections[0].text, "Intro text here.\n\nSee Also Bone Pain\n\nMore text.");
}

TEST(ParseTextTest, OfTwoHeadingLikeLinesOnlyTheSecondIsAHeading) {
  const Document doc = ParseText(
      "Title\n\nIntro text.\n\nSee Bone health\n\nSide Effects\n\nFatigue is common.\n", "t");
  EXPECT_EQ(Sections(doc), (std::vector<std::string>{"|Intro text.\n\nSee Bone health",
                                                     "Side Effects|Fatigue is common."}));
}

TEST(ParseTextTest, LinesThatAreNotHeadings) {
  struct Case {
    const char* name;
    const char* body;  // after "Title\n\nIntro.\n\n"
    std::vector<std::string> sections;
  };
  const Case cases[] = {
      {"last line", "Lonely line\n", {"|Intro.\n\nLonely line"}},
      {"sentence end", "Not a heading.\n\nText.\n", {"|Intro.\n\nNot a heading.\n\nText."}},
      {"no letters", "2024\n\nText.\n", {"|Intro.\n\n2024\n\nText."}},
      {"too many words",
       "one two three four five six seven eight nine ten eleven\n\nText.\n",
       {"|Intro.\n\none two three four five six seven eight nine ten eleven\n\nText."}},
      {"part of a paragraph",
       "Short line\nnext line.\n\nText.\n",
       {"|Intro.\n\nShort line next line.\n\nText."}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const Document doc = ParseText(std::string("Title\n\nIntro.\n\n") + c.body, "t");
    EXPECT_EQ(Sections(doc), c.sections);
  }
}

TEST(ParseTextTest, TitleFallsBackToFileName) {
  struct Case {
    const char* name;
    const char* text;
  };
  const Case cases[] = {
      {"sentence", "This first line is a sentence.\n\nBody.\n"},
      {"no blank line after", "Heading Like\nbut the paragraph goes on.\n"},
      {"only blank lines", "\n\n\n"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(ParseText(c.text, "/data/notes/side-effects.txt").title, "side-effects");
  }
  EXPECT_EQ(ParseText("\n\n  Leading Blank Lines  \n\nBody.\n", "x.txt").title,
            "Leading Blank Lines");
  EXPECT_TRUE(ParseText("\n\n\n", "x.txt").sections.empty());
}

TEST(ParseTextTest, CrLfLineEndings) {
  const Document doc = ParseText("My Title\r\n\r\nFirst line\r\nsecond.\r\n\r\n- item\r\n", "t");
  EXPECT_EQ(doc.title, "My Title");
  EXPECT_EQ(Sections(doc), (std::vector<std::string>{"|First line second.\n\n- item"}));
}

// --- Markdown ---------------------------------------------------------------

TEST(ParseMarkdownTest, HeadingsListsAndInlineMarkup) {
  const std::string md =
      "# Bone Metastases\n"
      "\n"
      "Intro with *emphasis* and **strong**, a [link](http://example.com), `code`\n"
      "and <b>html</b>.\n"
      "\n"
      "## Treatment\n"
      "\n"
      "- Radiation *therapy*\n"
      "- Surgery\n"
      "  - nested item\n"
      "1. numbered\n"
      "\n"
      "### Drugs\n"
      "\n"
      "Use `denosumab` monthly.\n"
      "\n"
      "```\n"
      "dose = 120 mg\n"
      "```\n"
      "\n"
      "> Quoted advice.\n"
      "\n"
      "# Second H1\n";
  const Document doc = ParseMarkdown(md, "bone.md");
  EXPECT_EQ(doc.title, "Bone Metastases");
  EXPECT_EQ(Sections(doc),
            (std::vector<std::string>{
                "|Intro with emphasis and strong, a link, code and html.",
                "Treatment|- Radiation therapy\n- Surgery\n- nested item\n- numbered",
                "Drugs|Use denosumab monthly.\n\ndose = 120 mg\n\nQuoted advice."}));
  EXPECT_FALSE(AnyContains(doc, "http://"));
  EXPECT_FALSE(AnyContains(doc, "*"));
}

TEST(ParseMarkdownTest, WithoutH1TheTitleIsTheFileName) {
  const Document doc = ParseMarkdown("## Section\n\nText.\n", "/x/guide.md");
  EXPECT_EQ(doc.title, "guide");
  EXPECT_EQ(Sections(doc), (std::vector<std::string>{"Section|Text."}));
}

// A walk that recursed per nesting level overflowed the stack on deeply
// nested block quotes; deep inline nesting (emphasis, link brackets) must not
// crash either, and the text must survive.
TEST(ParseMarkdownTest, DeeplyNestedQuotesAndInlineMarkupKeepTheirText) {
  {
    const std::string md = "# T\n\n" + std::string(200000, '>') + " quokka\n";
    const Document doc = ParseMarkdown(md, "quotes.md");
    EXPECT_EQ(doc.title, "T");
    EXPECT_TRUE(AnyContains(doc, "quokka"));
  }
  {
    const std::string md =
        "# T\n\n" + std::string(50000, '*') + "wombat" + std::string(50000, '*') + "\n";
    const Document doc = ParseMarkdown(md, "emphasis.md");
    EXPECT_EQ(doc.title, "T");
    EXPECT_TRUE(AnyContains(doc, "wombat"));
  }
  {
    std::string md = "# T\n\n" + std::string(50000, '[') + "numbat";
    for (int i = 0; i < 50000; ++i) md += "](u)";
    md += "\n";
    const Document doc = ParseMarkdown(md, "links.md");
    EXPECT_EQ(doc.title, "T");
    EXPECT_TRUE(AnyContains(doc, "numbat"));
  }
}

// --- HTML -------------------------------------------------------------------

TEST(ParseHtmlTest, TitleHeadingsBulletsAndDroppedContent) {
  const std::string html =
      "<!DOCTYPE html><html><head><title>Bone \n Health</title>"
      "<style>p { color: red }</style><script>var secret = 1;</script></head>"
      "<body><h1>Page Heading</h1><p>Intro   text.</p><script>alert('x')</script>"
      "<noscript>enable javascript</noscript><template><p>template text</p></template>"
      "<h2>Side effects</h2><ul><li>Nausea</li><li>Fatigue <em>often</em></li></ul>"
      "<p>More <b>bold</b> text.</p><h3></h3></body></html>";
  const Document doc = ParseHtml(html, "page.html");
  EXPECT_EQ(doc.title, "Bone Health");
  EXPECT_EQ(Sections(doc), (std::vector<std::string>{
                               "Page Heading|Intro text.",
                               "Side effects|- Nausea\n- Fatigue often\n\nMore bold text."}));
  for (const char* dropped : {"secret", "alert", "color", "javascript", "template text"}) {
    EXPECT_FALSE(AnyContains(doc, dropped)) << dropped;
  }
}

TEST(ParseHtmlTest, FirstH1IsTheTitleWithoutTitleElement) {
  const Document doc = ParseHtml(
      "<html><body><h1>Main <i>Title</i></h1><p>Body.</p><h1>Another</h1><p>More.</p>"
      "</body></html>",
      "x.html");
  EXPECT_EQ(doc.title, "Main Title");
  EXPECT_EQ(Sections(doc), (std::vector<std::string>{"|Body.", "Another|More."}));
}

TEST(ParseHtmlTest, NoTitleAnywhereFallsBackToFileName) {
  EXPECT_EQ(ParseHtml("<p>Just text.</p>", "/site/faq.html").title, "faq");
  EXPECT_TRUE(ParseHtml("", "/site/empty.html").sections.empty());
}

std::string NestedDivs(size_t depth) {
  std::string html = "<html><head><title>Deep</title></head><body>";
  html.reserve(depth * 11 + 200);
  for (size_t i = 0; i < depth; ++i) html += "<div>";
  html += "deep text";
  for (size_t i = 0; i < depth; ++i) html += "</div>";
  html += "<p>after</p></body></html>";
  return html;
}

// Parses `html` and checks the text survived.
void ParseNested(const std::string& html) {
  const Document doc = ParseHtml(html, "deep.html");
  EXPECT_EQ(doc.title, "Deep");
  EXPECT_EQ(Sections(doc), (std::vector<std::string>{"|deep text\n\nafter"}));
}

TEST(ParseHtmlTest, DeeplyNestedDivsDoNotCrash) {
  // Deep enough to overflow the stack of a recursive tree walk.
  ParseNested(NestedDivs(10000));
}

TEST(ParseHtmlTest, HundredThousandNestedDivsKeepTheirText) {
  // gumbo 0.10.1 builds trees in time quadratic in nesting depth (100,000
  // nested <div>: ~27 s); ParseHtml flattens what is nested deeper than
  // kMaxHtmlDepth first.
  ParseNested(NestedDivs(100000));
}

TEST(LimitHtmlDepthTest, ShallowHtmlIsLeftAlone) {
  size_t deepest = 0;
  EXPECT_EQ(LimitHtmlDepth("<html><body><div><p>x<br>y</p></div></body></html>", 8, &deepest), "");
  EXPECT_EQ(deepest, 4u);
}

TEST(LimitHtmlDepthTest, DeepTagsAreDroppedTextKept) {
  size_t deepest = 0;
  const std::string out =
      LimitHtmlDepth("<a><b><c><d>text</d></c></b></a><p>after</p>", 2, &deepest);
  EXPECT_EQ(deepest, 3u);
  EXPECT_NE(out.find("<a><b>"), std::string::npos);
  EXPECT_EQ(out.find("<c>"), std::string::npos);
  EXPECT_EQ(out.find("</d>"), std::string::npos);
  EXPECT_NE(out.find("text"), std::string::npos);
  EXPECT_NE(out.find("</b></a><p>after</p>"), std::string::npos);
}

// The raw-text skip after <script> must find its end tag whatever its case:
// an upper-case </SCRIPT> used to be missed, so nothing after it was scanned
// and 10,000 nested <div> were not flattened.
TEST(LimitHtmlDepthTest, UpperCaseScriptBeforeDeepNestingStillFlattens) {
  std::string html = "<html><head><title>Deep</title></head><body><SCRIPT>var secret = 1;</SCRIPT>";
  for (int i = 0; i < 10000; ++i) html += "<div>";
  html += "deep text";
  for (int i = 0; i < 10000; ++i) html += "</div>";
  html += "<p>after</p></body></html>";
  size_t deepest = 0;
  const std::string out = LimitHtmlDepth(html, kMaxHtmlDepth, &deepest);
  EXPECT_FALSE(out.empty());
  EXPECT_EQ(deepest, kMaxHtmlDepth + 1);
  EXPECT_NE(out.find("deep text"), std::string::npos);
  size_t inner = 0;
  if (!out.empty()) {
    EXPECT_EQ(LimitHtmlDepth(out, kMaxHtmlDepth, &inner), "");
    EXPECT_LE(inner, kMaxHtmlDepth);
  }
  const Document doc = ParseHtml(html, "deep.html");
  EXPECT_EQ(doc.title, "Deep");
  EXPECT_EQ(Sections(doc), (std::vector<std::string>{"|deep text\n\nafter"}));
  EXPECT_FALSE(AnyContains(doc, "secret"));
}

// --- JSON Lines -------------------------------------------------------------

TEST(ReadJsonlTest, GoodLinesDeliveredAndBadLinesReported) {
  const std::string input =
      R"({"id":"d1","title":"T1","url":"https://x/1","source":"CancerGov","sections":[{"heading":"H  one","text":"Body one."},{"text":"Body two."}]})"
      "\n"
      R"({"id":"d2", "title": broken)"
      "\n"
      R"({"title":"no id","text":"x"})"
      "\n"
      R"([1, 2, 3])"
      "\n"
      "{\"id\":\"d5\",\"text\":\"caf\xE9 au lait\"}\n"
      "\n"
      R"({"id":"d7","heading":"Only","text":"Last good."})"
      "\n"
      R"({"id":"d8","text":"truncat)";
  std::istringstream in(input);
  std::vector<Document> docs;
  std::vector<std::string> problems;
  ReadJsonl(
      in, "feed.jsonl", [&](Document&& d) { docs.push_back(std::move(d)); },
      [&](const std::string& p) { problems.push_back(p); });

  ASSERT_EQ(docs.size(), 3u);
  EXPECT_EQ(docs[0].id, "d1");
  EXPECT_EQ(docs[0].title, "T1");
  EXPECT_EQ(docs[0].url, "https://x/1");
  EXPECT_EQ(docs[0].source, "CancerGov");
  EXPECT_EQ(Sections(docs[0]), (std::vector<std::string>{"H one|Body one.", "|Body two."}));
  EXPECT_EQ(docs[1].id, "d5");
  EXPECT_EQ(Sections(docs[1]), (std::vector<std::string>{"|caf\xEF\xBF\xBD au lait"}));
  EXPECT_EQ(docs[2].id, "d7");
  EXPECT_EQ(Sections(docs[2]), (std::vector<std::string>{"Only|Last good."}));

  const std::vector<std::pair<std::string, std::string>> expected = {
      {"feed.jsonl:2: ", "not valid JSON"},    {"feed.jsonl:3: ", "missing \"id\""},
      {"feed.jsonl:4: ", "not a JSON object"}, {"feed.jsonl:5: ", "invalid UTF-8"},
      {"feed.jsonl:8: ", "not valid JSON"},
  };
  ASSERT_EQ(problems.size(), expected.size()) << ::testing::PrintToString(problems);
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(problems[i].rfind(expected[i].first, 0), 0u) << problems[i];
    EXPECT_NE(problems[i].find(expected[i].second), std::string::npos) << problems[i];
  }
}

// Found by fuzz_reader_jsonl: the progress count added a newline that the
// last line did not have.
TEST(ReadJsonlTest, BytesReadEndsAtTheInputSize) {
  for (const std::string& input :
       {std::string("{\"id\":\"a\",\"text\":\"x\"}\n{\"id\":\"b\",\"text\":\"y\"}"),
        std::string("{\"id\":\"a\",\"text\":\"x\"}\n"), std::string("{\"i{\"idd\"")}) {
    std::istringstream in(input);
    uint64_t bytes = 0;
    ReadJsonl(
        in, "f.jsonl", [](Document&&) {}, [](const std::string&) {}, &bytes);
    EXPECT_EQ(bytes, input.size()) << input;
  }
}

TEST(ReadJsonlTest, EmptyInputDeliversNothing) {
  std::istringstream in("\n\n   \n");
  size_t docs = 0, problems = 0;
  ReadJsonl(
      in, "e.jsonl", [&](Document&&) { ++docs; }, [&](const std::string&) { ++problems; });
  EXPECT_EQ(docs, 0u);
  EXPECT_EQ(problems, 0u);
}

// --- ReadPath ---------------------------------------------------------------

struct Collected {
  std::vector<Document> docs;
  std::vector<std::string> problems;
  DocumentSink sink() {
    return [this](Document&& d) { docs.push_back(std::move(d)); };
  }
  ProblemSink problem() {
    return [this](const std::string& p) { problems.push_back(p); };
  }
  std::vector<std::string> ids() const {
    std::vector<std::string> out;
    for (const Document& d : docs) out.push_back(d.id);
    return out;
  }
};

TEST(ReadPathTest, ReadsSupportedFilesOfAFolderInPathOrder) {
  const TempDir dir("mixed");
  const std::string a = dir.Write("a.txt", "Alpha Title\n\nAlpha body.\n");
  const std::string b = dir.Write("b.md", "# Beta\n\nBeta body.\n");
  const std::string c = dir.Write("c.html", "<title>Gamma</title><p>Gamma body.</p>");
  dir.Write("d.jsonl", "{\"id\":\"j1\",\"text\":\"one\"}\n{\"id\":\"j2\",\"text\":\"two\"}\n");
  dir.Write("e.pdf", "%PDF-1.4 not supported");
  dir.Write("notes", "no extension");
  const std::string f = dir.Write("sub/f.htm", "<h1>Zeta</h1><p>Zeta body.</p>");
  const std::string u = dir.Write("Upper.TXT", "Upper Title\n\nUpper body.\n");

  Collected got;
  ASSERT_TRUE(ReadPath(dir.path(), got.sink(), got.problem()));
  EXPECT_TRUE(got.problems.empty()) << ::testing::PrintToString(got.problems);
  EXPECT_EQ(got.ids(), (std::vector<std::string>{u, a, b, c, "j1", "j2", f}));
  std::vector<std::string> titles;
  for (const Document& d : got.docs) titles.push_back(d.title);
  EXPECT_EQ(titles, (std::vector<std::string>{"Upper Title", "Alpha Title", "Beta", "Gamma", "", "",
                                              "Zeta"}));
}

TEST(ReadPathTest, MissingPathReturnsFalse) {
  Collected got;
  EXPECT_FALSE(ReadPath("/nonexistent/clinsearch/corpus", got.sink(), got.problem()));
  EXPECT_TRUE(got.docs.empty());
}

TEST(ReadPathTest, SingleFilesAndTheirProblems) {
  const TempDir dir("single");
  Collected got;
  const std::string txt = dir.Write("bad.txt", "Title\n\nline three\ncaf\xE9\n");
  ASSERT_TRUE(ReadPath(txt, got.sink(), got.problem()));
  ASSERT_EQ(got.docs.size(), 1u);
  EXPECT_TRUE(AnyContains(got.docs[0], "caf\xEF\xBF\xBD"));
  ASSERT_EQ(got.problems.size(), 1u);
  EXPECT_EQ(got.problems[0].rfind(txt + ":4: ", 0), 0u) << got.problems[0];
  EXPECT_NE(got.problems[0].find("UTF-8"), std::string::npos);

  // A file named directly is read even with an unsupported extension: it is reported.
  Collected pdf;
  const std::string p = dir.Write("x.pdf", "binary");
  ASSERT_TRUE(ReadPath(p, pdf.sink(), pdf.problem()));
  EXPECT_TRUE(pdf.docs.empty());
  ASSERT_EQ(pdf.problems.size(), 1u);
  EXPECT_EQ(pdf.problems[0].rfind(p + ": ", 0), 0u) << pdf.problems[0];

  // A JSONL file's problems carry the file's path and the line.
  Collected jsonl;
  const std::string j = dir.Write("feed.jsonl", "{\"id\":\"ok\",\"text\":\"x\"}\nnot json\n");
  ASSERT_TRUE(ReadPath(j, jsonl.sink(), jsonl.problem()));
  EXPECT_EQ(jsonl.ids(), std::vector<std::string>{"ok"});
  ASSERT_EQ(jsonl.problems.size(), 1u);
  EXPECT_EQ(jsonl.problems[0].rfind(j + ":2: ", 0), 0u) << jsonl.problems[0];

  // An empty folder is fine and yields nothing.
  const TempDir empty("empty");
  Collected none;
  EXPECT_TRUE(ReadPath(empty.path(), none.sink(), none.problem()));
  EXPECT_TRUE(none.docs.empty());
  EXPECT_TRUE(none.problems.empty());
}

TEST(ReadPathTest, UnreadableFileIsReportedAndSkipped) {
  const TempDir dir("unreadable");
  const std::string locked = dir.Write("locked.txt", "Secret\n\nHidden body.\n");
  const std::string open = dir.Write("open.txt", "Open\n\nVisible body.\n");
  ASSERT_EQ(::chmod(locked.c_str(), 0), 0);
  Collected got;
  ASSERT_TRUE(ReadPath(dir.path(), got.sink(), got.problem()));
  if (::geteuid() == 0) {
    GTEST_SKIP() << "running as root: permissions do not stop reading";
  }
  EXPECT_EQ(got.ids(), std::vector<std::string>{open});
  ASSERT_EQ(got.problems.size(), 1u);
  EXPECT_EQ(got.problems[0].rfind(locked + ": ", 0), 0u) << got.problems[0];
}

TEST(ReadersTest, IsSupportedFileByExtension) {
  for (const char* yes :
       {"a.txt", "a.md", "a.markdown", "a.html", "a.htm", "a.jsonl", "A.HTML", "dir.v2/x.Md"}) {
    EXPECT_TRUE(IsSupportedFile(yes)) << yes;
  }
  for (const char* no : {"a.pdf", "a.json", "a", "txt", "a.txt.bak", "dir.txt/file", ".md.swp"}) {
    EXPECT_FALSE(IsSupportedFile(no)) << no;
  }
}

}  // namespace
}  // namespace clinsearch
