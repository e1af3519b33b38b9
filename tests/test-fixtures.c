/*
 * test-fixtures.c - two promises checked on every fixture set in
 * fixtures/ (each folder is found at run time, so a new set is covered
 * without a line here):
 *   conservation  every claim in the set's files ends up in exactly one
 *                 estimate's members or among the rejects;
 *   shuffle       the same claims in any order, and the files in any
 *                 order, give byte-identical output.
 */
#include <reckon.h>
#include <string.h>

#include "engine-private.h"
#include "testutil.h"

typedef struct {
  char *path;
  char *text;
  gsize len;
} ClaimsFile;

typedef struct {
  char *name;
  GPtrArray *files; /* of ClaimsFile*, sorted by name as `reckon check` loads them */
} FixtureSet;

static void claims_file_free(gpointer data)
{
  ClaimsFile *f = data;
  g_free(f->path);
  g_free(f->text);
  g_free(f);
}

static void fixture_set_free(gpointer data)
{
  FixtureSet *set = data;
  g_free(set->name);
  g_ptr_array_unref(set->files);
  g_free(set);
}

static gboolean is_claims_file(const char *name)
{
  return g_str_has_prefix(name, "claims") &&
         (g_str_has_suffix(name, ".jsonl") || g_str_has_suffix(name, ".json") ||
          g_str_has_suffix(name, ".csv"));
}

static int compare_strings(gconstpointer a, gconstpointer b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names in @dir that pass @keep (all when NULL). */
static GPtrArray *list_dir(const char *dir, gboolean (*keep)(const char *name))
{
  GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
  GDir *d = g_dir_open(dir, 0, NULL);
  g_assert_nonnull(d);
  const char *name;
  while ((name = g_dir_read_name(d)))
    if (!keep || keep(name))
      g_ptr_array_add(names, g_strdup(name));
  g_dir_close(d);
  g_ptr_array_sort(names, compare_strings);
  return names;
}

static GPtrArray *find_sets(void)
{
  char *root = g_test_build_filename(G_TEST_DIST, "..", "fixtures", NULL);
  GPtrArray *sets = g_ptr_array_new_with_free_func(fixture_set_free);
  GPtrArray *dirs = list_dir(root, NULL);
  for (guint i = 0; i < dirs->len; i++) {
    char *dir = g_build_filename(root, g_ptr_array_index(dirs, i), NULL);
    if (g_file_test(dir, G_FILE_TEST_IS_DIR)) {
      FixtureSet *set = g_new0(FixtureSet, 1);
      set->name = g_strdup(g_ptr_array_index(dirs, i));
      set->files = g_ptr_array_new_with_free_func(claims_file_free);
      GPtrArray *names = list_dir(dir, is_claims_file);
      for (guint j = 0; j < names->len; j++) {
        ClaimsFile *f = g_new0(ClaimsFile, 1);
        f->path = g_build_filename(dir, g_ptr_array_index(names, j), NULL);
        g_assert_true(g_file_get_contents(f->path, &f->text, &f->len, NULL));
        g_ptr_array_add(set->files, f);
      }
      g_ptr_array_unref(names);
      g_ptr_array_add(sets, set);
    }
    g_free(dir);
  }
  g_ptr_array_unref(dirs);
  g_free(root);
  return sets;
}

/* Loads @files in the order given and runs. */
static ReckonEngine *run_files(GPtrArray *files)
{
  ReckonEngine *engine = reckon_engine_new(NULL, NULL);
  for (guint i = 0; i < files->len; i++) {
    const ClaimsFile *f = g_ptr_array_index(files, i);
    GError *error = NULL;
    g_assert_true(reckon_engine_load_buffer(engine, f->path, f->text, f->len, &error));
    g_assert_no_error(error);
  }
  g_assert_true(reckon_engine_run(engine, NULL));
  return engine;
}

/* Where the claims of @f are, counted without reckon's reader: "PATH:LINE"
 * for each claim of JSON Lines (a non-blank line) or CSV (a non-blank line
 * after the header; fixtures quote no line ends).  A JSON array's elements
 * are only counted, as "PATH" once per element. */
static void expected_positions(const ClaimsFile *f, GHashTable *positions)
{
  if (g_str_has_suffix(f->path, ".json")) {
    cJSON *arr = cJSON_ParseWithLength(f->text, f->len);
    g_assert_true(cJSON_IsArray(arr));
    g_hash_table_insert(positions, g_strdup(f->path), GINT_TO_POINTER(cJSON_GetArraySize(arr)));
    cJSON_Delete(arr);
    return;
  }
  char **lines = g_strsplit(f->text, "\n", -1);
  gboolean header = g_str_has_suffix(f->path, ".csv");
  for (guint i = 0; lines[i]; i++) {
    if (!g_strstrip(lines[i])[0])
      continue;
    if (header)
      header = FALSE;
    else
      g_hash_table_insert(positions, g_strdup_printf("%s:%u", f->path, i + 1), GINT_TO_POINTER(1));
  }
  g_strfreev(lines);
}

/* Counts the claim read from @file at @line off @positions, failing when
 * it was not there: a claim accounted for twice, or never in the input. */
static void account(GHashTable *positions, const char *file, guint line, const char *as)
{
  char *pos = g_str_has_suffix(file, ".json") ? g_strdup(file) : g_strdup_printf("%s:%u", file, line);
  int left = GPOINTER_TO_INT(g_hash_table_lookup(positions, pos));
  if (left <= 0)
    g_error("%s %s:%u is not a claim of the input, or is accounted for twice", as, file, line);
  if (left == 1)
    g_hash_table_remove(positions, pos);
  else
    g_hash_table_insert(positions, g_strdup(pos), GINT_TO_POINTER(left - 1));
  g_free(pos);
}

static void test_conservation(gconstpointer data)
{
  const FixtureSet *set = data;
  g_test_summary("Every claim of the fixture set is in exactly one estimate's members or "
                 "among the rejects");
  GHashTable *positions = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < set->files->len; i++)
    expected_positions(g_ptr_array_index(set->files, i), positions);
  guint n_input = 0;
  GHashTableIter it;
  gpointer count;
  g_hash_table_iter_init(&it, positions);
  while (g_hash_table_iter_next(&it, NULL, &count))
    n_input += (guint)GPOINTER_TO_INT(count);
  g_assert_cmpuint(n_input, >, 0);

  ReckonEngine *engine = run_files(set->files);
  guint used = 0;
  for (guint i = 0; i < reckon_engine_n_estimates(engine); i++) {
    const ReckonEstimate *e = reckon_engine_estimate(engine, i);
    for (guint j = 0; j < reckon_estimate_n_members(e); j++, used++) {
      const ReckonMember *m = reckon_estimate_member(e, j);
      account(positions, m->file, m->line, "member");
    }
  }
  for (guint i = 0; i < reckon_engine_n_rejects(engine); i++) {
    const ReckonReject *r = reckon_engine_reject(engine, i);
    g_assert_cmpstr(r->reason, !=, "");
    account(positions, r->file, r->line, "reject");
  }
  g_assert_cmpuint(g_hash_table_size(positions), ==, 0);
  g_assert_cmpuint(used, ==, reckon_engine_n_claims(engine));
  g_assert_cmpuint(used + reckon_engine_n_rejects(engine), ==, n_input);
  g_hash_table_unref(positions);
  reckon_engine_free(engine);
}

