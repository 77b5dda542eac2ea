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

if(CLINSEARCH_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(CLINSEARCH_BUILD_BENCHMARKS)
  find_package(benchmark REQUIRED)
endif()
