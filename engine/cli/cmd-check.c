/*
 * cmd-check.c - `reckon check`: regression checks of fixture sets.
 *
 * A fixture set is a folder with claims (claims*.jsonl, *.json or *.csv),
 * the expected estimates (expected.jsonl) and, when some claims are meant
 * to be rejected, expected-rejects.txt ("FILE:LINE: reason", FILE without
 * its folder).  check runs the set with the default options and compares:
 * ids, labels, places, dates, parents, flags, counts, origins, the method
 * and members exactly (a member's weight within 0.01); low, best and high
 * within a tolerance of 1% or 1, whichever is larger.  --update rewrites
 * the expected files from the current output.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>

#include "cli.h"

typedef struct {
  gboolean update;
  guint failed, passed;
} CheckState;

static gboolean is_claims_file(const char *name)
{
  return g_str_has_prefix(name, "claims") &&
         (g_str_has_suffix(name, ".jsonl") || g_str_has_suffix(name, ".json") ||
          g_str_has_suffix(name, ".csv"));
}

static int compare_names(gconstpointer a, gconstpointer b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names in @dir that pass @keep (or all when NULL). */
static GPtrArray *list_dir(const char *dir, gboolean (*keep)(const char *name))
{
  GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
  GDir *d = g_dir_open(dir, 0, NULL);
  if (!d)
    return names;
  const char *name;
  while ((name = g_dir_read_name(d)))
    if (!keep || keep(name))
      g_ptr_array_add(names, g_strdup(name));
  g_dir_close(d);
  g_ptr_array_sort(names, compare_names);
  return names;
}

static char *estimate_key(const cJSON *o)
{
  const cJSON *who = cJSON_GetObjectItemCaseSensitive(o, "who");
  return g_strdup_printf("%s %s%s%s", cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "incident")),
                         cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "metric")),
                         cJSON_IsString(who) ? "/" : "", cJSON_IsString(who) ? who->valuestring : "");
}

static char *json_text(const cJSON *item)
{
  return item ? cJSON_PrintUnformatted(item) : g_strdup("(missing)");
}

/* Numbers within max(1, 1%) of the expected value; null only matches null. */
static gboolean close_enough(const cJSON *want, const cJSON *got)
{
  if (cJSON_IsNumber(want) && cJSON_IsNumber(got)) {
    double w = want->valuedouble, g = got->valuedouble;
    return fabs(w - g) <= fmax(1.0, 0.01 * fabs(w));
  }
  return cJSON_Compare(want, got, TRUE);
}

static void diff_field(GPtrArray *diffs, const char *what, const cJSON *want, const cJSON *got,
                       gboolean tolerant)
{
  if (tolerant ? close_enough(want, got) : cJSON_Compare(want, got, TRUE))
    return;
  char *w = json_text(want), *g = json_text(got);
  g_ptr_array_add(diffs, g_strdup_printf("%s: expected %s, got %s", what, w, g));
  free(w);
  free(g);
}

static void diff_estimate(GPtrArray *diffs, const char *key, const cJSON *want, const cJSON *got)
{
  static const char *const tolerant[] = {"low", "best", "high"};
  static const char *const exact[] = {"label", "place",   "when",    "parent", "level",
                                      "claims", "sources", "origins", "flags",  "method"};
  for (gsize i = 0; i < G_N_ELEMENTS(tolerant); i++) {
    char *what = g_strdup_printf("%s: %s", key, tolerant[i]);
    diff_field(diffs, what, cJSON_GetObjectItemCaseSensitive(want, tolerant[i]),
               cJSON_GetObjectItemCaseSensitive(got, tolerant[i]), TRUE);
    g_free(what);
  }
  for (gsize i = 0; i < G_N_ELEMENTS(exact); i++) {
    char *what = g_strdup_printf("%s: %s", key, exact[i]);
    diff_field(diffs, what, cJSON_GetObjectItemCaseSensitive(want, exact[i]),
               cJSON_GetObjectItemCaseSensitive(got, exact[i]), FALSE);
    g_free(what);
  }
  /* Members by id: which claims moved in or out, and what changed in each. */
  const cJSON *wm = cJSON_GetObjectItemCaseSensitive(want, "members");
  const cJSON *gm = cJSON_GetObjectItemCaseSensitive(got, "members");
  const cJSON *m;
  cJSON_ArrayForEach(m, wm)
  {
    const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(m, "id"));
    const cJSON *other = NULL, *o;
    cJSON_ArrayForEach(o, gm) if (g_strcmp0(id, cJSON_GetStringValue(
                                      cJSON_GetObjectItemCaseSensitive(o, "id"))) == 0) other = o;
    if (!other) {
      g_ptr_array_add(diffs, g_strdup_printf("%s: claim %s is no longer a member", key, id));
      continue;
    }
    for (const cJSON *f = m->child; f; f = f->next) {
      char *what = g_strdup_printf("%s: claim %s: %s", key, id, f->string);
      const cJSON *g = cJSON_GetObjectItemCaseSensitive(other, f->string);
      /* A weight is a probability from an iterated fit: the last digit may
       * differ between machines, a change of a hundredth is a change. */
      if (g_strcmp0(f->string, "weight") == 0 && cJSON_IsNumber(f) && cJSON_IsNumber(g)) {
        if (fabs(f->valuedouble - g->valuedouble) > 0.01)
          g_ptr_array_add(diffs, g_strdup_printf("%s: expected %g, got %g", what, f->valuedouble,
                                                 g->valuedouble));
      } else {
        diff_field(diffs, what, f, g, FALSE);
      }
      g_free(what);
    }
  }
  cJSON_ArrayForEach(m, gm)
  {
    const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(m, "id"));
    gboolean known = FALSE;
    const cJSON *o;
    cJSON_ArrayForEach(o, wm) known |= g_strcmp0(id, cJSON_GetStringValue(
                                          cJSON_GetObjectItemCaseSensitive(o, "id"))) == 0;
    if (!known)
      g_ptr_array_add(diffs, g_strdup_printf("%s: claim %s is a new member", key, id));
  }
}