static void shuffle(GPtrArray *items)
{
  for (guint i = items->len; i > 1; i--) {
    guint j = (guint)g_test_rand_int_range(0, (gint32)i);
    gpointer t = items->pdata[i - 1];
    items->pdata[i - 1] = items->pdata[j];
    items->pdata[j] = t;
  }
}

/* @f with its claims in a random order: lines of JSON Lines, records of
 * CSV after the header, elements of a JSON array. */
static ClaimsFile *shuffled_copy(const ClaimsFile *f)
{
  ClaimsFile *copy = g_new0(ClaimsFile, 1);
  copy->path = g_strdup(f->path);
  GPtrArray *items = g_ptr_array_new_with_free_func(g_free);
  GString *out = g_string_new(NULL);
  if (g_str_has_suffix(f->path, ".json")) {
    cJSON *arr = cJSON_ParseWithLength(f->text, f->len);
    for (const cJSON *c = arr ? arr->child : NULL; c; c = c->next)
      g_ptr_array_add(items, cJSON_PrintUnformatted(c));
    cJSON_Delete(arr);
    shuffle(items);
    g_ptr_array_add(items, NULL);
    char *joined = g_strjoinv(",\n", (char **)items->pdata);
    g_string_append_printf(out, "[\n%s\n]\n", joined);
    g_free(joined);
  } else {
    char **lines = g_strsplit(f->text, "\n", -1);
    guint first = g_str_has_suffix(f->path, ".csv") ? 1 : 0;
    for (guint i = 0; lines[i]; i++)
      if (i < first)
        g_string_append_printf(out, "%s\n", lines[i]);
      else
        g_ptr_array_add(items, g_strdup(lines[i]));
    g_strfreev(lines);
    shuffle(items);
    for (guint i = 0; i < items->len; i++)
      g_string_append_printf(out, "%s\n", (char *)g_ptr_array_index(items, i));
  }
  g_ptr_array_unref(items);
  copy->len = out->len;
  copy->text = g_string_free(out, FALSE);
  return copy;
}

