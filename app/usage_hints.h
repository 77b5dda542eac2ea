// SPDX-License-Identifier: GPL-2.0-or-later
// What the CLI says when a command line does not parse: the name the user
// probably meant, as a mature command-line tool does ("unknown option
// '--limt' (did you mean '--limit'?)").
//
//   catch (const CLI::ParseError& e) {
//     if (std::string hint = UsageHint(app, argc, argv); !hint.empty()) ...
//   }
#ifndef CLINSEARCH_APP_USAGE_HINTS_H_
#define CLINSEARCH_APP_USAGE_HINTS_H_

#include <CLI/CLI.hpp>
#include <string>

namespace clinsearch {

// A one-line hint for the first word of argv that names no subcommand (the
// first word that is not an option) or no option of the subcommand given
// (or of the program): "unknown command 'searh' (did you mean 'search'?)",
// "unknown option '--limt' (did you mean '--limit'?)", or without the
// suggestion when no name is within two edits. Empty when every word is
// known (the parse failed for another reason).
std::string UsageHint(const CLI::App& app, int argc, const char* const* argv);

}  // namespace clinsearch

#endif  // CLINSEARCH_APP_USAGE_HINTS_H_