/* Reads expected.jsonl into key -> object; NULL when missing or unreadable. */
static GHashTable *read_expected(const char *path, GPtrArray *diffs)
{
  char *text = NULL;
  if (!g_file_get_contents(path, &text, NULL, NULL)) {
    g_ptr_array_add(diffs, g_strdup_printf("%s is missing (run 'reckon check --update')", path));
    return NULL;
  }
  GHashTable *map = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify)cJSON_Delete);
  char **lines = g_strsplit(text, "\n", -1);
  for (guint i = 0; lines[i]; i++) {
    if (!lines[i][0])
      continue;
    cJSON *o = cJSON_Parse(lines[i]);
    if (!cJSON_IsObject(o)) {
      g_ptr_array_add(diffs, g_strdup_printf("%s:%u: not a JSON object", path, i + 1));
      cJSON_Delete(o);
      continue;
    }
    g_hash_table_replace(map, estimate_key(o), o);
  }
  g_strfreev(lines);
  g_free(text);
  return map;
}

static char *rejects_text(const ReckonEngine *engine)
{
  GString *s = g_string_new(NULL);
  for (guint i = 0; i < reckon_engine_n_rejects(engine); i++) {
    const ReckonReject *r = reckon_engine_reject(engine, i);
    char *base = g_path_get_basename(r->file);
    g_string_append_printf(s, "%s:%u: %s\n", base, r->line, r->reason);
    g_free(base);
  }
  return g_string_free(s, FALSE);
}

static gboolean write_file(const char *path, const char *text)
{
  GError *error = NULL;
  if (!g_file_set_contents(path, text, -1, &error)) {
    cli_error("%s", error->message);
    g_error_free(error);
    return FALSE;
  }
  return TRUE;
}

