// SPDX-License-Identifier: GPL-2.0-or-later
#include "app/usage_hints.h"

#include <algorithm>
#include <string_view>
#include <vector>

#include "searcher/speller.h"  // EditDistance

namespace clinsearch {
namespace {

constexpr size_t kMaxEdits = 2;

// The nearest of `names` to `word`, within kMaxEdits; empty when none is.
std::string Nearest(std::string_view word, const std::vector<std::string>& names) {
  std::string best;
  size_t best_edits = kMaxEdits + 1;
  for (const std::string& name : names) {
    const size_t edits = EditDistance(word, name, kMaxEdits);
    if (edits < best_edits) {
      best = name;
      best_edits = edits;
    }
  }
  return best;
}

std::string Hint(std::string_view what, std::string_view word,
                 const std::vector<std::string>& names) {
  std::string hint = "unknown " + std::string(what) + " '" + std::string(word) + "'";
  const std::string nearest = Nearest(word, names);
  if (!nearest.empty()) hint += " (did you mean '" + nearest + "'?)";
  return hint;
}

// The long option names ("--limit") of `app`, --help among them.
void AddOptionNames(const CLI::App& app, std::vector<std::string>& names) {
  for (const CLI::Option* option : app.get_options()) {
    for (const std::string& name : option->get_lnames()) names.push_back("--" + name);
  }
}

}  // namespace

std::string UsageHint(const CLI::App& app, int argc, const char* const* argv) {
  std::vector<std::string> commands;
  for (const CLI::App* sub : app.get_subcommands({})) commands.push_back(sub->get_name());
  std::vector<std::string> options;
  AddOptionNames(app, options);
  const CLI::App* command = nullptr;
  for (int i = 1; i < argc; ++i) {
    const std::string_view word = argv[i];
    if (word.starts_with("--")) {
      const std::string_view name = word.substr(0, word.find('='));
      if (std::find(options.begin(), options.end(), name) == options.end()) {
        return Hint("option", name, options);
      }
    } else if (command == nullptr && !word.starts_with("-")) {
      if (std::find(commands.begin(), commands.end(), word) == commands.end()) {
        // A word before any command is a command unless it is an option's value.
        if (i > 1 && std::string_view(argv[i - 1]).starts_with("--")) continue;
        return Hint("command", word, commands);
      }
      command = app.get_subcommand(std::string(word));
      AddOptionNames(*command, options);
    }
  }
  return {};
}

}  // namespace clinsearch
