/* The C API from a C program, as an FFI user would call it: index the
 * bundled corpus, search, suggest, read a document, and check that bad
 * input gives {"error"} instead of a crash.
 * usage: c_api_test SOURCE_DIR WORK_DIR */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clinsearch/clinsearch.h"

static int failures = 0;

static void check(int ok, const char* what, const char* detail) {
  if (!ok) {
    printf("FAIL: %s\n  %s\n", what, detail ? detail : "");
    ++failures;
  }
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

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: c_api_test SOURCE_DIR WORK_DIR\n");
    return 2;
  }
  char corpus[4096], db[4096];
  snprintf(corpus, sizeof corpus, "%s/corpus", argv[1]);
  snprintf(db, sizeof db, "%s/c-api-index", argv[2]);
  check(strlen(cs_version()) > 0, "cs_version", NULL);

  const char* paths[] = {corpus};
  char* summary = cs_index_paths(db, paths, 1, 1);
  check(summary && strstr(summary, "\"documents\":16") != NULL,
        "cs_index_paths indexes 16 documents", summary);
  cs_free(summary);

  char* err = NULL;
  cs_searcher* none = cs_searcher_open("/nonexistent/clinsearch-index", &err);
  check(none == NULL && err != NULL && strstr(err, "nonexistent") != NULL,
        "open of a missing index fails", err);
  cs_free(err);

  cs_searcher* s = cs_searcher_open(db, &err);
  check(s != NULL && err == NULL, "cs_searcher_open", err);
  if (!s) return 1;

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

  /* Invalid options are refused, as over HTTP: wrong types, bounds, unknown keys. */
  const char* refused[] = {"{\"limit\": \"5\"}", "{\"limit\": -1}",     "{\"limit\": 0}",
                           "{\"limit\": 101}",   "{\"offset\": 10001}", "{\"facets\": 1}",
                           "{\"source\": 7}",    "{\"limt\": 5}",       "{\"q\": \"tumor\"}"};
  for (size_t i = 0; i < sizeof refused / sizeof *refused; ++i) {
    json = cs_search(s, "tumor", refused[i]);
    check(strncmp(json, "{\"error\":", 9) == 0, refused[i], json);
    cs_free(json);
  }
  json = cs_search(s, "", NULL);
  check(strstr(json, "\"error\"") != NULL, "an empty query is an error object", json);
  cs_free(json);

  json = cs_search(s, "!!!", NULL);
  check(strstr(json, "\"error\"") != NULL, "a query without words is an error object", json);
  cs_free(json);

  json = cs_search(s, "tumor", "not json");
  check(strstr(json, "\"error\"") != NULL, "bad options are an error object", json);
  cs_free(json);

  json = cs_search(s, "tum\xff\xfeor", NULL);
  check(json != NULL && strstr(json, "\"query\"") != NULL, "invalid UTF-8 is repaired", json);
  cs_free(json);

  json = cs_suggest(s, "cryo", 5);
  check(strstr(json, "\"suggestions\":[{") != NULL, "cs_suggest", json);
  cs_free(json);

  json = cs_document(s, "no/such/doc");
  check(strstr(json, "\"error\"") != NULL, "unknown document is an error object", json);
  cs_free(json);

  check(cs_searcher_reopen(s, &err) == 0, "cs_searcher_reopen", err);
  cs_free(err);
  cs_searcher_close(s);
  cs_searcher_close(NULL);
  cs_free(NULL);

  json = cs_search(NULL, "tumor", NULL);
  check(strstr(json, "\"error\"") != NULL, "a NULL searcher is an error object", json);
  cs_free(json);

  if (failures) return 1;
  printf("c_api_test: all checks passed\n");
  return 0;
}