/* Runs one set; returns FALSE on a regression or an error. */
static gboolean check_set(const char *dir, const GPtrArray *claim_files, CheckState *st)
{
  GError *error = NULL;
  GPtrArray *diffs = g_ptr_array_new_with_free_func(g_free);
  ReckonEngine *engine = reckon_engine_new(NULL, &error);
  for (guint i = 0; i < claim_files->len; i++) {
    char *path = g_build_filename(dir, g_ptr_array_index(claim_files, i), NULL);
    if (!reckon_engine_load_file(engine, path, &error)) {
      g_ptr_array_add(diffs, g_strdup(error->message));
      g_clear_error(&error);
    }
    g_free(path);
  }
  reckon_engine_run(engine, NULL);

  GString *actual = g_string_new(NULL);
  GHashTable *got = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify)cJSON_Delete);
  GPtrArray *order = g_ptr_array_new();
  for (guint i = 0; i < reckon_engine_n_estimates(engine); i++) {
    cJSON *o = reckon_estimate_to_json(reckon_engine_estimate(engine, i));
    char *line = cJSON_PrintUnformatted(o);
    g_string_append_printf(actual, "%s\n", line);
    cJSON_free(line);
    char *key = estimate_key(o);
    g_ptr_array_add(order, key);
    g_hash_table_replace(got, key, o);
  }
  char *rejects = rejects_text(engine);
  char *expected_path = g_build_filename(dir, "expected.jsonl", NULL);
  char *rejects_path = g_build_filename(dir, "expected-rejects.txt", NULL);
  gboolean ok;

  if (st->update) {
    ok = diffs->len == 0 && write_file(expected_path, actual->str);
    if (ok && rejects[0])
      ok = write_file(rejects_path, rejects);
    else if (ok)
      g_remove(rejects_path);
    printf("%s %s (%u estimates)\n", ok ? "updated" : "FAILED ", dir,
           reckon_engine_n_estimates(engine));
  } else {
    GHashTable *want = read_expected(expected_path, diffs);
    if (want) {
      for (guint i = 0; i < order->len; i++) {
        const char *key = g_ptr_array_index(order, i);
        const cJSON *w = g_hash_table_lookup(want, key);
        if (!w)
          g_ptr_array_add(diffs, g_strdup_printf("%s: new estimate", key));
        else
          diff_estimate(diffs, key, w, g_hash_table_lookup(got, key));
      }
      GList *keys = g_list_sort(g_hash_table_get_keys(want), (GCompareFunc)strcmp);
      for (GList *k = keys; k; k = k->next)
        if (!g_hash_table_contains(got, k->data))
          g_ptr_array_add(diffs, g_strdup_printf("%s: estimate is gone", (char *)k->data));
      g_list_free(keys);
      g_hash_table_unref(want);
    }
    char *want_rejects = NULL;
    if (!g_file_get_contents(rejects_path, &want_rejects, NULL, NULL))
      want_rejects = g_strdup("");
    if (strcmp(want_rejects, rejects) != 0)
      g_ptr_array_add(diffs, g_strdup_printf("rejects differ:\n--- expected\n%s--- got\n%s",
                                             want_rejects, rejects));
    g_free(want_rejects);
    ok = diffs->len == 0;
    printf("%s %s (%u estimates)\n", ok ? "ok  " : "FAIL", dir, reckon_engine_n_estimates(engine));
    for (guint i = 0; i < diffs->len; i++)
      printf("  %s\n", (char *)g_ptr_array_index(diffs, i));
  }
  if (ok)
    st->passed++;
  else
    st->failed++;

  g_free(expected_path);
  g_free(rejects_path);
  g_free(rejects);
  g_ptr_array_free(order, TRUE);
  g_hash_table_unref(got);
  g_string_free(actual, TRUE);
  g_ptr_array_free(diffs, TRUE);
  reckon_engine_free(engine);
  return ok;
}

/* A folder with claims is a set; otherwise each sub-folder with claims is. */
static gboolean check_dir(const char *dir, CheckState *st)
{
  if (!g_file_test(dir, G_FILE_TEST_IS_DIR)) {
    cli_error("%s: not a directory", dir);
    return FALSE;
  }
  GPtrArray *files = list_dir(dir, is_claims_file);
  gboolean found = files->len > 0;
  if (found)
    check_set(dir, files, st);
  g_ptr_array_free(files, TRUE);
  if (found)
    return TRUE;

  GPtrArray *subs = list_dir(dir, NULL);
  for (guint i = 0; i < subs->len; i++) {
    char *sub = g_build_filename(dir, g_ptr_array_index(subs, i), NULL);
    GPtrArray *f = g_file_test(sub, G_FILE_TEST_IS_DIR) ? list_dir(sub, is_claims_file) : NULL;
    if (f && f->len) {
      check_set(sub, f, st);
      found = TRUE;
    }
    if (f)
      g_ptr_array_free(f, TRUE);
    g_free(sub);
  }
  g_ptr_array_free(subs, TRUE);
  if (!found)
    cli_error("%s: no fixture sets (folders with claims*.jsonl)", dir);
  return found;
}

int cmd_check(int argc, char **argv)
{
  CheckState st = {0};
  char **dirs = NULL;
  GOptionEntry entries[] = {
    {"update", 0, 0, G_OPTION_ARG_NONE, &st.update,
     "Rewrite the expected files from the current output", NULL},
    {G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &dirs, NULL, "[DIR...]"},
    G_OPTION_ENTRY_NULL,
  };
  GOptionContext *ctx = g_option_context_new("- check fixture sets");
  g_option_context_set_summary(
      ctx, "Runs each fixture set (a folder with claims*.jsonl and expected.jsonl; default\n"
           "'fixtures', whose sub-folders are the sets) and compares with the expected\n"
           "output: exact for ids, flags and members, within max(1, 1%) for low, best, high.\n"
           "Exit status: 0 all sets pass, 1 a regression, 2 usage or no sets found.");
  g_option_context_add_main_entries(ctx, entries, NULL);
  GError *error = NULL;
  int status;
  if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
    cli_error("%s", error->message);
    g_error_free(error);
    status = EXIT_USAGE;
  } else {
    static const char *const default_dirs[] = {"fixtures", NULL};
    gboolean usable = TRUE;
    for (const char *const *d = dirs && dirs[0] ? (const char *const *)dirs : default_dirs; *d; d++)
      usable &= check_dir(*d, &st);
    if (!usable)
      status = EXIT_USAGE;
    else
      status = st.failed ? EXIT_FINDINGS : EXIT_OK;
    printf("%u passed, %u failed\n", st.passed, st.failed);
  }
  g_strfreev(dirs);
  g_option_context_free(ctx);
  return status;
}
