// SPDX-License-Identifier: GPL-2.0-or-later
// Linked into every program of a sanitizer build (CLINSEARCH_SANITIZE).
// libxapian 1.4.22's own Database::check, which Searcher::Open runs, deletes
// its table checker through a base class 8 bytes smaller (440 vs 432 bytes:
// the same allocator size class, harmless); ASan's new/delete size check
// would stop every program at the first index open. That one check is off;
// every other ASan check stays on. ASAN_OPTIONS from the environment still
// override this.
extern "C" const char* __asan_default_options() { return "new_delete_type_mismatch=0"; }
