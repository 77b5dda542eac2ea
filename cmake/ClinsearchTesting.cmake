# SPDX-License-Identifier: GPL-2.0-or-later
include(GoogleTest)

# clinsearch_add_test(NAME src.cc...) — a GoogleTest binary linked with the
# library's internals (clinsearch_core) and the test helpers
# (clinsearch_test_support, tests/support/), its tests registered with ctest
# one by one. Tests find the repository and the build tree through
# CLINSEARCH_SOURCE_DIR / CLINSEARCH_BINARY_DIR, and the bundled dictionary
# through the environment, as an installed program would.
function(clinsearch_add_test name)
  clinsearch_add_program(${name} ${ARGN})
  target_link_libraries(${name} PRIVATE clinsearch_core clinsearch_test_support GTest::gtest
                        GTest::gtest_main)
  target_compile_definitions(${name} PRIVATE
    CLINSEARCH_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    CLINSEARCH_BINARY_DIR="${PROJECT_BINARY_DIR}")
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60
                       PROPERTIES ENVIRONMENT "CLINSEARCH_LOG_LEVEL=warn")
endfunction()
