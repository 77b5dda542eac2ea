// SPDX-License-Identifier: GPL-2.0-or-later
/* The C API from a C program, as an FFI user would call it: index the
 * bundled corpus, search, suggest, read a document, and check that bad
 * input and misuse give {"error"} or are ignored instead of a crash, and
 * that the library writes nothing to the host's stdout or stderr.
 * usage: c_api_test SOURCE_DIR WORK_DIR */
#define _POSIX_C_SOURCE 200809L

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clinsearch/clinsearch.h"

static int failures = 0;

static void check(int ok, const char* what, const char* detail) {
  if (!ok) {
    printf("FAIL: %s\n  %s\n", what, detail ? detail : "");
    ++failures;
  }
}

static int is_error(const char* json) { return json && strncmp(json, "{\"error\":", 9) == 0; }

/* How many times `needle` occurs in `haystack`. */
static int count(const char* haystack, const char* needle) {
  int n = 0;
  for (const char* p = strstr(haystack, needle); p; p = strstr(p + 1, needle)) ++n;
  return n;
}

/* Whether a search answer lists some document twice (doc_id values). */
static int repeats_a_document(const char* json) {
  char ids[64][256];
  int n = 0;
  const char* key = "\"doc_id\":\"";
  for (const char* p = strstr(json, key); p && n < 64; p = strstr(p, key)) {
    p += strlen(key);
    const char* end = strchr(p, '"');
    if (!end || end - p >= 256) break;
    memcpy(ids[n], p, (size_t)(end - p));
    ids[n][end - p] = '\0';
    for (int i = 0; i < n; ++i) {
      if (strcmp(ids[i], ids[n]) == 0) return 1;
    }
    ++n;
  }
  return 0;
}

/* The log lines a callback received (review #35). */
struct log_capture {
  char text[16384];
  size_t used;
  int lines;
  int max_level;
};

static void capture_log(int level, const char* message, void* user) {
  struct log_capture* c = (struct log_capture*)user;
  int n = snprintf(c->text + c->used, sizeof c->text - c->used, "%d %s\n", level, message);
  if (n > 0 && c->used + (size_t)n < sizeof c->text) c->used += (size_t)n;
  ++c->lines;
  if (level > c->max_level) c->max_level = level;
}

/* fds 1 and 2 sent to files while the library is called (review #35). */
struct redirect {
  int saved[2];
  char path[2][4096];
};

