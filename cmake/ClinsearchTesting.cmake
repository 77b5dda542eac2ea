include(GoogleTest)

# clinsearch_add_test(NAME src.cc...) — a GoogleTest binary linked with the
# library, its tests registered with ctest one by one.
function(clinsearch_add_test name)
  add_executable(${name} ${ARGN})
  target_link_libraries(${name} PRIVATE clinsearch::clinsearch clinsearch::xapian
                        GTest::gtest GTest::gtest_main)
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR})
  target_compile_definitions(${name} PRIVATE
    CLINSEARCH_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    CLINSEARCH_BINARY_DIR="${PROJECT_BINARY_DIR}")
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60
                       PROPERTIES ENVIRONMENT "CLINSEARCH_LOG_LEVEL=warn")
endfunction()
