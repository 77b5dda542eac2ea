# SPDX-License-Identifier: GPL-2.0-or-later
# The library targets.
#
#   clinsearch::internal   INTERFACE: what code inside this repository
#                          compiles with (C++20, the repository root on the
#                          include path, warnings, -Werror in CI)
#   clinsearch_core        STATIC: every module's sources (base, analysis,
#                          storage, indexer, searcher, capi); hidden symbol
#                          visibility. Tests, fuzzers, benches and the CLI
#                          link it to reach internals.
#   clinsearch             SHARED (clinsearch::clinsearch, installed): the
#                          objects of clinsearch_core; exports only what
#                          include/clinsearch/ marks CLINSEARCH_EXPORT.
#   clinsearch_server      STATIC (server/): the HTTP API and the widget, so
#                          that the library does not pull in Boost.Beast.
#
# clinsearch_add_program(NAME SOURCES...) defines a program of this
# repository (tests, benches, the CLI): internal flags, and in sanitizer
# builds the ASan options every program needs (cmake/asan_options.cc).

add_library(clinsearch_internal INTERFACE)
add_library(clinsearch::internal ALIAS clinsearch_internal)
target_compile_features(clinsearch_internal INTERFACE cxx_std_20)
target_include_directories(clinsearch_internal INTERFACE ${PROJECT_SOURCE_DIR})
# -Wno-restrict: GCC 12 reports a false overlap in std::string's operator+
# at -O2 (GCC bug 105651); it says nothing about this code.
target_compile_options(clinsearch_internal INTERFACE -Wall -Wextra
                       $<$<CXX_COMPILER_ID:GNU>:-Wno-restrict>
                       $<$<BOOL:${CLINSEARCH_WERROR}>:-Werror>)

configure_file(${PROJECT_SOURCE_DIR}/cmake/version.h.in
               ${PROJECT_BINARY_DIR}/include/clinsearch/version.h @ONLY)

add_library(clinsearch_core STATIC)
set_target_properties(clinsearch_core PROPERTIES
  POSITION_INDEPENDENT_CODE ON
  CXX_VISIBILITY_PRESET hidden
  VISIBILITY_INLINES_HIDDEN ON)
target_include_directories(clinsearch_core PUBLIC
  $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
  $<BUILD_INTERFACE:${PROJECT_BINARY_DIR}/include>)
target_compile_features(clinsearch_core PUBLIC cxx_std_17)
target_link_libraries(clinsearch_core
  PUBLIC  clinsearch::internal spdlog::spdlog clinsearch::xapian
  PRIVATE ICU::uc ICU::i18n nlohmann_json::nlohmann_json clinsearch::gumbo clinsearch::cmark
          simdjson::simdjson clinsearch::lz4 ${CMAKE_DL_LIBS})
# Where the bundled dictionary is installed (analysis/dictionary.cc); it is
# first looked for relative to the library (base/data_dir.h), which finds
# this link in a build tree.
file(MAKE_DIRECTORY ${PROJECT_BINARY_DIR}/share/clinsearch)
file(CREATE_LINK ${PROJECT_SOURCE_DIR}/synonyms ${PROJECT_BINARY_DIR}/share/clinsearch/synonyms
     SYMBOLIC)
target_compile_definitions(clinsearch_core PRIVATE
  CLINSEARCH_INSTALLED_SYNONYMS_DIR="${CMAKE_INSTALL_FULL_DATADIR}/clinsearch/synonyms")

add_library(clinsearch SHARED)
add_library(clinsearch::clinsearch ALIAS clinsearch)
# cmake needs one source to link; the objects come whole from clinsearch_core.
target_sources(clinsearch PRIVATE ${PROJECT_SOURCE_DIR}/cmake/empty.cc)
target_link_libraries(clinsearch PRIVATE "$<LINK_LIBRARY:WHOLE_ARCHIVE,clinsearch_core>")
target_include_directories(clinsearch PUBLIC
  $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
  $<BUILD_INTERFACE:${PROJECT_BINARY_DIR}/include>)
target_compile_features(clinsearch PUBLIC cxx_std_17)
set_target_properties(clinsearch PROPERTIES CXX_VISIBILITY_PRESET hidden
                      VISIBILITY_INLINES_HIDDEN ON
                      LINK_DEPENDS ${PROJECT_SOURCE_DIR}/cmake/clinsearch.map)
target_link_options(clinsearch PRIVATE
                    -Wl,--version-script=${PROJECT_SOURCE_DIR}/cmake/clinsearch.map)

if(CLINSEARCH_SANITIZE)
  add_library(clinsearch_asan_options OBJECT ${PROJECT_SOURCE_DIR}/cmake/asan_options.cc)
endif()

function(clinsearch_add_program name)
  add_executable(${name} ${ARGN})
  target_link_libraries(${name} PRIVATE clinsearch::internal)
  if(CLINSEARCH_SANITIZE)
    target_link_libraries(${name} PRIVATE clinsearch_asan_options)
  endif()
endfunction()
