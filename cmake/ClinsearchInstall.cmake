# SPDX-License-Identifier: GPL-2.0-or-later
# cmake --install: the shared library, the public headers, a CMake package
# (find_package(clinsearch) -> clinsearch::clinsearch), a pkg-config file
# (pkg-config --cflags --libs clinsearch) and the clinsearch program.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)
set_target_properties(clinsearch PROPERTIES
  VERSION ${PROJECT_VERSION} SOVERSION ${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR})
target_include_directories(clinsearch PUBLIC $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
install(TARGETS clinsearch EXPORT clinsearchTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/clinsearch DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES ${PROJECT_BINARY_DIR}/include/clinsearch/version.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/clinsearch)
install(TARGETS clinsearch_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/synonyms/ DESTINATION ${CMAKE_INSTALL_DATADIR}/clinsearch/synonyms
        FILES_MATCHING PATTERN "*.syn" PATTERN "*.md")
install(EXPORT clinsearchTargets NAMESPACE clinsearch::
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/clinsearch)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/clinsearchConfig.cmake.in
  ${PROJECT_BINARY_DIR}/clinsearchConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/clinsearch)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/clinsearchConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/clinsearchConfig.cmake ${PROJECT_BINARY_DIR}/clinsearchConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/clinsearch)
file(RELATIVE_PATH CLINSEARCH_PC_TO_PREFIX "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
configure_file(${PROJECT_SOURCE_DIR}/cmake/clinsearch.pc.in ${PROJECT_BINARY_DIR}/clinsearch.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/clinsearch.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
# The README and the licences: the code's (GPL-2.0-or-later), the widget's
# (MIT) and the bundled data's (CC0-1.0).
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/LICENSE
              ${PROJECT_SOURCE_DIR}/LICENSE.data ${PROJECT_SOURCE_DIR}/LICENSE.widget
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
# The systemd unit of `serve`, for this install's prefix (packaging/).
configure_file(${PROJECT_SOURCE_DIR}/cmake/install_unit.cmake.in
               ${PROJECT_BINARY_DIR}/install_unit.cmake @ONLY)
install(SCRIPT ${PROJECT_BINARY_DIR}/install_unit.cmake)
