// Index generations: an index folder holds one or more complete Xapian
// databases (gen-1, gen-2, ...) and a Xapian stub file XAPIANDB ("auto
// gen-N") naming the live one. A full rebuild writes the next generation
// beside the live one and switches the stub with an atomic rename, so
// searchers answer from the old generation until the switch and never see
// a half-built index. Folders written by older clinsearch versions (a
// database directly in the folder) are still opened as they are.
#ifndef CLINSEARCH_ANALYSIS_GENERATIONS_H_
#define CLINSEARCH_ANALYSIS_GENERATIONS_H_

#include <string>

#include "clinsearch/status.h"

namespace clinsearch {

// The live generation of the index folder `dir`, or 0 if it has no stub.
int LiveGeneration(const std::string& dir);

// The folder of generation `n` of `dir`.
std::string GenerationPath(const std::string& dir, int n);

// Makes generation `n` live: writes the stub beside it and renames it over
// the old one (atomic on POSIX file systems), then removes generations
// older than n - 1 (the one before stays for searchers still reading it).
Status SwitchGeneration(const std::string& dir, int n);

}  // namespace clinsearch

#endif  // CLINSEARCH_ANALYSIS_GENERATIONS_H_
