// SPDX-License-Identifier: GPL-2.0-or-later
// An empty translation unit: the shared library takes its objects from
// clinsearch_core (cmake/ClinsearchTargets.cmake).