static void test_shuffle(gconstpointer data)
{
  const FixtureSet *set = data;
  g_test_summary("The fixture set's claims in any order, and its files in any order, give "
                 "byte-identical output");
  ReckonEngine *engine = run_files(set->files);
  /* A claim without an id is named by its place in the file; moving it
   * renames it, so such a set cannot promise the same output. */
  for (guint i = 0; i < reckon_engine_n_estimates(engine); i++) {
    const ReckonEstimate *e = reckon_engine_estimate(engine, i);
    for (guint j = 0; j < reckon_estimate_n_members(e); j++) {
      const ReckonMember *m = reckon_estimate_member(e, j);
      char *position = g_strdup_printf("%s:%u", m->file, m->line);
      if (strcmp(m->id, position) == 0)
        g_error("%s: the claim at %s has no id; give every fixture claim an id", set->name,
                position);
      g_free(position);
    }
  }
  char *want = test_write_to_string(engine, RECKON_FORMAT_JSONL);
  reckon_engine_free(engine);
  g_assert_cmpuint(strlen(want), >, 0);

  for (int round = 0; round < 20; round++) {
    GPtrArray *files = g_ptr_array_new_with_free_func(claims_file_free);
    for (guint i = 0; i < set->files->len; i++)
      g_ptr_array_add(files, shuffled_copy(g_ptr_array_index(set->files, i)));
    shuffle(files);
    engine = run_files(files);
    char *got = test_write_to_string(engine, RECKON_FORMAT_JSONL);
    g_assert_cmpstr(got, ==, want);
    g_free(got);
    reckon_engine_free(engine);
    g_ptr_array_unref(files);
  }
  g_free(want);
}

/* Each estimate of @engine as writer.c's direct JSON Lines writer puts it
 * and as cJSON prints reckon_estimate_to_json(): the same bytes. */
static void assert_jsonl_as_cjson(const ReckonEngine *engine)
{
  GString *line = g_string_new(NULL);
  g_assert_cmpuint(reckon_engine_n_estimates(engine), >, 0);
  for (guint i = 0; i < reckon_engine_n_estimates(engine); i++) {
    const ReckonEstimate *e = reckon_engine_estimate(engine, i);
    cJSON *o = reckon_estimate_to_json(e);
    char *want = cJSON_PrintUnformatted(o);
    g_string_truncate(line, 0);
    estimate_write_jsonl(e, engine->any_extra, line);
    g_assert_cmpstr(line->str, ==, want);
    cJSON_free(want);
    cJSON_Delete(o);
  }
  g_string_free(line, TRUE);
}

static void test_jsonl(gconstpointer data)
{
  const FixtureSet *set = data;
  g_test_summary("JSON Lines written directly are the bytes cJSON prints for each estimate");
  ReckonEngine *engine = run_files(set->files);
  assert_jsonl_as_cjson(engine);
  reckon_engine_free(engine);
}

/* Strings that need escaping (also at their first and last byte), passed-through fields, a count past the
 * range of int and a best value between two counts. */
static void test_jsonl_edges(void)
{
  g_test_summary("The direct JSON Lines writer escapes and formats numbers as cJSON does");
  static const char claims[] =
      "{\"id\": \"q\\\"uote\\\\back\\ttab\\u0001ctl\\u007f\", \"source\": \"S\u00e9 \\n1\", "
      "\"incident\": {\"what\": \"air strike\", \"where\": \"Idlib\", \"when\": \"2024-01-02\"}, "
      "\"metric\": \"killed\", \"value\": \"5000000000\", \"note\": {\"a\": [1, 2.5, null, true]}}\n"
      "{\"id\": \"\\\"b\\n\", \"source\": \"T\", \"incident\": {\"what\": \"air strike\", \"where\": "
      "\"Ariha\", \"when\": \"2024-01-02\"}, \"metric\": \"killed\", \"value\": \"10\"}\n"
      "{\"id\": \"c\", \"source\": \"U\", \"incident\": {\"what\": \"air strike\", \"where\": "
      "\"Ariha\", \"when\": \"2024-01-02\"}, \"metric\": \"killed\", \"value\": \"11\"}\n";
  for (int method = 0; method < 4; method++) {
    ReckonOptions opts = RECKON_OPTIONS_INIT;
    opts.method = (ReckonMethod)method;
    ReckonEngine *engine = reckon_engine_new(&opts, NULL);
    g_assert_true(reckon_engine_load_buffer(engine, "edges.jsonl", claims, sizeof claims - 1, NULL));
    g_assert_true(reckon_engine_run(engine, NULL));
    assert_jsonl_as_cjson(engine);
    reckon_engine_free(engine);
  }
}

int main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  GPtrArray *sets = find_sets();
  g_assert_cmpuint(sets->len, >, 0);
  for (guint i = 0; i < sets->len; i++) {
    FixtureSet *set = g_ptr_array_index(sets, i);
    if (set->files->len == 0)
      continue;
    char *name = g_strdup_printf("/fixtures/conservation/%s", set->name);
    g_test_add_data_func(name, set, test_conservation);
    g_free(name);
    name = g_strdup_printf("/fixtures/shuffle/%s", set->name);
    g_test_add_data_func(name, set, test_shuffle);
    g_free(name);
    name = g_strdup_printf("/fixtures/jsonl/%s", set->name);
    g_test_add_data_func(name, set, test_jsonl);
    g_free(name);
  }
  g_test_add_func("/fixtures/jsonl-edges", test_jsonl_edges);
  int status = g_test_run();
  g_ptr_array_unref(sets);
  return status;
}
