// SPDX-License-Identifier: GPL-2.0-or-later
// Where clinsearch finds the data files it ships (the bundled dictionary),
// without any path of the machine it was built on compiled in: relative to
// the program or shared library that holds this code, so that an install
// can be moved to another prefix and a build tree finds its own copy.
#ifndef CLINSEARCH_BASE_DATA_DIR_H_
#define CLINSEARCH_BASE_DATA_DIR_H_

#include <string>
#include <string_view>

namespace clinsearch {

// The first existing folder `share/clinsearch/<name>` in the folder of the
// file holding this code (libclinsearch.so, or a program linking the library
// statically) or one or two folders above it: bin/../share/clinsearch/NAME
// and lib/../share/clinsearch/NAME when installed, build/share/clinsearch/NAME
// in a build tree (CMake links it to the source folder). Empty when none
// exists.
std::string FindDataDir(std::string_view name);

}  // namespace clinsearch

#endif  // CLINSEARCH_BASE_DATA_DIR_H_
