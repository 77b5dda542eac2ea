// SPDX-License-Identifier: GPL-2.0-or-later
// CLINSEARCH_EXPORT marks what libclinsearch.so exports: the classes and
// functions of include/clinsearch/. The library is built with hidden
// visibility, so everything else stays internal (not part of the ABI).
#ifndef CLINSEARCH_EXPORT_H_
#define CLINSEARCH_EXPORT_H_

#if defined(__cplusplus) && (defined(__GNUC__) || defined(__clang__))
#define CLINSEARCH_EXPORT [[gnu::visibility("default")]]
#elif defined(__GNUC__) || defined(__clang__)
#define CLINSEARCH_EXPORT __attribute__((visibility("default")))
#else
#define CLINSEARCH_EXPORT
#endif

#endif  // CLINSEARCH_EXPORT_H_
