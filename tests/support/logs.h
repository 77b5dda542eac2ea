// SPDX-License-Identifier: GPL-2.0-or-later
// The library's log level in tests.
#ifndef CLINSEARCH_TESTS_SUPPORT_LOGS_H_
#define CLINSEARCH_TESTS_SUPPORT_LOGS_H_

namespace clinsearch::testing_support {

// Sets spdlog's level from CLINSEARCH_LOG_LEVEL (ctest sets "warn"; see
// cmake/ClinsearchTesting.cmake), "warn" when unset: the warnings a test
// provokes on purpose would otherwise bury its own output.
void QuietLogs();

}  // namespace clinsearch::testing_support

#endif  // CLINSEARCH_TESTS_SUPPORT_LOGS_H_