static void redirect_begin(struct redirect* r, const char* work_dir) {
  fflush(stdout);
  fflush(stderr);
  for (int fd = 1; fd <= 2; ++fd) {
    snprintf(r->path[fd - 1], sizeof r->path[0], "%s/fd%d.txt", work_dir, fd);
    r->saved[fd - 1] = dup(fd);
    int file = open(r->path[fd - 1], O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (file < 0 || dup2(file, fd) < 0) {
      perror(r->path[fd - 1]);
      exit(2);
    }
    close(file);
  }
}

/* Restores fds 1 and 2; returns the bytes written to them meanwhile. */
static long redirect_end(struct redirect* r) {
  fflush(stdout);
  fflush(stderr);
  long written = 0;
  for (int fd = 1; fd <= 2; ++fd) {
    dup2(r->saved[fd - 1], fd);
    close(r->saved[fd - 1]);
    struct stat st;
    if (stat(r->path[fd - 1], &st) == 0) written += (long)st.st_size;
  }
  return written;
}

static void check_search(cs_searcher* s) {
  char* json = cs_search(s, "freeze tumor", NULL);
  check(strstr(json, "\"results\":[{") != NULL && strstr(json, "ryoablation") != NULL,
        "freeze tumor finds cryoablation", json);
  cs_free(json);

  json = cs_search(s, "freeze tumor", "{\"limit\": 2, \"spelling\": false}");
  check(strstr(json, "\"rank\":2") != NULL && strstr(json, "\"rank\":3") == NULL, "limit option",
        json);
  cs_free(json);

  /* The HTTP API's defaults: one passage per document unless per_document
   * says otherwise ("tumor" matches several passages of some documents). */
  json = cs_search(s, "tumor", NULL);
  check(strstr(json, "\"results\":[{") != NULL && !repeats_a_document(json),
        "one passage per document by default", json);
  cs_free(json);
  json = cs_search(s, "tumor", "{\"per_document\": 0}");
  check(repeats_a_document(json), "per_document 0 lists several passages of a document", json);
  cs_free(json);

  json = cs_search(s, "", NULL);
  check(is_error(json), "an empty query is an error object", json);
  cs_free(json);
  json = cs_search(s, "!!!", NULL);
  check(is_error(json), "a query without words is an error object", json);
  cs_free(json);
  json = cs_search(s, "tum\xff\xfeor", NULL);
  check(json != NULL && strstr(json, "\"query\"") != NULL, "invalid UTF-8 is repaired", json);
  cs_free(json);
}

/* Review #34: invalid option values and unknown keys are errors naming the
 * option, as over HTTP (limit 0 included), never ignored or clamped. */
static void check_refused_options(cs_searcher* s) {
  static const char* const refused[][2] = {
      {"{\"limit\": -1}", "limit"},
      {"{\"limit\": 1.5}", "limit"},
      {"{\"limit\": \"5\"}", "limit"},
      {"{\"limit\": 1e30}", "limit"},
      {"{\"limit\": 0}", "limit"},
      {"{\"limit\": 101}", "limit"},
      {"{\"limit\": 1000000000}", "limit"},
      {"{\"limit\": true}", "limit"},
      {"{\"offset\": 10001}", "offset"},
      {"{\"per_document\": -2}", "per_document"},
      {"{\"facets\": \"yes\"}", "facets"},
      {"{\"facets\": 1}", "facets"},
      {"{\"source\": 5}", "source"},
      {"{\"section\": [\"pain\"]}", "section"},
      {"{\"limt\": 5}", "limt"},
      {"{\"q\": \"tumor\"}", "q"},
      {"not json", "JSON object"},
      {"[]", "JSON object"},
  };
  for (size_t i = 0; i < sizeof refused / sizeof *refused; ++i) {
    char* json = cs_search(s, "tumor", refused[i][0]);
    check(is_error(json) && strstr(json, refused[i][1]) != NULL, refused[i][0], json);
    cs_free(json);
  }
  char* json = cs_search(s, "tumor", "{\"limit\": 100, \"offset\": 10000, \"facets\": true}");
  check(!is_error(json), "the largest values the HTTP API takes are taken", json);
  cs_free(json);
}

/* Review #34: cs_suggest's limit is 1..50 as over HTTP, 0 the default (8);
 * cs_document's id at most 2,000 bytes. */
static void check_suggest_and_document(cs_searcher* s) {
  static const int refused[] = {-5, -1, 51, 1000, INT_MAX, INT_MIN};
  for (size_t i = 0; i < sizeof refused / sizeof *refused; ++i) {
    char* json = cs_suggest(s, "c", refused[i]);
    check(is_error(json) && strstr(json, "limit") != NULL, "cs_suggest refuses a bad limit", json);
    cs_free(json);
  }
  char* json = cs_suggest(s, "c", 1);
  check(count(json, "\"text\":") == 1, "cs_suggest limit 1 gives one suggestion", json);
  cs_free(json);
  json = cs_suggest(s, "c", 0);
  int n = count(json, "\"text\":");
  check(n > 1 && n <= 8, "cs_suggest limit 0 gives the default, at most 8", json);
  cs_free(json);
  json = cs_suggest(s, "c", 50);
  check(count(json, "\"text\":") > 8, "cs_suggest limit 50 gives more than the default", json);
  cs_free(json);
  json = cs_suggest(s, "cryo", 5);
  check(strstr(json, "\"suggestions\":[{") != NULL, "cs_suggest", json);
  cs_free(json);

  char long_text[2002];
  memset(long_text, 'a', 2001);
  long_text[2001] = '\0';
  json = cs_suggest(s, long_text, 5);
  check(is_error(json), "cs_suggest refuses a prefix over 2,000 bytes", json);
  cs_free(json);
  json = cs_document(s, long_text);
  check(is_error(json) && strstr(json, "too long") != NULL,
        "cs_document refuses an id over 2,000 bytes", json);
  cs_free(json);
  json = cs_document(s, "no/such/doc");
  check(is_error(json), "unknown document is an error object", json);
  cs_free(json);
}

/* Review #36: a closed handle, a double close and a double free are
 * detected (error or ignored, and logged), never a crash; under
 * AddressSanitizer too, so the library must not read freed memory. */
static void check_misuse(const char* db, const char* work_dir) {
  struct redirect r;
  redirect_begin(&r, work_dir);
  char* once = cs_search(NULL, "tumor", NULL);
  cs_free(once);
  cs_free(once); /* logged, but nowhere without a callback (review #35) */
  check(redirect_end(&r) == 0, "misuse writes nothing to fds 1 and 2 without a callback",
        r.path[0]);

  struct log_capture log = {{0}, 0, 0, 0};
  cs_set_log_callback(CS_LOG_ERROR, capture_log, &log);

  char* err = NULL;
  cs_searcher* s = cs_searcher_open(db, &err);
  check(s != NULL, "cs_searcher_open", err);
  cs_free(err);
  cs_searcher_close(s);

  char* json = cs_search(s, "tumor", NULL);
  check(is_error(json) && strstr(json, "misuse") != NULL, "search on a closed handle", json);
  cs_free(json);
  json = cs_suggest(s, "cryo", 5);
  check(is_error(json) && strstr(json, "misuse") != NULL, "suggest on a closed handle", json);
  cs_free(json);
  json = cs_document(s, "x");
  check(is_error(json) && strstr(json, "misuse") != NULL, "document on a closed handle", json);
  cs_free(json);
  check(cs_searcher_reopen(s, &err) == -1 && err && strstr(err, "misuse") != NULL,
        "reopen of a closed handle", err);
  cs_free(err);
  cs_searcher_close(s); /* double close: ignored */

  json = cs_search(NULL, "tumor", NULL);
  check(is_error(json) && strstr(json, "no searcher") != NULL, "a NULL searcher", json);
  cs_free(json);
  cs_free(json); /* double free: ignored */
  char* foreign = malloc(16);
  cs_free(foreign); /* not the library's: ignored, so still ours to free */
  free(foreign);
  cs_searcher_close(NULL);
  cs_free(NULL);

  cs_set_log_callback(CS_LOG_ERROR, NULL, NULL);
  check(count(log.text, "misuse") == 7 && log.max_level == CS_LOG_ERROR,
        "each misuse is logged once at CS_LOG_ERROR", log.text);
}

/* Review #35: with no callback nothing is written to stdout or stderr
 * (spdlog's default logger printed "[info] dictionary: ..." to stdout);
 * with one, it receives the lines, and none above debug holds the query. */
static void check_logging(const char* corpus, const char* db, const char* work_dir) {
  const char* paths[] = {corpus};
  struct redirect r;
  redirect_begin(&r, work_dir);
  char* summary = cs_index_paths(db, paths, 1, 1);
  cs_searcher* s = cs_searcher_open(db, NULL);
  char* json = cs_search(s, "zzprivateword tumor", NULL);
  cs_searcher_close(s);
  long written = redirect_end(&r);
  check(written == 0, "nothing written to fds 1 and 2 without a log callback", r.path[0]);
  check(summary && strstr(summary, "\"documents\":16") != NULL,
        "cs_index_paths indexes 16 documents", summary);
  check(json && strstr(json, "\"results\":[{") != NULL, "search while redirected", json);
  cs_free(summary);
  cs_free(json);

  struct log_capture log = {{0}, 0, 0, 0};
  cs_set_log_callback(CS_LOG_INFO, capture_log, &log);
  redirect_begin(&r, work_dir);
  summary = cs_index_paths(db, paths, 1, 1);
  s = cs_searcher_open(db, NULL);
  json = cs_search(s, "zzprivateword tumor", NULL);
  cs_searcher_close(s);
  written = redirect_end(&r);
  cs_set_log_callback(CS_LOG_INFO, NULL, NULL);
  check(written == 0, "nothing written to fds 1 and 2 with a log callback", r.path[0]);
  check(strstr(log.text, "20 dictionary: ") != NULL, "the callback receives info lines", log.text);
  check(strstr(log.text, "zzprivateword") == NULL, "no query text above debug", log.text);
  cs_free(summary);
  cs_free(json);

  int lines = log.lines;
  summary = cs_index_paths(db, paths, 1, 0);
  check(log.lines == lines, "a removed callback is not called", log.text);
  cs_free(summary);
}

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: c_api_test SOURCE_DIR WORK_DIR\n");
    return 2;
  }
  char corpus[4096], db[4096];
  snprintf(corpus, sizeof corpus, "%s/corpus", argv[1]);
  snprintf(db, sizeof db, "%s/c-api-index", argv[2]);
  check(strlen(cs_version()) > 0, "cs_version", NULL);
  mkdir(argv[2], 0700); /* may exist */

  check_logging(corpus, db, argv[2]);

  char* err = NULL;
  cs_searcher* none = cs_searcher_open("/nonexistent/clinsearch-index", &err);
  check(none == NULL && err != NULL && strstr(err, "nonexistent") != NULL,
        "open of a missing index fails", err);
  cs_free(err);

  cs_searcher* s = cs_searcher_open(db, &err);
  check(s != NULL && err == NULL, "cs_searcher_open", err);
  if (!s) return 1;
  check_search(s);
  check_refused_options(s);
  check_suggest_and_document(s);
  check(cs_searcher_reopen(s, &err) == 0, "cs_searcher_reopen", err);
  cs_free(err);
  cs_searcher_close(s);

  check_misuse(db, argv[2]);

  if (failures) return 1;
  printf("c_api_test: all checks passed\n");
  return 0;
}
