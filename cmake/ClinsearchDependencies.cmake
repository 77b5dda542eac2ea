# SPDX-License-Identifier: GPL-2.0-or-later
# All third-party dependencies come from Debian packages (scripts/install-deps.sh).
find_package(Threads REQUIRED)
find_package(spdlog REQUIRED)
find_package(ICU REQUIRED COMPONENTS uc i18n)
find_package(nlohmann_json 3 REQUIRED)
find_package(CLI11 CONFIG REQUIRED)
find_package(PkgConfig REQUIRED)

# Xapian's CMake config only sets XAPIAN_LIBRARIES / XAPIAN_INCLUDE_DIR: wrap
# them once in an imported target.
find_package(Xapian REQUIRED)
add_library(clinsearch::xapian INTERFACE IMPORTED)
set_target_properties(clinsearch::xapian PROPERTIES
  INTERFACE_INCLUDE_DIRECTORIES "${XAPIAN_INCLUDE_DIR}"
  INTERFACE_LINK_LIBRARIES "${XAPIAN_LIBRARIES}")

pkg_check_modules(GUMBO REQUIRED IMPORTED_TARGET gumbo)
add_library(clinsearch::gumbo ALIAS PkgConfig::GUMBO)
pkg_check_modules(CMARK REQUIRED IMPORTED_TARGET libcmark)
add_library(clinsearch::cmark ALIAS PkgConfig::CMARK)
find_package(simdjson REQUIRED)  # JSONL input
# The HTTP server: Boost.Beast over Boost.Asio (Debian libboost1.74-dev),
# header-only. Beast's string_view is std::string_view in all of ours.
find_package(Boost 1.74 REQUIRED)
add_library(clinsearch_beast INTERFACE)
target_link_libraries(clinsearch_beast INTERFACE Boost::headers Threads::Threads)
target_compile_definitions(clinsearch_beast INTERFACE BOOST_BEAST_USE_STD_STRING_VIEW
                           BOOST_ASIO_NO_DEPRECATED)
add_library(clinsearch::beast ALIAS clinsearch_beast)
pkg_check_modules(LZ4 REQUIRED IMPORTED_TARGET liblz4)  # the stored passage
add_library(clinsearch::lz4 ALIAS PkgConfig::LZ4)

# jemalloc (Debian libjemalloc-dev) for the programs, not the library: the
# Xapian writer allocates millions of small nodes, and glibc malloc spends a
# fifth of indexing time in malloc_consolidate (bench/RESULTS.md). Left out
# of sanitizer builds, which bring their own allocator.
if(NOT CLINSEARCH_SANITIZE)
  pkg_check_modules(JEMALLOC IMPORTED_TARGET jemalloc)
endif()
if(JEMALLOC_FOUND)
  add_library(clinsearch::program_malloc ALIAS PkgConfig::JEMALLOC)
else()
  add_library(clinsearch_no_malloc INTERFACE)
  add_library(clinsearch::program_malloc ALIAS clinsearch_no_malloc)
  message(STATUS "jemalloc not found: programs use the system allocator")
endif()

if(CLINSEARCH_BUILD_TESTS)
  find_package(GTest REQUIRED)
  # cpp-httplib's client: server_test calls the API the way a portal would.
  pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
  add_library(clinsearch::httplib ALIAS PkgConfig::HTTPLIB)
endif()
if(CLINSEARCH_BUILD_BENCHMARKS)
  find_package(benchmark REQUIRED)
endif()
