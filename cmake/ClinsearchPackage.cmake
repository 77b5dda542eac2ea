# SPDX-License-Identifier: GPL-2.0-or-later
# The Debian package (CPack): `cpack -G DEB` in a build folder makes
# clinsearch_VERSION_ARCH.deb with everything `cmake --install` installs,
# under /usr - the library, headers, CMake and pkg-config files, the
# clinsearch program, the bundled dictionary, the licences - plus a systemd
# unit for `serve` that runs as its own user (created by the package) with
# the index read-only (packaging/). Library dependencies come from
# dpkg-shlibdeps.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME clinsearch)
set(CPACK_PACKAGE_VENDOR "the clinsearch authors")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "clinical content search: lay words to clinical passages")
set(CPACK_PACKAGE_DESCRIPTION
    "clinsearch indexes patient and clinical content (text, Markdown, HTML,\n"
    "JSON Lines) into Xapian and ranks passages for questions in lay words,\n"
    "through a bundled clinical synonym dictionary. This package holds the\n"
    "library (C and C++ API), the clinsearch program (index, search, serve)\n"
    "and a systemd unit for its HTTP API and search page.")
string(JOIN "" CPACK_PACKAGE_DESCRIPTION ${CPACK_PACKAGE_DESCRIPTION})
set(CPACK_PACKAGE_CONTACT "clinsearch authors <clinsearch@localhost>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The analyzer reads these word lists (analysis/analyzer.h); adduser makes
# the service's user.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser, wamerican, hunspell-en-med")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/packaging/postinst ${PROJECT_SOURCE_DIR}/packaging/prerm
    ${PROJECT_SOURCE_DIR}/packaging/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
